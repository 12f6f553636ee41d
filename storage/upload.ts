// Upload per a manifest, resumable: an object already present with the right size and sha256 is skipped, so
// a run that was interrupted is completed by running it again. The local file is hashed before it is sent:
// a manifest that lies about a file (or a file changed since) is reported, and that file is not uploaded.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, ManifestFile } from '../schemas/index.ts';
import { isMirrorDown, messageOf } from './errors.ts';
import { contentTypeOf } from './formats.ts';
import { createHashPool, type HashPool } from './hash-pool.ts';
import { hashObject } from './fixity.ts';
import { unsafePathProblem } from './keys.ts';
import { runTasks } from './run-tasks.ts';
import type { ObjectStore } from './store.ts';

export interface UploadProblem {
  path: string;
  code: 'LOCAL_MISSING' | 'LOCAL_SIZE_MISMATCH' | 'LOCAL_CHECKSUM_MISMATCH' | 'UNSAFE_PATH' | 'UPLOAD_FAILED';
  message: string;
}

export interface UploadResult {
  mirror: string;
  uploaded: number;
  skipped: number;
  bytesUploaded: number;
  problems: UploadProblem[];
  /** Set when the mirror stopped answering; the run is incomplete and can be resumed. */
  unavailable?: string;
}

export interface UploadOptions {
  /** Folder holding the files, paths as in the manifest. */
  folder: string;
  store: ObjectStore;
  /** Uploads in flight (default 4). */
  concurrency?: number;
  pool?: HashPool;
  onProgress?: (done: number, total: number) => void;
}

/** Is the object on the store already right? Size and recorded sha256, or (folder stores) the bytes. */
export async function alreadyRight(
  store: ObjectStore,
  key: string,
  size: number,
  sha256: string,
  pool?: HashPool,
): Promise<boolean> {
  const info = await store.head(key);
  if (!info || info.size !== size) return false;
  if (info.sha256 !== undefined) return info.sha256 === sha256;
  // No recorded checksum (a folder store, or an object written by another tool): read the bytes.
  return (await hashObject(store, key, pool, size)).sha256 === sha256;
}

/**
 * The file behind a manifest path in `folder`. Paths are NFC; a folder copied from macOS may spell the same name
 * decomposed (NFD): when the NFC spelling is absent, each name is looked up among its folder's entries by its
 * NFC form. Returns the NFC spelling when nothing matches, so that the caller reports it missing.
 */
export async function localFile(folder: string, path: string): Promise<string> {
  const direct = join(folder, ...path.split('/'));
  if (await exists(direct)) return direct;
  let dir = folder;
  for (const segment of path.split('/')) {
    const names = await readdir(dir).catch(() => [] as string[]);
    const name = names.includes(segment) ? segment : names.find((n) => n.normalize('NFC') === segment);
    if (name === undefined) return direct;
    dir = join(dir, name);
  }
  return dir;
}

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

export async function uploadManifest(manifest: Manifest, options: UploadOptions): Promise<UploadResult> {
  const { store } = options;
  const pool = options.pool ?? createHashPool();
  const result: UploadResult = { mirror: store.id, uploaded: 0, skipped: 0, bytesUploaded: 0, problems: [] };
  const total = manifest.files.reduce((s, f) => s + f.size, 0);
  let done = 0;
  /** Uploads one file, or returns why its local copy may not be uploaded. */
  async function uploadFile(file: ManifestFile, key: string, signal: AbortSignal): Promise<UploadProblem | undefined> {
    if (await alreadyRight(store, key, file.size, file.sha256, pool)) {
      result.skipped++;
      return undefined;
    }
    const local = await localFile(options.folder, file.path);
    let digest;
    try {
      digest = await pool.hashFile(local);
    } catch (error) {
      return { path: file.path, code: 'LOCAL_MISSING', message: `cannot read ${local}: ${messageOf(error)}` };
    }
    if (digest.size !== file.size) {
      const message = `the file has ${digest.size} bytes; the manifest says ${file.size}; not uploaded`;
      return { path: file.path, code: 'LOCAL_SIZE_MISMATCH', message };
    }
    if (digest.sha256 !== file.sha256) {
      const message = `the file's sha256 is ${digest.sha256}; the manifest says ${file.sha256}; not uploaded`;
      return { path: file.path, code: 'LOCAL_CHECKSUM_MISMATCH', message };
    }
    // The mirror went down while this file was hashed: leave it for the next run.
    signal.throwIfAborted();
    const contentType = contentTypeOf(file.format);
    await store.put(key, { file: local }, { size: file.size, sha256: file.sha256, contentType });
    result.uploaded++;
    result.bytesUploaded += file.size;
    return undefined;
  }
  try {
    const run = await runTasks(
      manifest.files,
      async (file, _index, signal) => {
        const unsafe = unsafePathProblem(file.path, 'not uploaded');
        if (unsafe) {
          result.problems.push(unsafe);
          return;
        }
        let problem: UploadProblem | undefined;
        try {
          problem = await uploadFile(file, manifest.location.prefix + file.path, signal);
        } finally {
          // A file refused for its local copy is not progress; one uploaded, skipped or failed is.
          if (!problem) {
            done += file.size;
            options.onProgress?.(done, total);
          }
        }
        if (problem) result.problems.push(problem);
      },
      { concurrency: options.concurrency ?? 4, isFatal: isMirrorDown },
    );
    if (run.fatal) result.unavailable = messageOf(run.fatal);
    for (const { item: file, error } of run.failures) {
      result.problems.push({ path: file.path, code: 'UPLOAD_FAILED', message: messageOf(error) });
    }
  } finally {
    if (!options.pool) await pool.close();
  }
  return result;
}
