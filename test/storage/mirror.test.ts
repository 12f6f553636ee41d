// Mirrors end to end, through the `catalogue` command: a local folder bucket (primary) and two buckets on a
// real Ceph RADOS Gateway (mirrors), replicated by rclone and by the SDK, audited, broken behind the
// catalogue's back, repaired; a mirror that is down; missing credentials; deletions bounded by tombstones.
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile, unlink, truncate } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifest } from '../../storage/manifest.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import type { MirrorStatusFile } from '../../storage/status.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const archive = fileURLToPath(new URL('../../archive/', import.meta.url));
let work: string;
let catalog: string;
let bucket: string;
let mirrorsFile: string;
let client: S3Client;
const buckets: string[] = [];
const data: Record<string, string> = {};

async function makeData(folder: string, files: Record<string, number>) {
  for (const [path, size] of Object.entries(files)) {
    await mkdir(join(folder, ...path.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(folder, ...path.split('/')), randomBytes(size));
  }
}

const s3 = (bucketName: string) => createS3Store({ id: bucketName, client, bucket: bucketName, prefix: 'catalogue/' });

beforeAll(async () => {
  const env = s3TestEnv();
  process.env.MIRROR_TEST_KEY_ID = env.accessKeyId;
  process.env.MIRROR_TEST_SECRET = env.secretAccessKey;
  client = testClient();
  work = await temporaryFolder('mirror');
  catalog = join(work, 'catalog');
  bucket = join(work, 'bucket');
  // Three entries of the demo catalogue, their manifests replaced by ones made from small random data.
  for (const accession of ['BIC0000013', 'BIC0000021', 'BIC0000229']) {
    await cp(join(archive, 'entries', accession), join(catalog, 'entries', accession), { recursive: true });
  }
  const plan: Record<string, Record<string, number>> = {
    BIC0000013: { 'movies/a.mrc': 200_000, 'movies/b.mrc': 150_000, 'notes.txt': 1000 },
    BIC0000021: { 'img.ome.zarr/.zattrs': 40, 'img.ome.zarr/0/0': 70_000, 'table.csv': 500 },
    BIC0000229: { 'old/duplicate.tif': 3000, 'old/other.tif': 3000 },
  };
  for (const [accession, files] of Object.entries(plan)) {
    data[accession] = join(work, 'data', accession);
    await makeData(data[accession], files);
    const { manifest } = await createManifest(data[accession], { prefix: `${accession}/` });
    await writeFile(join(catalog, 'entries', accession, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  }
  // The withdrawn entry allows its files to be deleted.
  const tombstone = join(catalog, 'entries', 'BIC0000229', 'tombstone.yaml');
  await writeFile(
    tombstone,
    (await readFile(tombstone, 'utf8')).replace(
      '  replacedBy: BIC0000068\n',
      '  replacedBy: BIC0000068\n  deleteFiles: true\n',
    ),
  );
  const [a, b] = [await createTestBucket(client, 'mira'), await createTestBucket(client, 'mirb')];
  buckets.push(a, b);
  mirrorsFile = await writeMirrors(
    work,
    `
mirrors:
  - { id: local, kind: folder, role: primary, path: ${bucket} }
  - id: s3a
    kind: s3
    role: mirror
    endpoint: ${env.endpoint}
    bucket: ${a}
    prefix: catalogue/
    credentials: { accessKeyIdEnv: MIRROR_TEST_KEY_ID, secretAccessKeyEnv: MIRROR_TEST_SECRET }
    publicBaseUrl: ${env.endpoint}/${a}/catalogue/
  - id: s3b
    kind: s3
    role: mirror
    endpoint: ${env.endpoint}
    bucket: ${b}
    prefix: catalogue/
    credentials: { accessKeyIdEnv: MIRROR_TEST_KEY_ID, secretAccessKeyEnv: MIRROR_TEST_SECRET }
`,
  );
}, 240_000);

afterAll(async () => {
  for (const name of buckets) await removeTestBucket(client, name).catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
});

const run = (...args: string[]) => catalogue(...args, '--catalog', catalog, '--mirrors', mirrorsFile);
const status = async () => JSON.parse(await readFile(join(catalog, 'mirror-status.json'), 'utf8')) as MirrorStatusFile;

describe('upload', () => {
  it('uploads an entry to the primary, then skips what is already right', async () => {
    for (const accession of ['BIC0000013', 'BIC0000021', 'BIC0000229']) {
      const first = await run('upload', accession, '--files', data[accession], '--mirror', 'local');
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
    }
    const again = await run('upload', 'BIC0000013', '--files', data.BIC0000013, '--mirror', 'local');
    expect(again.stdout).toContain('0 uploaded (0 bytes), 3 already there');
  });

  it('uploads to S3 and is resumable: a partly uploaded entry is completed', async () => {
    const one = await run('upload', 'BIC0000021', '--files', data.BIC0000021, '--mirror', 's3b');
    expect(one.stdout).toContain('3 uploaded');
    await s3(buckets[1]).delete('BIC0000021/table.csv');
    const again = await run('upload', 'BIC0000021', '--files', data.BIC0000021, '--mirror', 's3b');
    expect(again.stdout).toContain('1 uploaded (500 bytes), 2 already there');
    expect((await s3(buckets[1]).head('BIC0000021/img.ome.zarr/0/0'))?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a local file that does not match the manifest (a lying manifest), and uploads the rest', async () => {
    const lying = join(work, 'lying');
    await cp(data.BIC0000013, lying, { recursive: true });
    await writeFile(join(lying, 'notes.txt'), randomBytes(1000));
    await s3(buckets[1])
      .delete('BIC0000013/notes.txt')
      .catch(() => {});
    const result = await run('upload', 'BIC0000013', '--files', lying, '--mirror', 's3b');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        String.raw`notes\.txt: LOCAL_CHECKSUM_MISMATCH the file's sha256 is [0-9a-f]{64}; the ` +
          String.raw`manifest says [0-9a-f]{64}; not uploaded`,
      ),
    );
    expect(await s3(buckets[1]).head('BIC0000013/notes.txt')).toBeUndefined();
  });
});

describe('sync, verify, repair', () => {
  it('replicates the live entries to every mirror with rclone, then audits them clean', async () => {
    const sync = await run('mirror', 'sync', '--all');
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toMatch(/local -> s3a: 6 copied \(\d+ bytes, via rclone\), 0 already there/);
    expect(sync.stdout).toMatch(/local -> s3b: \d copied .*via rclone/);
    // rclone -M carries the sha256 metadata from store to store only when both are S3; a copy from a folder
    // has none, and the audit reads the bytes anyway.
    const verify = await run('mirror', 'verify');
    expect(verify.stdout).toContain('s3a: 6 objects');
    expect(verify.code).toBe(0);
    const file = await status();
    expect(file.mirrors.map((m) => [m.id, m.available, m.lastAudit?.ok])).toEqual([
      ['local', true, true],
      ['s3a', true, true],
      ['s3b', true, true],
    ]);
    expect(file.mirrors.find((m) => m.id === 's3a')!.lastSync).toMatchObject({
      from: 'local',
      copied: 6,
      ok: true,
      via: 'rclone',
    });
  }, 120_000);

  it('a second sync copies nothing; objects of withdrawn entries are never replicated anew', async () => {
    const sync = await run('mirror', 'sync', '--to', 's3a', '--json');
    const out = JSON.parse(sync.stdout);
    expect(out.results[0]).toMatchObject({ copied: 0, present: 6, deleted: 0 });
  });

  it("finds every object changed or removed behind the catalogue's back, and exits 1", async () => {
    const local = join(bucket, 'BIC0000013');
    await writeFile(join(local, 'notes.txt'), randomBytes(1000)); // same size, other bytes
    await truncate(join(local, 'movies', 'b.mrc'), 10); // wrong size
    await unlink(join(local, 'movies', 'a.mrc')); // missing
    await writeFile(join(local, 'stray.bin'), 'not in any manifest');
    const verify = await run('mirror', 'verify', '--mirror', 'local', '--json');
    expect(verify.code).toBe(1);
    const findings = JSON.parse(verify.stdout).mirrors[0].findings.map(
      (f: { key: string; code: string }) => `${f.code} ${f.key}`,
    );
    expect(findings).toEqual([
      'MISSING BIC0000013/movies/a.mrc',
      'WRONG_SIZE BIC0000013/movies/b.mrc',
      'WRONG_CHECKSUM BIC0000013/notes.txt',
      'UNLISTED BIC0000013/stray.bin',
    ]);
    const text = await run('manifest', 'verify', 'BIC0000013');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      new RegExp(
        String.raw`local BIC0000013\/notes\.txt: WRONG_CHECKSUM sha256 [0-9a-f]{64} differs from ` +
          String.raw`the manifest's [0-9a-f]{64} \(entry BIC0000013\)`,
      ),
    );
    expect((await status()).mirrors.find((m) => m.id === 'local')!.lastAudit).toMatchObject({
      ok: false,
      problems: 4,
      byCode: { MISSING: 1, WRONG_SIZE: 1, WRONG_CHECKSUM: 1, UNLISTED: 1 },
    });
  });

  it('does not replicate a corrupt primary copy (sdk engine hashes on the way)', async () => {
    await s3(buckets[1]).delete('BIC0000013/notes.txt');
    const sync = await run('mirror', 'sync', '--to', 's3b', '--engine', 'sdk');
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain("s3b BIC0000013/notes.txt: COPY_FAILED the source's copy has sha256");
    // a.mrc, missing on the primary now, is still right on s3b: nothing to copy, nothing reported there.
    expect(sync.stderr).not.toContain('a.mrc');
    expect(await s3(buckets[1]).head('BIC0000013/notes.txt')).toBeUndefined();
  });

  it('repairs the bad copies from a mirror whose copy verifies, then verifies again', async () => {
    const repair = await run('mirror', 'repair', '--mirror', 'local');
    expect(repair.stdout).toContain(
      'local BIC0000013/notes.txt: WRONG_CHECKSUM REPAIRED replaced from s3a and verified',
    );
    expect(repair.stdout).toContain('local BIC0000013/movies/a.mrc: MISSING REPAIRED');
    expect(repair.stdout).toContain('3 of 3 repaired');
    // The stray object stays (repair never deletes) and is still reported.
    expect(repair.stdout).toContain(
      'local BIC0000013/stray.bin: UNLISTED no manifest lists this object (after repair)',
    );
    await unlink(join(bucket, 'BIC0000013', 'stray.bin'));
    expect((await run('mirror', 'verify', '--mirror', 'local')).code).toBe(0);
    expect((await run('mirror', 'sync', '--to', 's3b', '--engine', 'sdk')).code).toBe(0);
    expect((await run('mirror', 'verify', '--mirror', 's3b', '--entry', 'BIC0000013')).code).toBe(0);
  }, 60_000);

  it('reports a mirror object changed behind our back, with --sample reading only a part', async () => {
    const store = s3(buckets[0]);
    const bytes = randomBytes(500);
    await store.put('BIC0000021/table.csv', bytes, { size: 500, sha256: '0'.repeat(64) });
    const full = await run('mirror', 'verify', '--mirror', 's3a', '--entry', 'BIC0000021');
    expect(full.stdout).toContain('s3a BIC0000021/table.csv: WRONG_CHECKSUM');
    const sampled = await run('mirror', 'verify', '--mirror', 's3a', '--sample', '0.01', '--json');
    expect(JSON.parse(sampled.stdout).mirrors[0].objectsRead).toBeLessThan(6);
    expect((await run('mirror', 'repair', '--mirror', 's3a')).code).toBe(0);
  });
});

describe('deletions', () => {
  it(
    "deletes a withdrawn entry's files only when its tombstone allows, bounded per " + 'run, never a listed object',
    async () => {
      const store = s3(buckets[0]);
      for (const path of ['old/duplicate.tif', 'old/other.tif']) {
        const local = join(bucket, 'BIC0000229', ...path.split('/'));
        await store.put(`BIC0000229/${path}`, { file: local }, { size: 3000, sha256: '0'.repeat(64) });
      }
      const bounded = await run('mirror', 'sync', '--to', 's3a', '--max-deletions', '1');
      expect(bounded.stdout).toContain('1 deleted, 1 deletions left for later runs');
      const rest = await run('mirror', 'sync', '--to', 's3a');
      expect(rest.stdout).toContain('1 deleted');
      const keys: string[] = [];
      for await (const info of store.list('')) keys.push(info.key);
      expect(keys.filter((k) => k.startsWith('BIC0000229/'))).toEqual([]);
      expect(keys.filter((k) => k.startsWith('BIC0000013/'))).toHaveLength(3);
    },
  );
});

describe('faults', () => {
  it('a mirror that is down: the others are still processed, the run reports it and exits 2', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const text =
      (await readFile(mirrorsFile, 'utf8')) +
      `  - { id: down, kind: s3, role: mirror, endpoint: "http://127.0.0.1:${port}", bucket: gone, ` +
      `credentials: { accessKeyIdEnv: MIRROR_TEST_KEY_ID, secretAccessKeyEnv: MIRROR_TEST_SECRET } }\n`;
    const withDown = await writeMirrors(join(work, 'data'), text);
    const verify = await catalogue('mirror', 'verify', '--catalog', catalog, '--mirrors', withDown);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toMatch(/down: MIRROR_UNAVAILABLE mirror 'down' \(s3 bucket gone\) did not answer/);
    expect(verify.stdout).toContain('s3a: 6 objects');
    const sync = await catalogue('mirror', 'sync', '--catalog', catalog, '--mirrors', withDown, '--engine', 'sdk');
    expect(sync.code).toBe(2);
    expect(sync.stdout).toContain('local -> s3a: 0 copied');
    const file = await status();
    expect(file.mirrors.find((m) => m.id === 'down')).toMatchObject({ available: false });
    expect(file.mirrors.find((m) => m.id === 's3a')).toMatchObject({ available: true });
  }, 120_000);

  it('missing credentials: a message naming the variable, exit 2', async () => {
    const text = (await readFile(mirrorsFile, 'utf8')).replace(/MIRROR_TEST_SECRET/g, 'MIRROR_TEST_UNSET_SECRET');
    const file = await writeMirrors(join(work, 'data', 'BIC0000013'), text);
    const upload = await catalogue(
      'upload',
      'BIC0000013',
      '--files',
      data.BIC0000013,
      '--mirror',
      's3a',
      '--catalog',
      catalog,
      '--mirrors',
      file,
    );
    expect(upload.code).toBe(2);
    expect(upload.stderr).toContain("mirror 's3a': the environment variable MIRROR_TEST_UNSET_SECRET is not set");
    const verify = await catalogue('mirror', 'verify', '--catalog', catalog, '--mirrors', file);
    expect(verify.code).toBe(2);
    expect(verify.stderr).toContain('s3b: MIRROR_UNAVAILABLE');
    expect(verify.stderr).toContain('MIRROR_TEST_UNSET_SECRET');
  });

  it('an unknown mirror and a broken mirrors.yaml are usage/environment errors with the file and line', async () => {
    const unknown = await run('upload', 'BIC0000013', '--files', data.BIC0000013, '--mirror', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no mirror 'nope'");
    const broken = await writeMirrors(
      join(work, 'data', 'BIC0000021'),
      'mirrors:\n  - { id: a, kind: folder, role: primary, path: x }\n  - { id: a, kind: ftp, role: mirror }\n',
    );
    const result = await catalogue('mirror', 'verify', '--catalog', catalog, '--mirrors', broken);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/mirrors\.yaml:3:\d+ #\/mirrors\/1\/kind VALUE_NOT_ALLOWED/);
  });
});
