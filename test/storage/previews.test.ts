// Previews stored beside the entry's files, against the real S3 gateway: upload makes them (on by default),
// `catalogue previews` is idempotent, the derived files travel with `mirror sync` and are audited by
// `manifest verify` and `mirror verify` like submitted files, and repair puts a corrupted preview right.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestFindings } from '../../catalog/validate.ts';
import { previewPath } from '../../images/preview-recipe.ts';
import type { Manifest } from '../../schemas/index.ts';
import { createManifest } from '../../storage/manifest.ts';
import { findPicture, previewTargets } from '../../storage/preview-status.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import { decodePng, fixtures, writeTestImages } from '../images/test-images.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const archive = fileURLToPath(new URL('../../archive/', import.meta.url));
const accession = 'BIC0000013';
let work: string;
let catalog: string;
let data: string;
let mirrorsFile: string;
let client: S3Client;
let images: string;
const buckets: string[] = [];

const s3 = (index: number) => createS3Store({ id: 'test', client, bucket: buckets[index], prefix: 'catalogue/' });
const manifestPath = () => join(catalog, 'entries', accession, 'manifest.json');
const readManifest = async () => JSON.parse(await readFile(manifestPath(), 'utf8')) as Manifest;
const run = (...args: string[]) => catalogue(...args, '--catalog', catalog, '--mirrors', mirrorsFile);

beforeAll(async () => {
  const env = s3TestEnv();
  process.env.PREVIEW_TEST_KEY_ID = env.accessKeyId;
  process.env.PREVIEW_TEST_SECRET = env.secretAccessKey;
  client = testClient();
  work = await temporaryFolder('previews');
  catalog = join(work, 'catalog');
  images = await writeTestImages();
  await cp(join(archive, 'entries', accession), join(catalog, 'entries', accession), { recursive: true });
  data = join(work, 'data');
  await mkdir(join(data, 'images'), { recursive: true });
  await cp(join(fixtures, 'png/cell.png'), join(data, 'images', 'cell.png'));
  await cp(join(images, 'two-channels.ome.tif'), join(data, 'images', 'two-channels.ome.tif'));
  await cp(join(images, 'volume.mrc'), join(data, 'images', 'volume.mrc'));
  await cp(join(images, 'image.ome.zarr'), join(data, 'images', 'image.ome.zarr'), { recursive: true });
  await writeFile(join(data, 'notes.txt'), 'not an image\n');
  // Without image headers: the copied entry's imageData describes other images, and the contradiction would keep
  // the entry out of the mirror runs this file is about.
  const { manifest, problems } = await createManifest(data, {
    prefix: `${accession}/`,
    mirror: 's3a',
    readImages: false,
  });
  expect(problems).toEqual([]);
  await writeFile(manifestPath(), JSON.stringify(manifest, null, 2) + '\n');
  buckets.push(await createTestBucket(client, 'preva'), await createTestBucket(client, 'prevb'));
  const mirror = (id: string, role: string, bucket: string) => `
  - id: ${id}
    kind: s3
    role: ${role}
    endpoint: ${env.endpoint}
    bucket: ${bucket}
    prefix: catalogue/
    credentials: { accessKeyIdEnv: PREVIEW_TEST_KEY_ID, secretAccessKeyEnv: PREVIEW_TEST_SECRET }
    publicBaseUrl: ${env.endpoint}/${bucket}/catalogue/`;
  mirrorsFile = await writeMirrors(
    work,
    `mirrors:${mirror('s3a', 'primary', buckets[0])}${mirror('s3b', 'mirror', buckets[1])}\n`,
  );
}, 240_000);

afterAll(async () => {
  for (const name of buckets) await removeTestBucket(client, name).catch(() => {});
  if (work) await rm(work, { recursive: true, force: true });
  if (images) await rm(images, { recursive: true, force: true });
});

