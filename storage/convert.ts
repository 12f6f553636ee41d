// OME-Zarr conversions of an entry's images, stored beside the originals under `.derived/` and listed in the
// manifest's `derived`. Resumable and idempotent: each file of a conversion is written only when the store does not
// already hold those bytes (size and sha256), chunks before metadata (images/convert/zarr-store.ts), and the
// conversion is listed only once whole; a conversion already listed is not made again.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageConvertError } from '../images/convert/errors.ts';
import { openPixelSource } from '../images/convert/open-source.ts';
import { toOmeZarr } from '../images/convert/to-ome-zarr.ts';
import type { NgffVersion } from '../images/convert/zarr-arrays.ts';
import type { ChunkStore } from '../images/convert/zarr-store.ts';
import type { DerivedFile, Manifest, ManifestFile } from '../schemas/index.ts';
import { hasCode, isMirrorDown, messageOf, StorageError } from './errors.ts';
import { objectKey } from './keys.ts';
import { inShard, type Shard } from './shards.ts';
import { alreadyRight, localFile } from './upload.ts';
import type { ObjectStore } from './store.ts';

/** The formats converted; others (OME-Zarr already, CZI, ND2...) are left alone. */
export const convertibleFormats: ReadonlySet<ManifestFile['format']> = new Set([
  'TIFF',
  'OME-TIFF',
  'PNG',
  'JPEG',
  'MRC',
]);

/** The recipe of each OME-NGFF version: a new recipe makes new objects beside the old ones. */
export const recipes: Record<NgffVersion, string> = { '0.5': 'ome-zarr@1', '0.4': 'ome-zarr-ngff04@1' };

export interface ConvertProblem {
  path: string;
  code: string;
  message: string;
  fix: string;
}

export interface ConvertOptions {
  /** Where the originals are: the mirror's store, or a local folder holding the files at their manifest paths. */
  originals: { store: ObjectStore } | { folder: string };
  /** Where the conversions go, under the manifest's prefix. */
  target: ObjectStore;
  /** OME-NGFF version (default 0.5). */
  version?: NgffVersion;
  /** Convert only these manifest paths (default: every file of a convertible format). */
  only?: string[];
  /** Convert only the images whose manifest path falls in this shard (storage/shards.ts), for one of N jobs. */
  shard?: Shard;
  /** Make the conversion again even when the manifest lists it (its files are still written only if they differ). */
  force?: boolean;
  /** Where an original read from a remote store is copied while it is converted (default: the system's tmpdir). */
  workDir?: string;
  /** Chunk size along y and x (default 1024). */
  chunk?: number;
  /**
   * Stores the manifest (atomically): after a conversion is listed, at most every `saveEveryMs`, and once at the
   * end, so that many small images do not rewrite a growing manifest once each.
   */
  save(manifest: Manifest): Promise<void>;
  /** Milliseconds between two saves of the manifest (default 5000). */
  saveEveryMs?: number;
  /** Objects of a conversion written at once (default 8). */
  writesInFlight?: number;
  onFile?(path: string, outcome: 'converted' | 'listed' | 'failed'): void;
}

export interface ConvertResult {
  manifest: Manifest;
  /** Images to convert (every convertible file, or those of --only), and how many of them fell in the shard. */
  images: number;
  inShard: number;
  converted: string[];
  /** Originals whose conversion the manifest already lists. */
  listed: string[];
  /** Objects written, and objects of a conversion already in the store with the right bytes. */
  written: number;
  unchanged: number;
  problems: ConvertProblem[];
  /** Set when the mirror stopped answering: run again to resume. */
  unavailable?: string;
}

/** `images/cell_01.ome.tiff` -> `cell_01`: the file's name without its (double) extension. */
export function stemOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.ome\.(tiff?|btf)$/i, '').replace(/\.[^.]+$/, '') || name;
}

/** `.derived/ome-zarr/<sha256>/<recipe>/<stem>.ome.zarr/`: the folder of a conversion in the entry's prefix. */
export function conversionFolder(file: Pick<ManifestFile, 'path' | 'sha256'>, version: NgffVersion): string {
  return `.derived/ome-zarr/${file.sha256}/${recipes[version]}/${stemOf(file.path)}.ome.zarr/`;
}

