// Download links and bulk-download commands for an entry, for the site. Pure and free of Node-only imports
// (the site bundles it; so is the path rule it applies): it takes the manifest and the mirrors, and returns strings.
import { checkObjectPath } from '../catalog/checks/paths.ts';
import type { Manifest, Mirror } from '../schemas/index.ts';

export interface DownloadLink {
  mirror: string;
  role: Mirror['role'];
  path: string;
  size: number;
  sha256: string;
  url: string;
}

/** Each path segment percent-encoded (RFC 3986 §3.3), '/' kept between them. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * The files whose paths pass the manifest path rule. A harvested record's manifest is a partner's and is checked
 * against the schema only: a path with '..' would make a link that leaves the entry's prefix, so it gets none.
 */
function linkable(manifest: Manifest): Manifest['files'] {
  return manifest.files.filter((file) => checkObjectPath(file.path).ok);
}

/** Mirrors that serve files publicly (a `publicBaseUrl`), primary first. */
export function publicMirrors(mirrors: readonly Mirror[]): Mirror[] {
  return mirrors.filter((m) => m.publicBaseUrl).sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1));
}

/**
 * A public URL per file on each mirror that has a `publicBaseUrl` (the URL of the mirror's prefix; the
 * manifest's key is appended).
 */
export function downloadLinks(manifest: Manifest, mirrors: readonly Mirror[]): DownloadLink[] {
  const links: DownloadLink[] = [];
  for (const mirror of publicMirrors(mirrors)) {
    for (const file of linkable(manifest)) {
      links.push({
        mirror: mirror.id,
        role: mirror.role,
        path: file.path,
        size: file.size,
        sha256: file.sha256,
        url: withSlash(mirror.publicBaseUrl!) + encodeKey(manifest.location.prefix + file.path),
      });
    }
  }
  return links;
}

export interface BulkCommand {
  mirror: string;
  tool: 'aws' | 'rclone' | 'sha256sum';
  command: string;
}

/** POSIX shell single-quoting: nothing in the value is interpreted. */
function quote(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A parameter value inside an rclone connection string (`:backend,name=value:path`). rclone docs, "Connection
 * strings": a value holding ',' or ':' (any URL) must be quoted, and a quote inside is doubled.
 */
function rcloneValue(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/**
 * Copy-paste commands that fetch a whole entry: `aws s3 sync --no-sign-request` and `rclone copy` (an
 * on-the-fly S3 remote, no config file) for each public S3 mirror, then a `sha256sum -c` check line.
 */
export function bulkDownloadCommands(accession: string, manifest: Manifest, mirrors: readonly Mirror[]): BulkCommand[] {
  const commands: BulkCommand[] = [];
  const folder = quote(accession);
  for (const mirror of publicMirrors(mirrors)) {
    if (mirror.kind === 's3' && mirror.bucket && mirror.endpoint) {
      const key = `${mirror.prefix ?? ''}${manifest.location.prefix}`;
      commands.push({
        mirror: mirror.id,
        tool: 'aws',
        command:
          `aws s3 sync --no-sign-request --endpoint-url ${quote(mirror.endpoint)} ` +
          `${quote(`s3://${mirror.bucket}/${key}`)} ${folder}`,
      });
      commands.push({
        mirror: mirror.id,
        tool: 'rclone',
        command:
          'rclone copy --progress ' +
          `${quote(`:s3,provider=Other,endpoint=${rcloneValue(mirror.endpoint)}:${mirror.bucket}/${key}`)} ${folder}`,
      });
    } else {
      // A folder mirror served over HTTP: rclone's http backend reads the listing pages.
      commands.push({
        mirror: mirror.id,
        tool: 'rclone',
        command:
          'rclone copy --progress ' +
          `${quote(`:http,url=${rcloneValue(`${withSlash(mirror.publicBaseUrl!)}${manifest.location.prefix}`)}:`)} ` +
          folder,
      });
    }
  }
  const files = linkable(manifest);
  if (files.length > 0) {
    commands.push({
      mirror: '',
      tool: 'sha256sum',
      command: `cd ${folder} && sha256sum -c <<'EOF'\n${files.map((f) => `${f.sha256}  ${f.path}`).join('\n')}\nEOF`,
    });
  }
  return commands;
}

/**
 * The public URL of one object of an entry on one mirror (its `publicBaseUrl` + the URL-encoded key, prefix +
 * path), or undefined when the mirror publishes nothing over HTTP or the path fails the manifest path rule.
 * Derived files (`.derived/...`, previews and conversions) are reached the same way as submitted files.
 */
export function publicObjectUrl(mirror: Mirror, prefix: string, path: string): string | undefined {
  if (!mirror.publicBaseUrl || !checkObjectPath(path).ok) return undefined;
  return withSlash(mirror.publicBaseUrl) + encodeKey(prefix + path);
}
