// Making the previews of an entry's images from the copies on a mirror (the primary): each original is read with
// a bounded read and its sha256 checked before it is drawn (a corrupt copy gets no preview, and is reported), the
// pictures are stored under `.derived/` in the entry's prefix, and the manifest's `derived` list gains them, so
// that every mirror replicates them and every audit checks them. Idempotent: a picture already listed by the
// current recipe and present with its size and sha256 is not made again.
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreviewError } from '../images/preview-error.ts';
import { previewPath, previewRecipe, renderPreviews, type PreviewKind, type PreviewSource } from '../images/preview.ts';
import type { DerivedFile, Manifest, ManifestFile } from '../schemas/index.ts';
import { isMirrorDown, messageOf } from './errors.ts';
import { findPicture, previewTargets, type PreviewTarget } from './preview-status.ts';
import { alreadyRight } from './upload.ts';
import type { ObjectStore } from './store.ts';

export interface PreviewProblem {
  path: string;
  /** PREVIEW_* codes: the image cannot be drawn (a warning: it simply has no preview). The others are errors. */
  code: 'PREVIEW_UNSUPPORTED' | 'PREVIEW_TOO_LARGE' | 'PREVIEW_UNREADABLE' | 'ORIGINAL_CORRUPT' | 'PREVIEW_FAILED';
  message: string;
}

export interface PreviewRun {
  mirror: string;
  /** Images whose pictures were made and stored. */
  made: number;
  /** Images whose pictures were already there, by the current recipe. */
  present: number;
  problems: PreviewProblem[];
  /** The manifest with its `derived` list brought up to date. */
  manifest: Manifest;
  /** Whether `manifest` differs from the one given (the caller writes it). */
  changed: boolean;
  /** Set when the mirror stopped answering; the run is incomplete and can be resumed. */
  unavailable?: string;
}