export async function convertEntry(manifest: Manifest, options: ConvertOptions): Promise<ConvertResult> {
  const version = options.version ?? '0.5';
  const recipe = recipes[version];
  const images = manifest.files.filter((file) =>
    options.only ? options.only.includes(file.path) : convertibleFormats.has(file.format),
  );
  const wanted = images.filter((file) => inShard(file.path, options.shard));
  const result: ConvertResult = {
    manifest,
    images: images.length,
    inShard: wanted.length,
    converted: [],
    listed: [],
    written: 0,
    unchanged: 0,
    problems: [],
  };
  // A path of --only that the manifest lacks is named by the one shard its key falls in, not by every job.
  for (const path of options.only ?? [])
    if (inShard(path, options.shard) && !manifest.files.some((file) => file.path === path))
      result.problems.push({
        path,
        code: 'NOT_IN_MANIFEST',
        message: 'is not a file of the manifest',
        fix: 'give a path exactly as the manifest lists it',
      });
  let unsaved = false;
  let savedAt = performance.now();
  const save = async () => {
    await options.save(result.manifest);
    unsaved = false;
    savedAt = performance.now();
  };
  try {
    for (const file of wanted) {
      // A mirror that stopped answering fails every later file the same way: stop, and let a rerun resume.
      if (result.unavailable) break;
      await convertOne(file);
    }
  } finally {
    // What was converted before a failure is listed: a rerun finds it whole and does not convert it again.
    if (unsaved) await save();
  }
  return result;

  async function convertOne(file: ManifestFile): Promise<void> {
    const folder = conversionFolder(file, version);
    const root = folder + (version === '0.5' ? 'zarr.json' : '.zattrs');
    const listed = (result.manifest.derived ?? []).some(
      (item) => item.path === root && item.of === file.path && item.recipe === recipe,
    );
    if (listed && !options.force) {
      result.listed.push(file.path);
      options.onFile?.(file.path, 'listed');
      return;
    }
    try {
      const files = await convertFile(manifest, file, folder, version, options, result);
      const derived: DerivedFile[] = [...files.entries()].map(([path, digest]) => ({
        path,
        ...digest,
        kind: 'ome-zarr' as const,
        of: file.path,
        recipe,
      }));
      const next = listConversion(result.manifest, file.path, recipe, derived);
      if (next !== result.manifest) {
        result.manifest = next;
        unsaved = true;
      }
      if (unsaved && performance.now() - savedAt >= (options.saveEveryMs ?? 5000)) await save();
      result.converted.push(file.path);
      options.onFile?.(file.path, 'converted');
    } catch (error) {
      options.onFile?.(file.path, 'failed');
      if (isMirrorDown(error)) {
        result.unavailable = messageOf(error);
        return;
      }
      result.problems.push(problemOf(file.path, error));
    }
  }
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * The manifest with the conversion of `of` by `recipe` listed as `derived` in place of any before it, or the same
 * manifest object when that changes nothing. The merge of shards (convert-shards.ts) replays it per image.
 */
export function listConversion(manifest: Manifest, of: string, recipe: string, derived: DerivedFile[]): Manifest {
  const kept = (manifest.derived ?? []).filter((item) => !(item.of === of && item.recipe === recipe));
  // One order whatever the order of the runs, so a conversion made again rewrites nothing.
  const next: Manifest = { ...manifest, derived: [...kept, ...derived].sort(byPath) };
  return JSON.stringify(next) === JSON.stringify(manifest) ? manifest : next;
}

function problemOf(path: string, error: unknown): ConvertProblem {
  if (error instanceof ImageConvertError) {
    const fixes: Record<string, string> = {
      FORMAT_UNSUPPORTED: 'convert it with bioformats2raw, or leave it unconverted',
      PIXEL_TYPE_UNSUPPORTED: 'convert it with bioformats2raw, or leave it unconverted',
      IMAGE_TOO_LARGE: 'check the file; a plane larger than 65536 x 65536 pixels is not converted',
      IMAGE_TRUNCATED: 'upload the file again (its copy is incomplete or damaged)',
      IMAGE_INVALID: 'check that the file opens in Fiji or napari, and upload a readable copy',
    };
    return { path, code: error.code, message: error.message, fix: fixes[error.code] };
  }
  if (error instanceof StorageError)
    return { path, code: error.code, message: error.message, fix: 'check the mirror, then run the command again' };
  throw error;
}

/** Converts one original; returns every file of the conversion with its size and sha256. */
async function convertFile(
  manifest: Manifest,
  file: ManifestFile,
  folder: string,
  version: NgffVersion,
  options: ConvertOptions,
  result: ConvertResult,
): Promise<Map<string, { size: number; sha256: string }>> {
  const staged = await stageOriginal(manifest, file, options);
  const files = new Map<string, { size: number; sha256: string }>();
  const keyOf = (key: string) => objectKey(folder + key, manifest.location.prefix);
  // Objects in flight at once: an object store answers each PUT after a round trip, so one at a time would wait.
  const writes = createWriteQueue(options.writesInFlight ?? 8);
  const store: ChunkStore = {
    async get(key) {
      // A level is made from the one before: wait for the chunk being written, then read it.
      await writes.settled(key);
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of await options.target.read(keyOf(key))) chunks.push(chunk as Buffer);
        return new Uint8Array(Buffer.concat(chunks));
      } catch (error) {
        if (hasCode(error, 'NOT_FOUND')) return undefined;
        throw error;
      }
    },
    async set(key, bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      files.set(folder + key, { size: bytes.length, sha256 });
      await writes.add(key, async () => {
        const target = keyOf(key);
        if (await alreadyRight(options.target, target, bytes.length, sha256)) {
          result.unchanged++;
          return;
        }
        const contentType =
          key.endsWith('.json') || key.split('/').pop()!.startsWith('.z') ? 'application/json' : undefined;
        await options.target.put(target, bytes, {
          size: bytes.length,
          sha256,
          ...(contentType ? { contentType } : {}),
        });
        result.written++;
      });
    },
    drain: () => writes.drain(),
  };
  try {
    const source = await openPixelSource(staged.path, file.path);
    try {
      await toOmeZarr(source, store, { version, name: stemOf(file.path), chunk: options.chunk });
    } finally {
      await source.close();
    }
  } finally {
    // Nothing of this conversion is still being written once it returns, even when it failed.
    await writes.drain().catch(() => {});
    await staged.release();
  }
  return files;
}

