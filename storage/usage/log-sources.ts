// Where a mirror's access logs are: a folder on this machine (a web server's logs, or a bucket's logs copied
// down), or a prefix of a bucket where the store delivers them (`s3://bucket/prefix/`), read through the
// mirror's own endpoint and credentials. Logs are read, never written or deleted.
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { credentialsOf, type Mirror } from '../mirrors.ts';
import { StorageError } from '../errors.ts';
import { createS3Client, createS3Store } from '../s3-store.ts';
import type { ObjectStore } from '../store.ts';

export interface LogObject {
  /** Stable name of the log in the state: the path under the folder, or `s3://bucket/key`. */
  id: string;
  /** Size in bytes now. */
  size: number;
  /** The bytes from `start` on. */
  open(start: number): Promise<Readable>;
}

export interface LogSource {
  /** Where the logs are, for messages. */
  where: string;
  /** Every log, in name order (S3 and CloudFront put the time in the name, so this is time order). */
  list(): AsyncIterable<LogObject>;
}

/** Every regular file under `root` (links and hidden files are not followed), in path order. */
export function folderLogSource(root: string): LogSource {
  async function* walk(folder: string): AsyncGenerator<LogObject> {
    const names = (await readdir(folder)).filter((name) => !name.startsWith('.')).sort();
    for (const name of names) {
      const path = join(folder, name);
      const info = await lstat(path);
      if (info.isDirectory()) yield* walk(path);
      else if (info.isFile())
        yield {
          id: relative(root, path).split(sep).join('/'),
          size: info.size,
          open: async (start) => createReadStream(path, { start }),
        };
    }
  }
  return {
    where: root,
    async *list() {
      let info;
      try {
        info = await lstat(root);
      } catch (error) {
        throw new StorageError('LOGS_NOT_FOUND', `the log folder ${root} does not exist`, { cause: error });
      }
      if (info.isFile()) {
        const file = root;
        yield { id: file.split(sep).pop()!, size: info.size, open: async (start) => createReadStream(file, { start }) };
      } else yield* walk(root);
    },
  };
}

/** The logs under a prefix of an object store. */
export function storeLogSource(store: ObjectStore, prefix: string, name: string): LogSource {
  return {
    where: name,
    async *list() {
      for await (const object of store.list(prefix))
        yield {
          id: `${name.replace(/\/$/, '')}/${object.key.slice(prefix.length)}`,
          size: object.size,
          async open(start) {
            const stream = await store.read(object.key);
            return start === 0 ? stream : Readable.from(skipBytes(stream, start));
          },
        };
    },
  };
}

async function* skipBytes(stream: Readable, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (left >= chunk.length) left -= chunk.length;
    else {
      yield left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
    }
  }
}

const s3Url = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?(.*)$/;

/**
 * The log source of `--logs`: `s3://bucket/prefix` through the mirror's endpoint and credentials, or a folder
 * (or one file).
 */
export function openLogSource(logs: string, mirror: Mirror, env: NodeJS.ProcessEnv = process.env): LogSource {
  if (!logs.startsWith('s3://')) return folderLogSource(logs);
  const m = s3Url.exec(logs);
  if (!m)
    throw new StorageError('BAD_URL', `--logs ${logs}: an S3 location is s3://<bucket>/<prefix>, with a valid bucket`);
  if (mirror.kind !== 's3')
    throw new StorageError(
      'BAD_URL',
      `--logs ${logs}: mirror '${mirror.id}' is a ${mirror.kind} mirror, so it has no S3 endpoint or credentials ` +
        'to read the logs with; give a folder, or the id of an s3 mirror',
    );
  const [, bucket, rest] = m;
  // The store's prefix is the last whole folder; the rest of the text filters the keys listed under it.
  const cut = rest.lastIndexOf('/') + 1;
  const client = createS3Client({
    endpoint: mirror.endpoint,
    region: mirror.region,
    credentials: credentialsOf(mirror, env),
  });
  const store = createS3Store({ id: mirror.id, client, bucket, prefix: rest.slice(0, cut) });
  return storeLogSource(store, rest.slice(cut), `s3://${bucket}/${rest.slice(0, cut)}`);
}
