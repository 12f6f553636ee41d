// The S3 server the storage tests use: the RADOS Gateway that `npm test` starts (scripts/s3-gateway.mjs) and
// announces through S3_TEST_* variables. Run on their own (`npx vitest run test/storage`), the tests start it
// themselves (the script reuses a running gateway), so they never silently skip the real server.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createS3Client } from '../../storage/s3-store.ts';

export interface S3TestEnv {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

let cached: S3TestEnv | undefined;

export function s3TestEnv(): S3TestEnv {
  if (cached) return cached;
  if (!process.env.S3_TEST_ENDPOINT) {
    const script = fileURLToPath(new URL('../../scripts/s3-gateway.mjs', import.meta.url));
    const line =
      execFileSync(process.execPath, [script, 'start'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 240_000,
      })
        .trim()
        .split('\n')
        .pop() ?? '{}';
    Object.assign(process.env, JSON.parse(line));
  }
  cached = {
    endpoint: process.env.S3_TEST_ENDPOINT!,
    accessKeyId: process.env.S3_TEST_ACCESS_KEY_ID!,
    secretAccessKey: process.env.S3_TEST_SECRET_ACCESS_KEY!,
  };
  return cached;
}

export function testClient(): S3Client {
  const env = s3TestEnv();
  return createS3Client({
    endpoint: env.endpoint,
    credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey },
  });
}

/** A fresh bucket with a unique name. */
export async function createTestBucket(client: S3Client, label: string): Promise<string> {
  const name = `t-${label}-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

export async function removeTestBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}
