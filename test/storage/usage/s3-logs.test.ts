// Logs delivered by the store into a bucket (S3 server access logging writes one object per batch under a
// prefix), read through the mirror's endpoint and credentials on the real S3 gateway: the same counts as from a
// folder, each object once, a gzip-compressed log (as CloudFront delivers them) read whole.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mirror } from '../../../storage/mirrors.ts';
import { ingestLogs } from '../../../storage/usage/ingest.ts';
import { openLogSource } from '../../../storage/usage/log-sources.ts';
import { readMergedCounts } from '../../../storage/usage/merged-counts.ts';
import { stateFileOf } from '../../../storage/usage/usage-state.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from '../s3-env.ts';

const heldOut = new URL('./fixtures/held-out/', import.meta.url).pathname;
const logA = '2026-11-03-11-05-00-5F3A7C1D2E9B8A40';

let client: S3Client;
let bucket: string;
let catalog: string;
let mirror: Mirror;
const env = { USAGE_TEST_KEY: '', USAGE_TEST_SECRET: '' };

beforeAll(async () => {
  const s3 = s3TestEnv();
  env.USAGE_TEST_KEY = s3.accessKeyId;
  env.USAGE_TEST_SECRET = s3.secretAccessKey;
  client = testClient();
  bucket = await createTestBucket(client, 'usage-logs');
  catalog = await mkdtemp(join(tmpdir(), 'usage-s3-'));
  mirror = {
    id: 'a',
    kind: 's3',
    role: 'mirror',
    endpoint: s3.endpoint,
    bucket,
    credentials: { accessKeyIdEnv: 'USAGE_TEST_KEY', secretAccessKeyEnv: 'USAGE_TEST_SECRET' },
  } as Mirror;
  const put = async (key: string, body: Uint8Array) =>
    client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  await put(`logs/${logA}`, await readFile(join(heldOut, 'mirror-a', logA)));
  // The late log, gzip-compressed.
  const late = '2026-11-04-12-05-00-0A1B2C3D4E5F6071';
  await put(`logs/${late}.gz`, gzipSync(await readFile(join(heldOut, 'mirror-a-late', late))));
  await put('other/not-a-log', new TextEncoder().encode('outside the prefix\n'));
}, 240_000);
afterAll(async () => {
  await removeTestBucket(client, bucket);
  await rm(catalog, { recursive: true, force: true });
});

describe('usage ingest from a bucket', () => {
  it('reads the logs under s3://bucket/prefix once, through the mirror credentials', async () => {
    const run = () =>
      ingestLogs({
        mirror: 'a',
        stateFile: stateFileOf(catalog, 'a'),
        source: openLogSource(`s3://${bucket}/logs/`, mirror, env),
      });
    const first = await run();
    expect(first).toMatchObject({ read: 2, skippedLines: 1 });
    const second = await run();
    expect(second).toMatchObject({ read: 0, alreadyRead: 2 });
    expect((await readMergedCounts(catalog)).counts).toEqual({
      BIC0000013: { '2026-11': { regular: [3, 2, 3, 2] } },
      BIC0000021: { '2026-11': { machine: [2, 1, 2, 1] } },
      BIC0000037: { '2026-11': { regular: [1, 1, 1, 1] } },
    });
    const state = JSON.parse(await readFile(stateFileOf(catalog, 'a'), 'utf8'));
    expect(Object.keys(state.logs).sort()).toEqual([
      `s3://${bucket}/logs/${logA}`,
      `s3://${bucket}/logs/2026-11-04-12-05-00-0A1B2C3D4E5F6071.gz`,
    ]);
  });

  it('says which variable is missing when the credentials are not set', () => {
    expect(() => openLogSource(`s3://${bucket}/logs/`, mirror, {})).toThrow(/USAGE_TEST_KEY is not set/);
  });
});
