// `catalogue check-objects`, the pull-request check that a submission's objects are in its bucket with the
// right size: every fixture case against a folder mirror and against the same files in a bucket on the real
// RADOS Gateway; a mirror that is down or whose credentials are not set is a warning, not a failure.
import type { S3Client } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Store } from '../../storage/s3-store.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const fixtures = fileURLToPath(new URL('./fixtures/check-objects/', import.meta.url));
const bucketFolder = join(fixtures, 'bucket');
const invalidCases = readdirSync(join(fixtures, 'invalid')).sort();
const shown = (path: string) => relative(process.cwd(), path);

let work: string;
let folderMirrors: string;
let s3Mirrors: string;
let client: S3Client;
let bucket: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  work = await temporaryFolder('check-objects');
  folderMirrors = await writeMirrors(
    work,
    `mirrors:\n  - { id: fixture, kind: folder, role: primary, path: "${bucketFolder}" }\n`,
  );
  const env = s3TestEnv();
  client = testClient();
  bucket = await createTestBucket(client, 'check-objects');
  const store = createS3Store({ id: 'fixture', client, bucket });
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      if (dirent.isDirectory()) await walk(join(dir, dirent.name), `${prefix}${dirent.name}/`);
      else
        await store.put(
          prefix + dirent.name,
          { file: join(dir, dirent.name) },
          { size: readFileSync(join(dir, dirent.name)).length, sha256: '0'.repeat(64) },
        );
    }
  };
  await walk(bucketFolder, '');
  process.env.CHECK_OBJECTS_KEY = env.accessKeyId;
  process.env.CHECK_OBJECTS_SECRET = env.secretAccessKey;
  const s3Folder = join(work, 's3');
  await (await import('node:fs/promises')).mkdir(s3Folder);
  s3Mirrors = await writeMirrors(
    s3Folder,
    `mirrors:\n` +
      `  - { id: fixture, kind: s3, role: primary, endpoint: "${env.endpoint}", bucket: ${bucket}, ` +
      `credentials: { accessKeyIdEnv: CHECK_OBJECTS_KEY, ` +
      `secretAccessKeyEnv: CHECK_OBJECTS_SECRET } }\n`,
  );
});

afterAll(async () => {
  if (bucket) await removeTestBucket(client, bucket).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

for (const kind of ['folder', 's3'] as const) {
  describe(`check-objects on a ${kind} mirror`, () => {
    const mirrors = () => (kind === 'folder' ? folderMirrors : s3Mirrors);

    it('valid: every object present with its size, exit 0', async () => {
      const run = await catalogue('check-objects', join(fixtures, 'valid', 'present'), '--mirrors', mirrors());
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('3 object(s) checked in 1 manifest(s); 0 problem(s)');
    });

    for (const name of invalidCases) {
      it(`invalid/${name}: the expected problem at the manifest's line, exit 1`, async () => {
        const folder = join(fixtures, 'invalid', name);
        const expected = readFileSync(join(folder, 'expected.txt'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => `${shown(folder)}/${line}`);
        const run = await catalogue('check-objects', folder, '--mirrors', mirrors());
        expect(run.code, run.stderr).toBe(1);
        const lines = run.stdout.trim().split('\n');
        expect(lines).toHaveLength(expected.length);
        expected.forEach((line, i) =>
          expect(lines[i].startsWith(line), `${lines[i]}\n  should start with\n${line}`).toBe(true),
        );
      });
    }
  });
}

describe('check-objects when the bucket cannot be reached', () => {
  it('a mirror that does not answer: one warning, nothing checked, exit 0', async () => {
    const port = await freePort();
    const folder = join(work, 'down');
    await (await import('node:fs/promises')).mkdir(folder);
    const mirrors = await writeMirrors(
      folder,
      `mirrors:\n` +
        `  - { id: fixture, kind: s3, role: primary, endpoint: "http://127.0.0.1:${port}", ` +
        `bucket: nowhere, credentials: { accessKeyIdEnv: CHECK_OBJECTS_KEY, ` +
        `secretAccessKeyEnv: CHECK_OBJECTS_SECRET } }\n`,
    );
    const case_ = join(fixtures, 'invalid', 'object-missing');
    const run = await catalogue('check-objects', case_, '--mirrors', mirrors);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^${shown(case_)}/manifest\\.json:4:5 #/location/mirror MIRROR_UNREACHABLE ` +
          `\\(warning\\) the objects were not checked`,
      ),
    );
  });

  it("credential variables not set (a fork's pull request): a warning naming the variable, exit 0", async () => {
    const saved = process.env.CHECK_OBJECTS_SECRET;
    delete process.env.CHECK_OBJECTS_SECRET;
    try {
      const run = await catalogue('check-objects', join(fixtures, 'valid', 'present'), '--mirrors', s3Mirrors);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('MIRROR_UNREACHABLE (warning)');
      expect(run.stdout).toContain('CHECK_OBJECTS_SECRET');
    } finally {
      process.env.CHECK_OBJECTS_SECRET = saved;
    }
  });

  it('a broken manifest is reported by the manifest checks, with its line', async () => {
    const file = join(work, 'broken.json');
    await (await import('node:fs/promises')).writeFile(file, '{ "schemaVersion": 1, "files": [] }\n');
    const run = await catalogue('check-objects', file, '--mirrors', folderMirrors);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/broken\.json:1:1 # SCHEMA_INVALID|broken\.json:\d+:\d+ #\S* \w+/);
  });
});