/**
 * At most `limit` writes in flight, each known by its key. The first failure is kept and thrown by the next add,
 * settled or drain, so a failed write stops the conversion as it would one at a time.
 */
function createWriteQueue(limit: number) {
  const pending = new Map<string, Promise<void>>();
  let failure: { error: unknown } | undefined;
  const fail = () => {
    if (failure) throw failure.error;
  };
  return {
    async add(key: string, write: () => Promise<void>): Promise<void> {
      fail();
      const task = write()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => pending.delete(key));
      pending.set(key, task);
      while (pending.size >= limit) await Promise.race(pending.values());
      fail();
    },
    async settled(key: string): Promise<void> {
      await pending.get(key);
      fail();
    },
    async drain(): Promise<void> {
      await Promise.all(pending.values());
      fail();
    },
  };
}

/**
 * The original as a local file: the folder's copy, a folder store's own file, or a copy of a remote object in the
 * work folder, checked against the manifest's size and sha256 so the conversion is of the bytes the manifest names.
 */
async function stageOriginal(
  manifest: Manifest,
  file: ManifestFile,
  options: ConvertOptions,
): Promise<{ path: string; release(): Promise<void> }> {
  const nothing = async () => {};
  if ('folder' in options.originals) {
    const path = await localFile(options.originals.folder, file.path);
    const size = await stat(path).then(
      (info) => info.size,
      () => undefined,
    );
    if (size !== file.size)
      throw new StorageError(
        size === undefined ? 'NOT_FOUND' : 'SIZE_MISMATCH',
        size === undefined
          ? `${file.path} is not in ${options.originals.folder}`
          : `${path} has ${size} bytes; the manifest says ${file.size}`,
      );
    return { path, release: nothing };
  }
  const { store } = options.originals;
  const key = objectKey(file.path, manifest.location.prefix);
  if (store.localPath) return { path: store.localPath(key), release: nothing };
  const path = join(options.workDir ?? tmpdir(), `original-${randomBytes(8).toString('hex')}`);
  const release = () => rm(path, { force: true });
  try {
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(await store.read(key, { maxBytes: file.size + 1 }), measure, createWriteStream(path));
    const sha256 = hash.digest('hex');
    if (size !== file.size || sha256 !== file.sha256)
      throw new StorageError(
        'SOURCE_CORRUPT',
        `${store.id}: ${key} has ${size} bytes and sha256 ${sha256}; the manifest says ${file.size} bytes and ` +
          `${file.sha256}; not converted (repair the copy with \`catalogue mirror repair\`)`,
      );
    return { path, release };
  } catch (error) {
    await release();
    throw error;
  }
}
