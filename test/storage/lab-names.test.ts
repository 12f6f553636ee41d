// File names as laboratories make them (spaces, accents, other scripts, shell metacharacters, a name kept
// decomposed on disk), through the whole path: manifest create, upload to a folder mirror, sync to buckets on the
// real RADOS Gateway with rclone and with the SDK, verify, repair, the site's download links (percent-encoded,
// fetched) and the bulk-download commands, run through sh against the bucket and a folder served over HTTP.
import { PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadsFor } from '../../site/lib/downloads.ts';
import { loadMirrors } from '../../storage/mirrors.ts';
import { createManifest } from '../../storage/manifest.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import type { Manifest } from '../../schemas/index.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const run$ = promisify(execFile);
const archive = fileURLToPath(new URL('../../archive/', import.meta.url));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Names on disk; the last is decomposed (NFD), as macOS writes it, and goes into the manifest as NFC. */
const onDisk: Record<string, number> = {
  'plate 1/well A01.tif': 70_000,
  'Zoë_notes.csv': 500,
  "it's $(touch pwned) & `touch pwned2` ; #1 [a] 50%+ {b}.txt": 300,
  '顕微鏡/細胞 1.tif': 20_000,
  'Zoe\u0308 2.csv': 100,
};
const inManifest = Object.keys(onDisk).map((name) => name.normalize('NFC'));

let work: string;
let catalog: string;
let bucket: string;
let dataFolder: string;
let mirrorsFile: string;
let client: S3Client;
let server: Server;
let publicUrl: string;
let manifest: Manifest;
const buckets: string[] = [];
const bytes = new Map<string, Buffer>();

/** A folder mirror served over HTTP as a plain web server would: files, and an index page per folder. */
function serveFolder(root: string): Server {
  return createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return void response.writeHead(403).end();
    try {
      const info = await lstat(file);
      if (info.isDirectory()) {
        const entries = await readdir(file, { withFileTypes: true });
        const links = entries
          .map((e) => `<a href="${encodeURIComponent(e.name)}${e.isDirectory() ? '/' : ''}">x</a>`)
          .join('\n');
        response
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(`<html><body>\n${links}\n</body></html>`);
        return;
      }
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
  });
}

const run = (...args: string[]) => catalogue(...args, '--catalog', catalog, '--mirrors', mirrorsFile);

beforeAll(async () => {
  const env = s3TestEnv();
  process.env.LAB_NAMES_KEY_ID = env.accessKeyId;
  process.env.LAB_NAMES_SECRET = env.secretAccessKey;
  client = testClient();
  work = await temporaryFolder('lab-names');
  catalog = join(work, 'catalog');
  bucket = join(work, 'bucket');
  dataFolder = join(work, 'data');
  await cp(join(archive, 'entries', 'BIC0000013'), join(catalog, 'entries', 'BIC0000013'), { recursive: true });
  for (const [name, size] of Object.entries(onDisk)) {
    const parts = name.split('/');
    await mkdir(join(dataFolder, ...parts.slice(0, -1)), { recursive: true });
    const body = randomBytes(size);
    bytes.set(name.normalize('NFC'), body);
    await writeFile(join(dataFolder, ...parts), body);
  }
  server = serveFolder(bucket);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const [a, b] = [await createTestBucket(client, 'laba'), await createTestBucket(client, 'labb')];
  buckets.push(a, b);
  // Anonymous read and list, as a public mirror grants, for the bulk-download commands.
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [`arn:aws:s3:::${a}`, `arn:aws:s3:::${a}/*`],
      },
    ],
  };
  await client.send(new PutBucketPolicyCommand({ Bucket: a, Policy: JSON.stringify(policy) }));
  const s3 = (id: string, name: string, extra = '') =>
    `  - { id: ${id}, kind: s3, role: mirror, endpoint: "${env.endpoint}", bucket: ${name}, ` +
    `prefix: catalogue/, credentials: { accessKeyIdEnv: LAB_NAMES_KEY_ID, ` +
    `secretAccessKeyEnv: LAB_NAMES_SECRET }${extra} }\n`;
  mirrorsFile = await writeMirrors(
    work,
    `mirrors:\n` +
      `  - { id: local, kind: folder, role: primary, path: "${bucket}", ` +
      `publicBaseUrl: "${publicUrl}" }\n` +
      `${s3('s3a', a, `, publicBaseUrl: "${env.endpoint}/${a}/catalogue/"`)}${s3('s3b', b)}`,
  );
}, 240_000);

afterAll(async () => {
  server?.close();
  for (const name of buckets) await removeTestBucket(client, name).catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
});

