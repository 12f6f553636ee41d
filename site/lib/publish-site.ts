// `catalogue publish`: puts a built site into a bucket or folder that serves it. Only files whose bytes changed
// are sent (size and sha256 against what the store recorded); every new file is stored before any page that links
// to it, and old files are removed only once the whole new site is in place, so a visitor never follows a link to
// a missing file. The keys this command published are kept in a record object beside the site, so it removes only
// what it put there: objects it did not publish are never deleted or silently replaced. An interrupted publish is
// finished by running it again (the record lists old and new keys until the old ones are gone).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { StorageError } from '../../storage/errors.ts';
import { runTasks } from '../../storage/run-tasks.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { contentTypeOf, isCompressible } from './content-types.ts';
import { SiteBuildError } from './errors.ts';

/** The record of what this command published, at the root of the site's location. */
export const publishRecordKey = '.catalogue-publish.json';
/** The record is small (one key per file); anything larger is not ours. */
const recordByteLimit = 64 * 1024 * 1024;

/**
 * Fingerprinted files never change under their name (Pagefind's hashed index, fragment, filter and meta files;
 * Astro's `_astro/` assets): cached for a year and never revalidated (RFC 8246 `immutable`). Every other file
 * (pages, data, the unhashed entry points) may change at the next publish: a short lifetime.
 */
export const immutableCacheControl = 'public, max-age=31536000, immutable';
export const shortCacheControl = 'public, max-age=300';

// A search bundle is `pagefind/` or a shard's `pagefind-<accession>/` (site/lib/search-shards.ts).
const fingerprinted =
  /^(_astro\/|pagefind(-[^/]+)?\/(fragment|index|filter)\/|pagefind(-[^/]+)?\/pagefind\.[^/]+\.pf_meta$)/;

export function cacheControlOf(key: string): string {
  return fingerprinted.test(key) ? immutableCacheControl : shortCacheControl;
}

/**
 * Upload stages, in order: what pages and indexes point to goes up first, then what points to it. Pagefind's
 * entry file names the current meta file, and pages load the search and data files; a page goes last.
 */
export function stageOf(key: string): number {
  if (key.endsWith('.html')) return 2;
  if (/^pagefind(-[^/]+)?\/(pagefind-entry\.json|[^/]+\.js)$/.test(key)) return 1;
  return 0;
}

export interface SiteFile {
  key: string;
  file: string;
  /** Size and sha256 of the bytes stored (gzipped when `contentEncoding` is gzip). */
  size: number;
  sha256: string;
  contentType: string;
  cacheControl: string;
  contentEncoding?: 'gzip';
}

export interface PublishOptions {
  /** The built site (site/dist). */
  dir: string;
  store: ObjectStore;
  /** Store text files gzipped, served with Content-Encoding: gzip. */
  gzip?: boolean;
  /** Send every file, and take over objects this command did not publish. */
  force?: boolean;
  /** Uploads in flight (default 8). */
  concurrency?: number;
  /** A line per stage, for the command's output. */
  log?: (line: string) => void;
}

export interface PublishReport {
  files: number;
  uploaded: number;
  unchanged: number;
  deleted: number;
  bytesSent: number;
}

/** What this command published: each key with the size and sha256 of the bytes it stored. */
interface PublishRecord {
  format: 'catalogue-publish@2';
  files: Record<string, { size: number; sha256: string }>;
}

/** The bytes stored for a file: as they are, or gzipped (deterministic: no name, no time in the header). */
async function bodyOf(file: SiteFile | { file: string; contentEncoding?: 'gzip' }): Promise<Buffer> {
  const bytes = await readFile(file.file);
  return file.contentEncoding === 'gzip' ? gzipSync(bytes, { level: 9 }) : bytes;
}

/** Every regular file under `dir`, keyed by its path with forward slashes. A link in a built site is an error. */
async function walkSite(dir: string): Promise<string[]> {
  const files: string[] = [];
  const visit = async (folder: string) => {
    for (const dirent of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, dirent.name);
      if (dirent.isDirectory()) await visit(path);
      else if (dirent.isFile()) files.push(path);
      else
        throw new SiteBuildError(
          'PUBLISH_NOT_A_FILE',
          `${relative(dir, path)} is not a regular file (a link or a special file); a built site has none`,
        );
    }
  };
  await visit(dir);
  return files.sort();
}

/** Measures the site: key, stored size and sha256, and the headers of each file. */
export async function measureSite(dir: string, options: { gzip?: boolean } = {}): Promise<SiteFile[]> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new SiteBuildError('PUBLISH_NO_SITE', `${dir} is not a built site; run \`catalogue build\` first`);
  if (!(await lstat(join(dir, 'index.html')).catch(() => undefined)))
    throw new SiteBuildError('PUBLISH_NO_SITE', `${dir} has no index.html; run \`catalogue build\` first`);
  const paths = await walkSite(dir);
  const files: SiteFile[] = new Array(paths.length);
  const run = await runTasks(
    paths,
    async (path, index) => {
      const key = relative(dir, path).split(sep).join('/');
      const contentType = contentTypeOf(key);
      const contentEncoding = options.gzip && isCompressible(contentType) ? ('gzip' as const) : undefined;
      const body = await bodyOf({ file: path, contentEncoding });
      files[index] = {
        key,
        file: path,
        size: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
        contentType,
        cacheControl: cacheControlOf(key),
        ...(contentEncoding ? { contentEncoding } : {}),
      };
    },
    { concurrency: 4 },
  );
  if (run.fatal) throw run.fatal;
  return files;
}

