import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/**
 * Writes a file whole or not at all, and durably: a temporary file `.<name>.<pid>.<time>-<random>.tmp` beside it
 * (created exclusively, so an existing file or link of that name is never followed), flushed with fsync, renamed over
 * the target (atomic on POSIX filesystems; a link at the target is replaced, not followed), then the folder is
 * flushed so that the rename itself survives a crash (rename(2) alone is durable only once the directory entry
 * is on disk, see fsync(2)). When any step fails, the temporary file is removed and the old file is left as it
 * was. The accession ledger's promise (an accession is never given twice) rests on this.
 */
export interface WriteFileAtomicOptions {
  /**
   * Flush the file and its folder to disk (default true). Turn it off only for files that can be made again
   * (generated demo data): the file is still whole or absent, just not guaranteed to survive a power cut.
   */
  durable?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const durable = options.durable ?? true;
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  // The random part keeps two writes of one file in the same millisecond (or from two worker threads) apart.
  const temporary = join(
    folder,
    `.${basename(path)}.${process.pid}.${Date.now()}-${randomBytes(4).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'wx');
  try {
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  if (durable) await syncFolder(folder);
}

/** Flushes a folder's entries (names created, renamed or removed in it) to disk, as fsync(2) asks after a rename. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems cannot fsync a directory (EINVAL, EISDIR on a few); the data itself is already flushed.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw error;
  } finally {
    await handle.close();
  }
}