describe('file names as laboratories make them', () => {
  it("manifest create keeps them, in NFC, and the catalogue's manifest checks accept them", async () => {
    const created = await createManifest(dataFolder, { prefix: 'BIC0000013/' });
    expect(created.problems).toEqual([]);
    manifest = created.manifest;
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...inManifest].sort());
    await writeFile(join(catalog, 'entries', 'BIC0000013', 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    // The catalogue's manifest checks (schema, path rules, collisions), as `catalogue check` runs them.
    const read = await readManifestFile(join(catalog, 'entries', 'BIC0000013', 'manifest.json'), catalog);
    expect(read.problems).toEqual([]);
    expect(read.manifest?.files).toHaveLength(5);
  });

  it('upload (a decomposed name on disk found by its NFC path), sync by rclone and by the SDK, verify', async () => {
    const upload = await run('upload', 'BIC0000013', '--files', dataFolder, '--mirror', 'local');
    expect(upload.stderr).toBe('');
    expect(upload.stdout).toContain('5 uploaded');
    const rclone = await run('mirror', 'sync', '--to', 's3a', '--engine', 'rclone');
    expect(rclone.stderr).toBe('');
    expect(rclone.stdout).toMatch(/local -> s3a: 5 copied \(\d+ bytes, via rclone\)/);
    const sdk = await run('mirror', 'sync', '--to', 's3b', '--engine', 'sdk');
    expect(sdk.stderr).toBe('');
    expect(sdk.stdout).toMatch(/local -> s3b: 5 copied \(\d+ bytes, via sdk\)/);
    const store = createS3Store({ id: 's3a', client, bucket: buckets[0], prefix: 'catalogue/' });
    const keys: string[] = [];
    for await (const info of store.list('BIC0000013/')) keys.push(info.key);
    expect(keys.sort()).toEqual(inManifest.map((p) => `BIC0000013/${p}`).sort());
    const verify = await run('mirror', 'verify');
    expect(verify.stdout + verify.stderr).not.toMatch(/MISSING|WRONG|UNSAFE|UNREADABLE/);
    expect(verify.code).toBe(0);
  }, 120_000);

  it('verify finds a changed and a missing copy by those names; repair replaces them', async () => {
    const plate = 'plate 1/well A01.tif';
    await writeFile(join(bucket, 'BIC0000013', 'plate 1', 'well A01.tif'), randomBytes(onDisk[plate]));
    await createS3Store({ id: 's3b', client, bucket: buckets[1], prefix: 'catalogue/' }).delete(
      'BIC0000013/顕微鏡/細胞 1.tif',
    );
    const verify = await run('mirror', 'verify');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`local BIC0000013/${plate}: WRONG_CHECKSUM`);
    expect(verify.stdout).toContain('s3b BIC0000013/顕微鏡/細胞 1.tif: MISSING');
    expect((await run('mirror', 'repair', '--mirror', 'local')).code).toBe(0);
    expect((await run('mirror', 'repair', '--mirror', 's3b')).code).toBe(0);
    expect((await run('mirror', 'verify')).code).toBe(0);
  }, 120_000);

  it('download links are percent-encoded and each fetches the file', async () => {
    const { files } = downloadsFor(manifest, (await loadMirrors(mirrorsFile)).mirrors, 'BIC0000013');
    expect(files).toHaveLength(5);
    for (const file of files) {
      expect(file.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/BIC0000013\/[A-Za-z0-9%._~!*'()/-]+$/);
      const response = await fetch(file.url!);
      expect(response.status, file.path).toBe(200);
      expect(sha(new Uint8Array(await response.arrayBuffer())), file.path).toBe(sha(bytes.get(file.path)!));
    }
  });

  it('the bulk-download commands, run through sh, fetch every file whole, and the ' +
    'check command confirms it', async () => {
    const { bulk } = downloadsFor(manifest, (await loadMirrors(mirrorsFile)).mirrors, 'BIC0000013');
    const check = bulk.find((c) => c.label.startsWith('Check'))!;
    const fetchers = bulk.filter((c) => c !== check);
    expect(fetchers.map((c) => c.label)).toEqual(['rclone (mirror local)', 'aws (mirror s3a)', 'rclone (mirror s3a)']);
    // The user's shell, without this machine's test settings: no credentials, no custom CA bundle.
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_DEFAULT_REGION: 'us-east-1',
    };
    for (const command of fetchers) {
      const cwd = await mkdtemp(join(tmpdir(), 'bulk-'));
      try {
        await run$('sh', ['-c', command.command], { cwd, env, timeout: 60_000 });
        const got = await run$('sh', ['-c', check.command], { cwd, env });
        expect(got.stdout.trim().split('\n').sort(), command.label).toEqual(inManifest.map((p) => `${p}: OK`).sort());
        // Nothing in a name was run as a command.
        expect(
          existsSync(join(cwd, 'pwned')) ||
            existsSync(join(cwd, 'pwned2')) ||
            existsSync(join(cwd, 'BIC0000013', 'pwned')),
          command.label,
        ).toBe(false);
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    }
  }, 180_000);
});
