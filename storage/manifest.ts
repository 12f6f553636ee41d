// Manifests: every file of an entry with its path, size, sha256 and format. `createManifest` walks a folder
// with bounded memory (one listing, a bounded number of batches in flight, 4 MiB read buffers in the workers)
// and hashes on every core (hash-pool.ts).
import { createHash } from 'node:crypto';
import { readFile, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkObjectPath, findPathCollisions } from '../catalog/checks/paths.ts';
import { derivedFolder, derivedPathReserved } from '../catalog/checks/derived-path.ts';
import type { Manifest, ManifestFile } from '../schemas/index.ts';
import { detectFormat, isOmeZarrAttributes, roleOf } from './formats.ts';
import { createHashPool, type HashPool } from './hash-pool.ts';
import { readManifestImages } from './image-metadata.ts';
import { printable } from './keys.ts';
import { runTasks } from './run-tasks.ts';
import { formatShard, inShard, type Shard } from './shards.ts';

/** Something in the folder that cannot go into a manifest; `path` is relative to the folder. */
export interface ManifestProblem {
  path: string;
  code: string;
  message: string;
  fix: string;
}

export interface Progress {
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

export interface CreateManifestOptions {
  /** Mirror id that will hold the primary copy (manifest `location.mirror`), default `local`. */
  mirror?: string;
  /** Key prefix of the entry's files (manifest `location.prefix`), ending with '/'. */
  prefix: string;
  /** A hash pool to reuse; by default one is made (every core) and closed. */
  pool?: HashPool;
  /** Called after each file, at most every 100 ms is up to the caller. */
  onProgress?: (progress: Progress) => void;
  /** Read each image's metadata from its header into `image` (default true; image-metadata.ts). */
  readImages?: boolean;
  /** Measure only the files of this shard (shardKey), for one of N jobs; the result is a partial manifest. */
  shard?: Shard;
}

/**
 * What a partial manifest says of itself: which shard it holds, and the whole listing every shard saw (its file
 * count and a digest of its paths in order), so that a merge knows the parts are of one folder and all there.
 */
export interface PartialMarker {
  /** `K/N`. */
  shard: string;
  /** Files in the whole folder. */
  files: number;
  /** sha256 of the whole folder's manifest paths in manifest order, each followed by a line feed. */
  listing: string;
}

interface Found {
  /** The manifest path: the name on disk in Unicode NFC. */
  path: string;
  /** The path as the folder spells it (macOS and some copies keep names decomposed, NFD). */
  disk: string;
  size: number;
  /** Set for files inside an OME-Zarr folder. */
  zarr: boolean;
  /** For files inside an OME-Zarr image: the manifest path of the image's folder, ending with '/'. */
  zarrRoot?: string;
}

/**
 * Walks `folder`: the safe regular files that `keep` accepts (default all), sorted and measured; the path of every
 * safe regular file in the same order (`listing`); and the problems met (unsafe names, links, special files). A
 * shard keeps its own files only, so that N jobs do not each stat every file of a shared disk.
 */
export async function walkFolder(
  folder: string,
  keep: (found: { path: string; zarrRoot?: string }) => boolean = () => true,
): Promise<{ files: Found[]; listing: string[]; problems: ManifestProblem[] }> {
  const files: Found[] = [];
  const listing: string[] = [];
  const problems: ManifestProblem[] = [];
  async function visit(dir: string, rel: { path: string; disk: string }, inZarr: string | undefined): Promise<void> {
    // Sorted by the names as the manifest spells them (NFC), so the order of a manifest is that of its paths
    // (compareManifestPaths) whatever form the disk keeps, and a merge of shards can restore it.
    const dirents = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      compareNames(a.name.normalize('NFC'), b.name.normalize('NFC')),
    );
    const names = new Set(dirents.map((d) => d.name));
    let zarr = inZarr;
    if (!zarr && rel.path !== '') {
      for (const attributes of ['zarr.json', '.zattrs']) {
        if (names.has(attributes) && isOmeZarrAttributes(await readFile(join(dir, attributes), 'utf8').catch(() => '')))
          zarr = rel.path;
      }
    }
    for (const dirent of dirents) {
      const disk = rel.disk + dirent.name;
      // Paths are recorded in NFC (catalog/checks/paths.ts): one spelling per name, whatever the disk kept.
      const path = rel.path + dirent.name.normalize('NFC');
      const verdict = checkObjectPath(path);
      if (!verdict.ok) {
        problems.push({ path: printable(path), code: verdict.code, message: verdict.message, fix: verdict.fix });
        continue;
      }
      if (`${path}/` === derivedFolder) {
        const [code, message, fix] = derivedPathReserved;
        problems.push({ path, code, message, fix });
        continue;
      }
      if (dirent.isSymbolicLink()) {
        problems.push({
          path,
          code: 'SYMLINK',
          message: 'is a symbolic link; a manifest lists files, and a link could point outside the folder',
          fix: 'replace the link by a copy of the file, or remove it',
        });
      } else if (dirent.isDirectory()) {
        await visit(join(dir, dirent.name), { path: path + '/', disk: disk + '/' }, zarr);
      } else if (dirent.isFile()) {
        listing.push(path);
        const found = { path, disk, zarr: zarr !== undefined, ...(zarr ? { zarrRoot: zarr } : {}) };
        if (keep(found)) files.push({ ...found, size: (await lstat(join(dir, dirent.name))).size });
      } else {
        problems.push({
          path,
          code: 'NOT_A_FILE',
          message: 'is not a regular file (a device, socket or pipe)',
          fix: 'remove it from the folder',
        });
      }
    }
  }
  await visit(folder, { path: '', disk: '' }, undefined);
  // Names that only a case-sensitive disk tells apart ('Image.tif', 'image.tif') would overwrite each other on
  // a case-insensitive mirror: the later one is a problem, not a file of the manifest.
  const collisions = findPathCollisions(listing, () => '');
  for (const collision of collisions)
    problems.push({
      path: printable(listing[collision.index]),
      code: collision.code,
      message: collision.message,
      fix: collision.fix,
    });
  const dropped = new Set(collisions.map((c) => listing[c.index]));
  return {
    files: files.filter((found) => !dropped.has(found.path)),
    listing: listing.filter((path) => !dropped.has(path)),
    problems,
  };
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order of a manifest's files: the depth-first order of the walk, names sorted by UTF-16 code units within each
 * folder. It compares paths part by part ('a/b' before 'a.txt', since the folder 'a' sorts before 'a.txt').
 */
export function compareManifestPaths(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = compareNames(left[i], right[i]);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/** The digest of a listing (PartialMarker.listing): paths in manifest order, each followed by a line feed. */
export function listingDigest(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(path + '\n');
  return hash.digest('hex');
}

/**
 * The key that places a file in a shard: its path, or for a file inside an OME-Zarr image the image's folder, so
 * that one job measures an image whole (its header is read from the files around its root, image-metadata.ts).
 */
export const shardKey = (found: { path: string; zarrRoot?: string }) => found.zarrRoot ?? found.path;

/**
 * Measures every file under `folder` and reads each image's header. Returns the manifest, the problems (when
 * there are any the manifest is not fit to write: the caller refuses it) and the warnings (images whose header
 * cannot be read or whose OME-NGFF metadata breaks its schema: the manifest is still fit to write).
 */
export async function createManifest(
  folder: string,
  options: CreateManifestOptions,
): Promise<{ manifest: Manifest; problems: ManifestProblem[]; warnings: ManifestProblem[]; partial?: PartialMarker }> {
  // Every shard walks the whole folder (a listing costs little beside hashing) but measures only its own files: it
  // knows the listing the merge checks against, and a problem anywhere in the folder stops every shard, as it
  // stops one run.
  const { files, listing, problems } = await walkFolder(folder, (found) => inShard(shardKey(found), options.shard));
  const partial: PartialMarker | undefined = options.shard && {
    shard: formatShard(options.shard),
    files: listing.length,
    listing: listingDigest(listing),
  };
  const pool = options.pool ?? createHashPool();
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const progress: Progress = { files: 0, bytes: 0, totalFiles: files.length, totalBytes };
  const out: ManifestFile[] = new Array(files.length);
  try {
    // Largest files first (longest-processing-time-first scheduling: the last file to finish is a small one,
    // so no core idles while another hashes a big file alone); small files in batches of one message each.
    // A bounded number of batches in flight: enough to keep every worker fed, never the whole listing at once.
    const batchesInFlight = pool.threads * 2 + 1;
    const run = await runTasks(
      batchFiles(files),
      async (batch) => {
        const digests = await pool.hashFiles(batch.map((index) => join(folder, ...files[index].disk.split('/'))));
        batch.forEach((index, i) => {
          const found = files[index];
          const digest = digests[i];
          if (digest instanceof Error) {
            const fix = 'check the file and its permissions';
            problems.push({ path: found.path, code: digest.code, message: `cannot be read: ${digest.message}`, fix });
          } else {
            const format = found.zarr ? 'OME-Zarr' : detectFormat(found.path, digest.head);
            out[index] = { path: found.path, size: digest.size, sha256: digest.sha256, format, role: roleOf(format) };
            progress.bytes += digest.size;
          }
          progress.files++;
        });
        options.onProgress?.(progress);
      },
      { concurrency: batchesInFlight },
    );
    // Each file's read error is in its digest; an error here is the pool's own.
    if (run.fatal) throw run.fatal;
  } finally {
    if (!options.pool) await pool.close();
  }
  const warnings =
    options.readImages === false
      ? []
      : await readManifestImages(
          folder,
          files.flatMap((found, index) =>
            out[index] ? [{ file: out[index], disk: found.disk, zarrRoot: found.zarrRoot }] : [],
          ),
        );
  const manifest: Manifest = {
    schemaVersion: 1,
    location: { mirror: options.mirror ?? 'local', prefix: options.prefix },
    files: out.filter(Boolean),
  };
  return { manifest, problems, warnings, ...(partial ? { partial } : {}) };
}

/** Files of at most this size travel in batches (bytes). */
const smallFile = 1024 * 1024;
/** A batch holds at most this many files, or this many bytes. */
const batchFilesMax = 256;
const batchBytesMax = 16 * 1024 * 1024;

/** Indexes of `files` in batches: each large file alone, largest first; then small files grouped. */
export function batchFiles(files: Array<{ size: number }>): number[][] {
  const large = files
    .map((f, i) => i)
    .filter((i) => files[i].size > smallFile)
    .sort((a, b) => files[b].size - files[a].size);
  const batches = large.map((i) => [i]);
  let batch: number[] = [];
  let bytes = 0;
  files.forEach((file, i) => {
    if (file.size > smallFile) return;
    if (batch.length >= batchFilesMax || bytes + file.size > batchBytesMax) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(i);
    bytes += file.size;
  });
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The manifest as `manifest create` writes it. */
export const renderManifest = (manifest: Manifest) => JSON.stringify(manifest, null, 2) + '\n';

/** A shard's partial manifest: the marker first, where a reader sees it, and the manifest schema refuses it. */
export const renderPartialManifest = (manifest: Manifest, partial: PartialMarker) =>
  JSON.stringify({ partial, ...manifest }, null, 2) + '\n';

/** `path: CODE message Fix: ...`, one line; a warning says so after its code. */
export function formatManifestProblem(problem: ManifestProblem, severity: 'error' | 'warning' = 'error'): string {
  const level = severity === 'warning' ? ' (warning)' : '';
  return `${problem.path}: ${problem.code}${level} ${problem.message}. Fix: ${problem.fix}`;
}