describe('upload makes the previews', () => {
  it('stores a thumbnail and a preview of every image under .derived/ and lists them in the manifest', async () => {
    const upload = await run('upload', accession, '--files', data, '--mirror', 's3a');
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(0);
    expect(upload.stdout).toContain('s3a: previews made for 4 image(s), 0 already there, 0 without');
    const manifest = await readManifest();
    const of = (path: string) => manifest.files.find((f) => f.path === path)!;
    const tiff = of('images/two-channels.ome.tif');
    expect(manifest.derived).toContainEqual(
      expect.objectContaining({
        path: previewPath(tiff.sha256, 'thumbnail'),
        kind: 'thumbnail',
        of: 'images/two-channels.ome.tif',
        recipe: 'preview@1',
      }),
    );
    expect(manifest.derived).toHaveLength(8);
    // The OME-Zarr image's previews are of its root metadata file (OME-NGFF 0.4: .zattrs).
    expect(manifest.derived!.filter((d) => d.of === 'images/image.ome.zarr/.zattrs')).toHaveLength(2);
    expect(manifestFindings(manifest).filter((f) => f.severity === 'error')).toEqual([]);
    for (const item of manifest.derived!) {
      const info = await s3(0).head(`${accession}/${item.path}`);
      expect(info, item.path).toMatchObject({ size: item.size, sha256: item.sha256 });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of await s3(0).read(`${accession}/${previewPath(tiff.sha256, 'thumbnail')}`))
      chunks.push(chunk as Buffer);
    const thumbnail = await decodePng(Buffer.concat(chunks));
    expect(thumbnail.width).toBe(256);
    expect(thumbnail.region(0.05, 0.05, 0.45, 0.45)[0]).toBeGreaterThan(240);
  }, 120_000);

  it('lists both pictures of every image where the site finds them, by the sha256 of the original', async () => {
    const manifest = await readManifest();
    const images = previewTargets(manifest).map((t) => t.file);
    expect(images.map((f) => f.path)).toEqual([
      'images/cell.png',
      'images/image.ome.zarr/.zattrs',
      'images/two-channels.ome.tif',
      'images/volume.mrc',
    ]);
    for (const file of images)
      for (const kind of ['thumbnail', 'preview'] as const)
        expect(findPicture(manifest, file, kind)?.path, `${file.path} ${kind}`).toBe(
          `.derived/previews/${file.sha256}/preview@1/${kind}.png`,
        );
    expect(findPicture({ ...manifest, derived: [] }, images[0], 'thumbnail')).toBeUndefined();
  });

  it('is idempotent: a second run makes nothing and leaves the manifest file as it was', async () => {
    const before = await readFile(manifestPath(), 'utf8');
    const again = await run('previews', accession);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('previews made for 0 image(s), 4 already there');
    expect(await readFile(manifestPath(), 'utf8')).toBe(before);
  });

  it('remakes a preview that is missing on the mirror, with the same bytes', async () => {
    const manifest = await readManifest();
    const item = manifest.derived![0];
    await s3(0).delete(`${accession}/${item.path}`);
    const again = await run('previews', join(catalog, 'entries', accession));
    expect(again.stdout).toContain('previews made for 1 image(s), 3 already there');
    expect(await s3(0).head(`${accession}/${item.path}`)).toMatchObject({ size: item.size, sha256: item.sha256 });
    expect(await readManifest()).toEqual(manifest);
  });
});

