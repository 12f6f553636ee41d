// `mirror verify --images`: image headers read again from a mirror against the manifest's `image`. Files written
// by reference writers, stored in a folder mirror; the same files read through a store without local paths (as
// S3 and HTTP mirrors are read: from the start of the object only); an object replaced by another image is found.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { verifyImages } from '../../storage/image-verify.ts';
import { createManifest } from '../../storage/manifest.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { referenceMissing, writeReferenceImages } from '../images/helpers/reference.ts';
import { parse, stringify } from 'yaml';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;

describe.skipIf(referenceMissing)('verifyImages', () => {
  let bucket: string;
  let manifest: Manifest;
  let store: ObjectStore;

  beforeAll(async () => {
    bucket = await temporaryFolder('image-verify');
    writeReferenceImages(join(bucket, 'e'));
    ({ manifest } = await createManifest(join(bucket, 'e'), { prefix: 'e/' }));
    store = createFolderStore({ id: 'local', root: bucket });
  });
  afterAll(() => rm(bucket, { recursive: true, force: true }));

  it('finds nothing when the objects are the files the manifest describes', async () => {
    expect(manifest.files.filter((f) => f.image).length).toBeGreaterThan(10);
    expect(await verifyImages(store, manifest, 'BIC0000001')).toEqual([]);
  });

  it('reads the same through a store that only reads from the start of an object', async () => {
    const { localPath: _, ...remote } = store;
    expect(await verifyImages(remote as ObjectStore, manifest)).toEqual([]);
  });

  it('reports an object whose header differs from the manifest, with both descriptions', async () => {
    await cp(join(bucket, 'e', 'rgb.tif'), join(bucket, 'e', 'mixed.tif'));
    const findings = await verifyImages(store, manifest, 'BIC0000001');
    expect(findings).toEqual([
      {
        mirror: 'local',
        key: 'e/mixed.tif',
        code: 'IMAGE_METADATA_DIFFERS',
        message: 'the manifest says TIFF read y16 x16 uint16; the object says TIFF read y12 x14 c3 rgb8',
        entry: 'BIC0000001',
      },
    ]);
  });
});

describe.skipIf(referenceMissing)('mirror verify --images', () => {
  let work: string;
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('reads the headers on a folder mirror: none differs, then a replaced image is reported and exits 1', async () => {
    work = await temporaryFolder('verify-images');
    const [catalog, bucket] = [join(work, 'catalog'), join(work, 'bucket')];
    const entry = join(catalog, 'entries', 'BIC0000013');
    await mkdir(entry, { recursive: true });
    // A demo entry whose files are the reference images; its imageData describes other files, so it is dropped.
    const data = parse(await readFile(join(archive, 'entries', 'BIC0000013', 'entry.yaml'), 'utf8'));
    delete data.components[0].imageData;
    await writeFile(join(entry, 'entry.yaml'), stringify(data));
    writeReferenceImages(join(bucket, 'BIC0000013'));
    const { manifest } = await createManifest(join(bucket, 'BIC0000013'), { prefix: 'BIC0000013/' });
    await writeFile(join(entry, 'manifest.json'), JSON.stringify(manifest));
    const mirrors = await writeMirrors(
      work,
      `mirrors:\n  - { id: local, kind: folder, role: primary, path: ${bucket} }\n`,
    );
    const args = ['mirror', 'verify', '--images', '--catalog', catalog, '--mirrors', mirrors];
    const clean = await catalogue(...args);
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toContain('images: 0 problem(s).');
    expect(clean.code).toBe(0);
    await cp(join(bucket, 'BIC0000013', 'rgb.tif'), join(bucket, 'BIC0000013', 'mixed.tif'));
    const changed = await catalogue(...args);
    expect(changed.stdout).toContain(
      'local BIC0000013/mixed.tif: IMAGE_METADATA_DIFFERS the manifest says TIFF read y16 x16 uint16; the object ' +
        'says TIFF read y12 x14 c3 rgb8 (entry BIC0000013)',
    );
    expect(changed.code).toBe(1);
  });
});