export interface PreviewOptions {
  /** The store holding the originals (the primary mirror); the pictures are written there. */
  store: ObjectStore;
  /** Folder for the temporary copy of one original at a time (default: the system's). */
  scratch?: string;
  /** Largest plane read (pixels); see images/plane.ts. */
  maxPixels?: number;
  /** Largest original copied from the mirror to draw it (bytes), default 16 GiB. */
  maxFileBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Largest OME-Zarr file (a chunk, or a shard) read to draw an image, in bytes. */
const maxChunkBytes = 1024 * 1024 * 1024;

/** An original whose bytes on the mirror are not the manifest's. */
class OriginalCorruptError extends Error {}

export async function makePreviews(manifest: Manifest, options: PreviewOptions): Promise<PreviewRun> {
  const { store } = options;
  const targets = previewTargets(manifest);
  const derived = [...(manifest.derived ?? [])];
  const run: PreviewRun = { mirror: store.id, made: 0, present: 0, problems: [], manifest, changed: false };
  const scratch = await mkdtemp(join(options.scratch ?? tmpdir(), 'catalogue-previews-'));
  try {
    for (const [index, target] of targets.entries()) {
      try {
        if (await picturesPresent(manifest, target.file, store)) run.present++;
        else {
          const pictures = await drawTarget(manifest, target, scratch, options);
          for (const item of await storePictures(manifest, target.file, pictures, store)) {
            const at = derived.findIndex((d) => d.path === item.path);
            if (at >= 0) derived.splice(at, 1);
            derived.push(item);
          }
          run.made++;
        }
      } catch (error) {
        if (isMirrorDown(rootCause(error))) {
          run.unavailable = messageOf(error);
          break;
        }
        run.problems.push(problemOf(target.file.path, error));
      }
      options.onProgress?.(index + 1, targets.length);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  derived.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.kind < b.kind ? -1 : 1));
  run.changed = JSON.stringify(derived) !== JSON.stringify(manifest.derived ?? []);
  if (run.changed) run.manifest = { ...manifest, derived };
  return run;
}

/** The reader wraps what the store threw while it read (an OME-Zarr chunk): the store's error is the one to report. */
const rootCause = (error: unknown) => (error instanceof PreviewError && error.cause ? error.cause : error);

function problemOf(path: string, error: unknown): PreviewProblem {
  const cause = rootCause(error);
  if (cause instanceof OriginalCorruptError) return { path, code: 'ORIGINAL_CORRUPT', message: cause.message };
  if (error instanceof PreviewError) return { path, code: error.code, message: error.message };
  return { path, code: 'PREVIEW_FAILED', message: messageOf(error) };
}

/** Both pictures of the current recipe are listed and present on the store with their size and sha256. */
async function picturesPresent(manifest: Manifest, file: ManifestFile, store: ObjectStore): Promise<boolean> {
  for (const kind of ['thumbnail', 'preview'] as const) {
    const item = findPicture(manifest, file, kind);
    if (!item) return false;
    if (!(await alreadyRight(store, manifest.location.prefix + item.path, item.size, item.sha256))) return false;
  }
  return true;
}

async function drawTarget(
  manifest: Manifest,
  target: PreviewTarget,
  scratch: string,
  options: PreviewOptions,
): Promise<Record<PreviewKind, Buffer>> {
  const { store, maxPixels } = options;
  const prefix = manifest.location.prefix;
  if (target.zarrRoot !== undefined) {
    const root = target.zarrRoot;
    const files = new Map(manifest.files.map((f) => [f.path, f]));
    const source: PreviewSource = {
      format: 'OME-Zarr',
      zarr: {
        // Only files the manifest lists are read, each at most its listed size, and checked against its sha256.
        get: async (path) => {
          const file = files.get(root + path);
          if (!file) return undefined;
          // A chunk is held whole in memory to be hashed and decoded.
          if (file.size > maxChunkBytes)
            throw new PreviewError(
              'PREVIEW_TOO_LARGE',
              `${file.path} has ${file.size} bytes, more than ${maxChunkBytes}`,
            );
          return readVerified(store, prefix, file);
        },
      },
    };
    return renderPreviews(source, { maxPixels });
  }
  const maxFileBytes = options.maxFileBytes ?? 16 * 1024 ** 3;
  if (target.file.size > maxFileBytes)
    throw new PreviewError(
      'PREVIEW_TOO_LARGE',
      `the file has ${target.file.size} bytes, more than the ${maxFileBytes} a preview copies to read`,
    );
  const local = join(scratch, 'original');
  await copyVerified(store, prefix, target.file, local);
  try {
    const format = target.file.format as Exclude<PreviewSource['format'], 'OME-Zarr'>;
    return await renderPreviews({ format, file: local }, { maxPixels });
  } finally {
    await rm(local, { force: true });
  }
}

/** The object's bytes, at most its listed size plus one, refused unless its size and sha256 are the manifest's. */
async function readVerified(store: ObjectStore, prefix: string, file: ManifestFile): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(prefix + file.path, { maxBytes: file.size + 1 }))
    chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  assertIntact(file, bytes.length, createHash('sha256').update(bytes).digest('hex'));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Copies the object to `local`, streaming, at most its listed size plus one, and checks size and sha256. */
async function copyVerified(store: ObjectStore, prefix: string, file: ManifestFile, local: string): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  const handle = await open(local, 'w');
  try {
    for await (const chunk of await store.read(prefix + file.path, { maxBytes: file.size + 1 })) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      await handle.write(chunk as Buffer);
    }
  } finally {
    await handle.close();
  }
  assertIntact(file, size, hash.digest('hex'));
}

function assertIntact(file: ManifestFile, size: number, sha256: string): void {
  if (size !== file.size)
    throw new OriginalCorruptError(`the mirror's copy has ${size} bytes; the manifest says ${file.size}; no preview`);
  if (sha256 !== file.sha256)
    throw new OriginalCorruptError(`the mirror's copy has sha256 ${sha256}, not the manifest's; no preview`);
}

/** Stores both pictures (whole or not at all, with their sha256) and returns their `derived` items. */
async function storePictures(
  manifest: Manifest,
  file: ManifestFile,
  pictures: Record<PreviewKind, Buffer>,
  store: ObjectStore,
): Promise<DerivedFile[]> {
  const items: DerivedFile[] = [];
  for (const kind of ['thumbnail', 'preview'] as const) {
    const bytes = pictures[kind];
    const path = previewPath(file.sha256, kind);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await store.put(manifest.location.prefix + path, bytes, { size: bytes.length, sha256, contentType: 'image/png' });
    items.push({ path, size: bytes.length, sha256, kind, of: file.path, recipe: previewRecipe });
  }
  return items;
}