async function readRecord(store: ObjectStore): Promise<PublishRecord['files']> {
  if (!(await store.head(publishRecordKey))) return {};
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(publishRecordKey, { maxBytes: recordByteLimit + 1 })) chunks.push(chunk);
  const text = Buffer.concat(chunks);
  let record: PublishRecord | undefined;
  try {
    if (text.length <= recordByteLimit) record = JSON.parse(text.toString('utf8'));
  } catch {
    record = undefined;
  }
  const files = record?.format === 'catalogue-publish@2' ? record.files : undefined;
  const valid =
    typeof files === 'object' &&
    files !== null &&
    Object.values(files).every(
      (f) => typeof f?.size === 'number' && typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256),
    );
  if (!valid)
    throw new SiteBuildError(
      'PUBLISH_RECORD_INVALID',
      `${store.id}: ${publishRecordKey} is not a publish record of this catalogue; ` +
        'remove it, or publish to another prefix',
    );
  return Object.assign(Object.create(null), files);
}

async function writeRecord(store: ObjectStore, files: PublishRecord['files']): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const bytes = Buffer.from(JSON.stringify({ format: 'catalogue-publish@2', files: sorted } satisfies PublishRecord));
  await store.put(publishRecordKey, bytes, {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentType: 'application/json',
    cacheControl: 'no-store',
  });
}

/** Publishes the built site in `options.dir` to `options.store`; see the comment at the top of this file. */
export async function publishSite(options: PublishOptions): Promise<PublishReport> {
  const { store } = options;
  const log = options.log ?? (() => {});
  if (store.kind === 'http')
    throw new SiteBuildError(
      'PUBLISH_READ_ONLY',
      `${store.id} is a read-only HTTP mirror; publish to a bucket or folder`,
    );
  const files = await measureSite(options.dir, { gzip: options.gzip });
  const published = await readRecord(store);
  const remote = new Map<string, number>();
  for await (const object of store.list('')) remote.set(object.key, object.size);

  // Unchanged: there, of the size and sha256 this command stored last time. A listing gives sizes, not digests:
  // the record keeps them, so a publish of a large site costs one LIST, not a HEAD per file.
  const unchanged = (file: SiteFile) =>
    remote.get(file.key) === file.size &&
    published[file.key]?.size === file.size &&
    published[file.key]?.sha256 === file.sha256;
  const foreign: SiteFile[] = [];
  for (const file of files.filter((f) => remote.has(f.key) && !(f.key in published))) {
    const object = await store.head(file.key);
    if (object?.sha256 === file.sha256 && object.size === file.size) published[file.key] = file;
    else foreign.push(file);
  }
  if (foreign.length > 0 && !options.force)
    throw new SiteBuildError(
      'PUBLISH_FOREIGN_OBJECTS',
      `${store.id}: ${foreign.length} object(s) this command did not publish would be replaced, e.g. ` +
        `${foreign
          .slice(0, 3)
          .map((f) => f.key)
          .join(', ')}; publish to an empty prefix (a mirror of its own), or pass --force to replace them`,
    );

  const uploads = files.filter((f) => options.force || !unchanged(f));
  const report: PublishReport = {
    files: files.length,
    uploaded: 0,
    unchanged: files.length - uploads.length,
    deleted: 0,
    bytesSent: 0,
  };
  for (const stage of [0, 1, 2]) {
    const batch = uploads.filter((f) => stageOf(f.key) === stage);
    if (batch.length === 0) continue;
    const run = await runTasks(
      batch,
      async (file) => {
        const body = await bodyOf(file);
        await store.put(file.key, body, {
          size: file.size,
          sha256: file.sha256,
          contentType: file.contentType,
          cacheControl: file.cacheControl,
          ...(file.contentEncoding ? { contentEncoding: file.contentEncoding } : {}),
        });
        published[file.key] = { size: file.size, sha256: file.sha256 };
        report.uploaded++;
        report.bytesSent += file.size;
      },
      { concurrency: options.concurrency ?? 8, isFatal: (error) => !(error instanceof StorageError) },
    );
    // What was sent is recorded after each stage, so a rerun after a cut does not send it again.
    await writeRecord(store, published);
    if (run.fatal) throw run.fatal;
    if (run.failures.length > 0)
      throw new SiteBuildError(
        'PUBLISH_INCOMPLETE',
        `${store.id}: ${run.failures.length} file(s) could not be sent, e.g. ` +
          `${run.failures[0].item.key}: ${(run.failures[0].error as Error).message}; nothing was removed: ` +
          'run the command again to finish',
      );
    log(`stage ${stage + 1}/3: sent ${batch.length} file(s)`);
  }

  // Removal last, once the whole new site is in place; the record still names what is left to remove until the
  // end, so a publish cut here removes the rest when run again.
  const current = new Set(files.map((f) => f.key));
  const stale = Object.keys(published).filter((key) => !current.has(key));
  const removal = await runTasks(stale, (key) => store.delete(key), { concurrency: options.concurrency ?? 8 });
  if (removal.fatal) throw removal.fatal;
  report.deleted = stale.filter((key) => remote.has(key)).length;
  await writeRecord(store, Object.fromEntries(files.map((f) => [f.key, published[f.key]])));
  log(`removed ${report.deleted} file(s) of the previous site`);
  return report;
}
