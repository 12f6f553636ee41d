// A bucket that is a local folder (the embedded default mirror `local` at data/buckets/local). Writes go to a
// temporary file under <root>/.partial/ and are renamed into place, so an interrupted upload never leaves a
// half-written object under its real key.
import { createReadStream, createWriteStream } from 'node:fs';
import { constants, lstat, mkdir, open, opendir, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { capBytes } from './byte-limit.ts';
import { StorageError } from './errors.ts';
import { assertSafePath, assertSafePrefix } from './keys.ts';
import type { ObjectInfo, ObjectStore, PutBody } from './store.ts';

/** Folder under the root where partial writes live until they are whole; never listed. */
export const partialDir = '.partial';

export interface FolderStoreOptions {
  /** Mirror id, for messages. */
  id: string;
  /** The bucket folder (absolute). Created on first write. */
  root: string;
  /** Key prefix inside the folder, '' or ending with '/'. */
  prefix?: string;
}

export function createFolderStore(options: FolderStoreOptions): ObjectStore {
  const prefix = options.prefix ?? '';
  assertSafePrefix(prefix);
  const root = options.root;
  const pathOf = (key: string) => {
    assertSafePath(key);
    return join(root, ...(prefix + key).split('/'));
  };

  async function* walk(dir: string, keyPrefix: string): AsyncGenerator<ObjectInfo> {
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
        return;
      throw error;
    }
    const names: { name: string; dir: boolean; file: boolean }[] = [];
    for await (const dirent of handle)
      names.push({ name: dirent.name, dir: dirent.isDirectory(), file: dirent.isFile() });
    // Key order, like S3's ListObjectsV2 (UTF-8 binary order); '/' sorts a folder's keys among its siblings'.
    names.sort((a, b) => compareKeys(keyPrefix + a.name + (a.dir ? '/' : ''), keyPrefix + b.name + (b.dir ? '/' : '')));
    for (const entry of names) {
      if (keyPrefix === '' && entry.name === partialDir) continue;
      // Symbolic links and special files are not objects: never followed, so nothing outside the folder is served.
      if (entry.dir) yield* walk(join(dir, entry.name), `${keyPrefix}${entry.name}/`);
      else if (entry.file) {
        const info = await stat(join(dir, entry.name));
        yield { key: keyPrefix + entry.name, size: info.size };
      }
    }
  }

  return {
    id: options.id,
    kind: 'folder',
    where: root,
    localPath: pathOf,
    async head(key) {
      try {
        const info = await lstat(pathOf(key));
        return info.isFile() ? { key, size: info.size } : undefined;
      } catch (error) {
        if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
        throw error;
      }
    },
    async *list(listPrefix) {
      const base = join(root, ...prefix.split('/').filter(Boolean));
      // Walk from the deepest folder named by the prefix, then filter on the whole prefix.
      const folderPart = listPrefix.includes('/') ? listPrefix.slice(0, listPrefix.lastIndexOf('/') + 1) : '';
      if (folderPart) assertSafePrefix(folderPart);
      for await (const info of walk(join(base, ...folderPart.split('/').filter(Boolean)), folderPart)) {
        if (info.key.startsWith(listPrefix)) yield info;
      }
    },
    async read(key, readOptions) {
      try {
        // O_NOFOLLOW: a symbolic link planted in the bucket folder is not followed out of it.
        const handle = await open(pathOf(key), constants.O_RDONLY | constants.O_NOFOLLOW);
        const max = readOptions?.maxBytes;
        if (max === undefined) return handle.createReadStream();
        if (max <= 0) {
          await handle.close();
          return Readable.from([]);
        }
        // `end` is inclusive: bytes 0 .. max - 1, never more from the disk.
        return handle.createReadStream({ start: 0, end: max - 1 });
      } catch (error) {
        if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? ''))
          throw new StorageError('NOT_FOUND', `${options.id}: no object ${key}`, { cause: error });
        throw error;
      }
    },
    async put(key, body, putOptions) {
      const target = pathOf(key);
      const temporary = join(root, partialDir, `${randomBytes(8).toString('hex')}.part`);
      await mkdir(dirname(temporary), { recursive: true });
      try {
        // Stops at the promised size plus nothing: a longer body fails before its excess reaches the disk.
        await pipeline(
          toStream(body),
          capBytes(putOptions.size, `${options.id}: ${key}`),
          createWriteStream(temporary),
        );
        const written = (await stat(temporary)).size;
        if (written !== putOptions.size)
          throw new StorageError(
            'SIZE_MISMATCH',
            `${options.id}: ${key}: got ${written} bytes, expected ${putOptions.size}; nothing stored`,
          );
        await mkdir(dirname(target), { recursive: true });
        await rename(temporary, target);
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

export function toStream(body: PutBody): Readable {
  if (body instanceof Uint8Array) return Readable.from([body]);
  if ('file' in body) return createReadStream(body.file);
  return body.stream;
}

/** Compares keys as S3 does: by their UTF-8 bytes. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
