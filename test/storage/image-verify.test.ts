// `mirror verify --images`: image headers read again from a mirror against the manifest's `image`. Files written
// by reference writers, stored in a folder mirror; the same files read through a store without local paths (as
// S3 and HTTP mirrors are read: from the start of the object only); an object replaced by another image is found.
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { verifyImages } from '../../storage/image-verify.ts';
import { createManifest } from '../../storage/manifest.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { referenceMissing, writeReferenceImages } from '../images/helpers/reference.ts';
import { temporaryFolder } from './helpers.ts';

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
