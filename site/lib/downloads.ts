// File download links and bulk download commands for an entry's manifest. storage/downloads.ts (the storage
// layer) owns how mirrors map to URLs; until it lands, this adapter reads the mirror list itself and gives
// links only for mirrors with a publicBaseUrl, so a page shows paths, sizes and sha256 either way.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Manifest, Mirror } from '../../schemas/index.ts';

export interface FileLink {
  path: string;
  size: number;
  sha256: string;
  format: string;
  role: string;
  /** A public HTTP(S) address of the file, when a mirror publishes one. */
  url?: string;
}

export interface BulkCommand {
  /** What the command uses, e.g. "AWS CLI". */
  label: string;
  command: string;
}

export interface Downloads {
  files: FileLink[];
  bulk: BulkCommand[];
}

const repositoryRoot = resolve(import.meta.dirname, '../..');

/** The mirrors of `storage/mirrors.yaml` (or SITE_MIRRORS), [] when there is none or it cannot be read. */
export function readMirrors(path = process.env.SITE_MIRRORS ?? resolve(repositoryRoot, 'storage/mirrors.yaml')): Mirror[] {
  try {
    if (!existsSync(path)) return [];
    const data = parse(readFileSync(path, 'utf8')) as { mirrors?: unknown };
    return Array.isArray(data?.mirrors) ? (data.mirrors as Mirror[]).filter((m) => m && typeof m.id === 'string') : [];
  } catch {
    return [];
  }
}

interface StorageDownloads {
  downloadLinks?: (manifest: Manifest, mirrors: Mirror[]) => unknown;
  bulkDownloadCommands?: (manifest: Manifest, mirrors: Mirror[]) => unknown;
}

let storageModule: StorageDownloads | null | undefined;

/** storage/downloads.ts when it exists (loaded once), else null. */
export async function loadStorageDownloads(): Promise<StorageDownloads | null> {
  if (storageModule !== undefined) return storageModule;
  const path = resolve(repositoryRoot, 'storage/downloads.ts');
  storageModule = existsSync(path) ? ((await import(path).catch(() => null)) as StorageDownloads | null) : null;
  return storageModule;
}

const isHttp = (url: unknown): url is string => typeof url === 'string' && /^https?:\/\//i.test(url);
const joinUrl = (...parts: string[]) => parts.map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, ''))).filter(Boolean).join('/');
/** A POSIX shell word: single quotes, with any single quote closed, escaped and reopened. */
const shellWord = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/** Links and commands for one manifest. Uses storage/downloads.ts when given, else the fallback below. */
export function downloadsFor(manifest: Manifest | undefined, mirrors: Mirror[], accession: string, storage: StorageDownloads | null = storageModule ?? null): Downloads {
  if (!manifest) return { files: [], bulk: [] };
  const base: FileLink[] = manifest.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, format: f.format, role: f.role }));
  let urls = new Map<string, string>();
  let bulk: BulkCommand[] = [];
  if (storage?.downloadLinks) {
    urls = urlsFromStorage(storage.downloadLinks(manifest, mirrors));
    bulk = commandsFromStorage(storage.bulkDownloadCommands?.(manifest, mirrors));
  } else {
    const primary = mirrors.find((m) => m.id === manifest.location.mirror) ?? mirrors.find((m) => m.role === 'primary');
    const published = [primary, ...mirrors].find((m) => m && isHttp(m.publicBaseUrl));
    if (published) for (const f of manifest.files) urls.set(f.path, joinUrl(published.publicBaseUrl!, published.prefix ?? '', manifest.location.prefix, f.path));
    for (const mirror of mirrors.filter((m) => m.kind === 's3' && m.bucket)) {
      const key = joinUrl(mirror.prefix ?? '', manifest.location.prefix);
      const endpoint = mirror.endpoint ? ` --endpoint-url ${shellWord(mirror.endpoint)}` : '';
      bulk.push({ label: `AWS CLI, mirror ${mirror.id}`, command: `aws s3 sync --no-sign-request${endpoint} ${shellWord(`s3://${mirror.bucket}/${key}/`)} ${shellWord(accession)}` });
    }
  }
  return { files: base.map((f) => ({ ...f, ...(isHttp(urls.get(f.path)) ? { url: urls.get(f.path) } : {}) })), bulk };
}

// storage/downloads.ts may return an array of { path, url } or a map path -> url; anything else is ignored.
function urlsFromStorage(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(value)) {
    for (const item of value) {
      const o = item as { path?: unknown; url?: unknown; href?: unknown; links?: unknown };
      const url = isHttp(o?.url) ? o.url : isHttp(o?.href) ? o.href : Array.isArray(o?.links) ? (o.links as { url?: unknown }[]).map((l) => l?.url).find(isHttp) : undefined;
      if (typeof o?.path === 'string' && url) out.set(o.path, url);
    }
  } else if (value instanceof Map) {
    for (const [k, v] of value) if (typeof k === 'string' && isHttp(v)) out.set(k, v);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (isHttp(v)) out.set(k, v);
  }
  return out;
}

function commandsFromStorage(value: unknown): BulkCommand[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') return [{ label: 'Command', command: item }];
    const o = item as { label?: unknown; tool?: unknown; command?: unknown };
    return typeof o?.command === 'string' ? [{ label: String(o.label ?? o.tool ?? 'Command'), command: o.command }] : [];
  });
}
