// One contract, every implementation: the local folder bucket and S3 (a real Ceph RADOS Gateway).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { createTestBucket, removeTestBucket, testClient } from './s3-env.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
async function keys(store: ObjectStore, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const info of store.list(prefix)) out.push(info.key);
  return out;
}

interface Implementation {
  name: string;
  setUp(): Promise<{ store: ObjectStore; tearDown(): Promise<void> }>;
  recordsSha256: boolean;
}

const implementations: Implementation[] = [
  {
    name: 'folder',
    recordsSha256: false,
    async setUp() {
      const root = await mkdtemp(join(tmpdir(), 'store-contract-'));
      return {
        store: createFolderStore({ id: 'local', root: join(root, 'bucket'), prefix: 'catalogue/' }),
        tearDown: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3 (RADOS Gateway)',
    recordsSha256: true,
    async setUp() {
      const client = testClient();
      const bucket = await createTestBucket(client, 'contract');
      return {
        store: createS3Store({ id: 's3', client, bucket, prefix: 'catalogue/' }),
        tearDown: () => removeTestBucket(client, bucket),
      };
    },
  },
];

describe.each(implementations)('ObjectStore contract: $name', (implementation) => {
  let store: ObjectStore;
  let tearDown: () => Promise<void>;
  beforeAll(async () => {
    ({ store, tearDown } = await implementation.setUp());
  }, 240_000);
  afterAll(async () => tearDown?.());

  it('stores bytes and reads them back, with size (and sha256 where the store records it)', async () => {
    const bytes = randomBytes(1000);
    await store.put('BIC0000013/images/a.tif', bytes, {
      size: bytes.length,
      sha256: sha(bytes),
      contentType: 'image/tiff',
    });
    expect(Buffer.compare(await readAll(await store.read('BIC0000013/images/a.tif')), bytes)).toBe(0);
    const info = await store.head('BIC0000013/images/a.tif');
    expect(info?.size).toBe(1000);
    if (implementation.recordsSha256) expect(info?.sha256).toBe(sha(bytes));
  });

  it('stores a file and a stream larger than one part (multipart on S3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'store-body-'));
    const bytes = randomBytes(17 * 1024 * 1024 + 3);
    await writeFile(join(dir, 'big.bin'), bytes);
    await store.put('BIC0000013/big.bin', { file: join(dir, 'big.bin') }, { size: bytes.length, sha256: sha(bytes) });
    expect(sha(await readAll(await store.read('BIC0000013/big.bin')))).toBe(sha(bytes));
    await store.put(
      'BIC0000013/streamed.bin',
      { stream: Readable.from([bytes.subarray(0, 5), bytes.subarray(5, 100)]) },
      { size: 100, sha256: sha(bytes.subarray(0, 100)) },
    );
    expect((await store.head('BIC0000013/streamed.bin'))?.size).toBe(100);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('refuses a body of the wrong size and keeps nothing under the key', async () => {
    await expect(
      store.put('BIC0000013/short.bin', Buffer.from('abc'), { size: 4, sha256: sha(Buffer.from('abcd')) }),
    ).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
    expect(await store.head('BIC0000013/short.bin')).toBeUndefined();
  });

  it('answers undefined for a missing object and NOT_FOUND when reading it', async () => {
    expect(await store.head('BIC0000013/nothing-here.tif')).toBeUndefined();
    await expect(store.read('BIC0000013/nothing-here.tif')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists in key order under a prefix, and deletes', async () => {
    for (const key of ['BIC0000021/b.csv', 'BIC0000021/a/z.png', 'BIC0000021/a.b', 'BIC0000022/c.txt']) {
      await store.put(key, Buffer.from(key), { size: key.length, sha256: sha(Buffer.from(key)) });
    }
    expect(await keys(store, 'BIC0000021/')).toEqual(['BIC0000021/a.b', 'BIC0000021/a/z.png', 'BIC0000021/b.csv']);
    expect(await keys(store, 'BIC000002')).toEqual([
      'BIC0000021/a.b',
      'BIC0000021/a/z.png',
      'BIC0000021/b.csv',
      'BIC0000022/c.txt',
    ]);
    await store.delete('BIC0000021/b.csv');
    await store.delete('BIC0000021/b.csv');
    expect(await keys(store, 'BIC0000021/')).toEqual(['BIC0000021/a.b', 'BIC0000021/a/z.png']);
  });

  it('overwrites an object whole', async () => {
    await store.put('BIC0000037/x.txt', Buffer.from('first'), { size: 5, sha256: sha(Buffer.from('first')) });
    await store.put('BIC0000037/x.txt', Buffer.from('second!'), { size: 7, sha256: sha(Buffer.from('second!')) });
    expect((await readAll(await store.read('BIC0000037/x.txt'))).toString()).toBe('second!');
  });

  it.each([
    ['../escape.txt', 'PATH_TRAVERSAL'],
    ['BIC0000013/../../etc/passwd', 'PATH_TRAVERSAL'],
    ['/etc/passwd', 'PATH_ABSOLUTE'],
    ['BIC0000013//a', 'PATH_EMPTY_SEGMENT'],
    ['BIC0000013/a|b.tif', 'PATH_CHARACTER'],
    ['BIC0000013/ a.tif', 'PATH_SPACE_EDGE'],
    ['BIC0000013/Zoe\u0308.csv', 'PATH_NOT_NFC'],
    ['BIC0000013\\a.tif', 'PATH_BACKSLASH'],
  ])('refuses the unsafe key %j (%s) for every operation', async (key, rule) => {
    await expect(store.put(key, Buffer.from('x'), { size: 1, sha256: sha(Buffer.from('x')) })).rejects.toMatchObject({
      code: 'UNSAFE_KEY',
      rule,
    });
    await expect(store.head(key)).rejects.toMatchObject({ code: 'UNSAFE_KEY', rule });
    await expect(store.read(key)).rejects.toMatchObject({ code: 'UNSAFE_KEY', rule });
    await expect(store.delete(key)).rejects.toMatchObject({ code: 'UNSAFE_KEY', rule });
  });
});

describe('folder store specifics', () => {
  it('never follows a symbolic link planted in the bucket folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'store-link-'));
    await writeFile(join(root, 'secret.txt'), 'secret');
    const store = createFolderStore({ id: 'local', root: join(root, 'bucket') });
    await store.put('BIC0000013/ok.txt', Buffer.from('ok'), { size: 2, sha256: sha(Buffer.from('ok')) });
    await symlink(join(root, 'secret.txt'), join(root, 'bucket', 'BIC0000013', 'link.txt'));
    expect(await keys(store)).toEqual(['BIC0000013/ok.txt']);
    expect(await store.head('BIC0000013/link.txt')).toBeUndefined();
    await expect(store.read('BIC0000013/link.txt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await rm(root, { recursive: true, force: true });
  });
});