describe('derived files are audited, replicated and repaired like submitted ones', () => {
  it('mirror sync copies them, manifest verify and mirror verify find a corrupted one, repair fixes it', async () => {
    const sync = await run('mirror', 'sync', '--to', 's3b', '--engine', 'sdk');
    expect(sync.code).toBe(0);
    const manifest = await readManifest();
    const total = manifest.files.length + manifest.derived!.length;
    expect(sync.stdout).toContain(`${total} copied`);
    const item = manifest.derived!.find((d) => d.kind === 'preview')!;
    const key = `${accession}/${item.path}`;
    expect(await s3(1).head(key)).toMatchObject({ size: item.size });
    // Same size, other bytes, and the right sha256 in the metadata: only reading the bytes finds it.
    const bytes = Buffer.alloc(item.size, 1);
    await s3(1).put(key, bytes, { size: item.size, sha256: item.sha256 });
    const manifestVerify = await run('manifest', 'verify', accession, '--mirror', 's3b');
    expect(manifestVerify.code).toBe(1);
    expect(manifestVerify.stdout).toContain(`s3b ${key}: WRONG_CHECKSUM`);
    const verify = await run('mirror', 'verify', '--mirror', 's3b');
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`s3b ${key}: WRONG_CHECKSUM`);
    const repair = await run('mirror', 'repair', '--mirror', 's3b');
    expect(repair.stdout).toContain(`s3b ${key}: WRONG_CHECKSUM REPAIRED replaced from s3a and verified`);
    expect((await run('mirror', 'verify', '--mirror', 's3b')).code).toBe(0);
  }, 120_000);

  it('check-objects finds a derived file missing, at its line of the manifest', async () => {
    const manifest = await readManifest();
    const item = manifest.derived![3];
    await s3(1).delete(`${accession}/${item.path}`);
    const check = await run('check-objects', accession, '--mirror', 's3b');
    expect(check.code).toBe(1);
    expect(check.stdout + check.stderr).toMatch(/#\/derived\/3\/path OBJECT_MISSING/);
    expect((await run('mirror', 'repair', '--mirror', 's3b')).code).toBe(0);
  });
});

describe('problems', () => {
  it('gives a corrupt original no preview and reports it', async () => {
    const manifest = await readManifest();
    const png = manifest.files.find((f) => f.path === 'images/cell.png')!;
    await writeFile(manifestPath(), JSON.stringify({ ...manifest, derived: [] }, null, 2) + '\n');
    const original = `${accession}/images/cell.png`;
    await s3(0).put(original, Buffer.alloc(png.size, 2), { size: png.size, sha256: png.sha256 });
    const result = await run('previews', accession);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('images/cell.png: ORIGINAL_CORRUPT (error) the mirror');
    expect((await readManifest()).derived!.some((d) => d.of === 'images/cell.png')).toBe(false);
    expect((await readManifest()).derived).toHaveLength(6);
  });

  it('refuses submitted files under .derived/, in the folder and in the manifest', async () => {
    const folder = join(work, 'with-derived');
    await mkdir(join(folder, '.derived'), { recursive: true });
    await writeFile(join(folder, '.derived', 'x.png'), 'x');
    const { problems } = await createManifest(folder, { prefix: 'x/' });
    expect(problems).toEqual([expect.objectContaining({ path: '.derived', code: 'DERIVED_PATH_RESERVED' })]);
    const manifest = await readManifest();
    const findings = manifestFindings({
      ...manifest,
      files: [{ ...manifest.files[0], path: '.derived/previews/a.png' }],
      derived: [
        { ...manifest.derived![0], path: 'previews/elsewhere.png' },
        { ...manifest.derived![1], path: '.derived/../../BIC0000021/x.png' },
      ],
    });
    expect(findings.map((f) => `${f.pointer} ${f.code}`)).toEqual([
      '/derived/0/path FORMAT_INVALID',
      '/files/0/path DERIVED_PATH_RESERVED',
      '/derived/1/path PATH_TRAVERSAL',
    ]);
  });

  it('--no-previews skips the step', async () => {
    const manifest = await readManifest();
    await writeFile(manifestPath(), JSON.stringify({ ...manifest, derived: undefined }, null, 2) + '\n');
    const upload = await run('upload', accession, '--files', data, '--mirror', 's3a', '--no-previews');
    expect(upload.code).toBe(0);
    expect(upload.stdout).not.toContain('previews');
    expect((await readManifest()).derived).toBeUndefined();
  });
});
