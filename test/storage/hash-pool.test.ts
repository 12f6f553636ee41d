// The hash pool: batches of files with a result per file, and GETs hashed in the workers from presigned URLs
// (SigV4 query signing, storage/presign.ts) against the real RADOS Gateway, which refuses a wrong signature.
import type { S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashPool, type HashPool } from '../../storage/hash-pool.ts';
import { batchFiles } from '../../storage/manifest.ts';
import { presignGetUrl } from '../../storage/presign.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import { temporaryFolder } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let pool: HashPool;
let work: string;
let client: S3Client;
let bucket: string;

beforeAll(async () => {
  pool = createHashPool({ threads: 2 });
  work = await temporaryFolder('hash-pool');
});
afterAll(async () => {
  await pool.close();
  if (bucket) await removeTestBucket(client, bucket).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('hash pool', () => {
  it('hashes a batch, one result per file: digests, a missing file and a symbolic link each reported', async () => {
    // Sizes around the 4 MiB read buffer: empty, one byte, exactly one buffer, one buffer and a byte.
    const sizes = [0, 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 70_000];
    const files: string[] = [];
    const expected: string[] = [];
    for (const [i, size] of sizes.entries()) {
      const bytes = randomBytes(size);
      files.push(join(work, `f${i}`));
      expected.push(sha(bytes));
      await writeFile(files[i], bytes);
    }
    await symlink(files[1], join(work, 'link'));
    const results = await pool.hashFiles([...files, join(work, 'missing'), join(work, 'link')]);
    expect(results.slice(0, sizes.length).map((r) => ('sha256' in r ? r.sha256 : r.message))).toEqual(expected);
    expect(results.slice(0, sizes.length).map((r) => ('size' in r ? r.size : -1))).toEqual(sizes);
    expect(results[sizes.length]).toMatchObject({ code: 'ENOENT' });
    expect(results[sizes.length + 1]).toMatchObject({ code: 'SYMLINK' });
  });

  it('batches large files alone, largest first, and small ones together', () => {
    const mib = 1024 * 1024;
    expect(batchFiles([{ size: 10 }, { size: 5 * mib }, { size: 20 }, { size: 9 * mib }])).toEqual([[3], [1], [0, 2]]);
    const many = Array.from({ length: 600 }, () => ({ size: 1 }));
    expect(batchFiles(many).map((b) => b.length)).toEqual([256, 256, 88]);
  });
});

describe('GET and hash in the workers (presigned S3 URLs)', () => {
  it('hashes an object through its presigned URL; a wrong signature and a closed port are told apart', async () => {
    const env = s3TestEnv();
    client = testClient();
    bucket = await createTestBucket(client, 'presign');
    const store = createS3Store({ id: 'presign', client, bucket, prefix: 'p/' });
    const bytes = randomBytes(3 * 1024 * 1024 + 5);
    // A key with every character a safe path may hold: '/', '_', '.' and '-' stay unencoded in SigV4.
    await store.put('dir/a_b-c.d.bin', bytes, { size: bytes.length, sha256: sha(bytes) });
    const url = await store.readUrl!('dir/a_b-c.d.bin');
    expect(url).toContain('X-Amz-Signature=');
    expect(await pool.hashUrl(url)).toMatchObject({ sha256: sha(bytes), size: bytes.length });
    // With the manifest's size, a large object takes the fast path (storage/hash-url.ts): same digest, and the
    // gateway's refusals still reach the audit in its own words.
    expect(await pool.hashUrl(url, bytes.length)).toMatchObject({ sha256: sha(bytes), size: bytes.length });

    const forged = presignGetUrl({
      endpoint: new URL(env.endpoint) as unknown as { protocol: string; hostname: string; port?: number },
      region: 'us-east-1',
      bucket,
      key: 'p/dir/a_b-c.d.bin',
      credentials: { accessKeyId: env.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    await expect(pool.hashUrl(forged)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(pool.hashUrl(forged, bytes.length)).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(pool.hashUrl(url.replace('a_b-c', 'nope'), bytes.length)).rejects.toMatchObject({
      code: expect.stringMatching(/NOT_FOUND|ACCESS_DENIED/),
    });
    // Unsigned: the object is private.
    await expect(pool.hashUrl(url.slice(0, url.indexOf('?')))).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(pool.hashUrl(url.replace('a_b-c', 'nope'))).rejects.toMatchObject({
      code: expect.stringMatching(/NOT_FOUND|ACCESS_DENIED/),
    });
    await expect(pool.hashUrl('http://127.0.0.1:1/x')).rejects.toMatchObject({ code: 'MIRROR_UNAVAILABLE' });
  });
});
