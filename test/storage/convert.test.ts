// `catalogue convert` over an entry: conversions stored under `.derived/` and listed in the manifest, resumable
// after a crash between chunk writes, idempotent, on a folder mirror and on the real S3 gateway.
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { conversionFolder, convertEntry, type ConvertOptions } from '../../storage/convert.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createManifest } from '../../storage/manifest.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { uploadManifest } from '../../storage/upload.ts';
import { runPython } from '../images/convert/helpers.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, testClient } from './s3-env.ts';

const chunk = 128;
let root: string;
let data: string;
let manifest: Manifest;

beforeAll(async () => {
  root = await temporaryFolder('convert');
  data = join(root, 'data');
  const inputs = join(root, 'inputs');
  await mkdir(join(data, 'images'), { recursive: true });
  await mkdir(inputs);
  runPython('write-inputs.py', [inputs, String(chunk)]);
  for (const name of ['stack3d.tif', 'cells.ome.tif', 'volume.mrc'])
    await copyFile(join(inputs, name), join(data, 'images', name));
  await writeFile(join(data, 'README.txt'), 'not an image\n');
  manifest = (await createManifest(data, { prefix: 'TEST0001/' })).manifest;
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function bucketWithOriginals(label: string): Promise<ObjectStore> {
  const store = createFolderStore({ id: 'local', root: join(root, label) });
  const upload = await uploadManifest(manifest, { folder: data, store });
  expect(upload.problems).toEqual([]);
  return store;
}

async function snapshot(store: ObjectStore): Promise<string[]> {
  const rows: string[] = [];
  for await (const info of store.list('')) {
    const modified = (await stat(store.localPath!(info.key))).mtimeMs;
    rows.push(`${info.key} ${info.size} ${modified}`);
  }
  return rows;
}

function options(store: ObjectStore, saved: Manifest[], extra: Partial<ConvertOptions> = {}): ConvertOptions {
  return {
    originals: { store },
    target: store,
    chunk,
    save: async (next) => {
      saved.push(next);
    },
    ...extra,
  };
}

describe('convertEntry on a folder mirror', () => {
  it('lists every file of each conversion, of the original, under .derived/, with its size and sha256', async () => {
    const store = await bucketWithOriginals('plain');
    const saved: Manifest[] = [];
    const result = await convertEntry(manifest, options(store, saved));
    expect(result.problems).toEqual([]);
    expect(result.converted).toEqual(['images/cells.ome.tif', 'images/stack3d.tif', 'images/volume.mrc']);
    const derived = result.manifest.derived!;
    expect(saved.at(-1)).toEqual(result.manifest);
    expect(result.manifest.files).toEqual(manifest.files);
    const stack = manifest.files.find((f) => f.path === 'images/stack3d.tif')!;
    const folder = conversionFolder(stack, '0.5');
    expect(folder).toBe(`.derived/ome-zarr/${stack.sha256}/ome-zarr@1/stack3d.ome.zarr/`);
    const ofStack = derived.filter((item) => item.of === stack.path);
    expect(ofStack.map((item) => item.path)).toContain(`${folder}zarr.json`);
    expect(ofStack.map((item) => item.path)).toContain(`${folder}0/c/0/0/0`);
    for (const item of derived) {
      expect(item.kind).toBe('ome-zarr');
      expect(item.recipe).toBe('ome-zarr@1');
      const info = await stat(store.localPath!(`TEST0001/${item.path}`));
      expect(info.size).toBe(item.size);
    }
    expect(result.written).toBe(derived.length);
    const root0 = JSON.parse(await readFile(store.localPath!(`TEST0001/${folder}zarr.json`), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    const schemas = new URL('../../schemas/ome-ngff/0.5/', import.meta.url).pathname;
    for (const file of ['_version.schema', 'image.schema'])
      ajv.addSchema(JSON.parse(readFileSync(join(schemas, file), 'utf8')));
    expect(ajv.validate('https://ngff.openmicroscopy.org/0.5/schemas/image.schema', root0.attributes)).toBe(true);
  });

  it('resumes after a crash between chunk writes: nothing listed, then the rest written, the same result', async () => {
    const reference = await convertEntry(manifest, options(await bucketWithOriginals('reference'), []));
    const store = await bucketWithOriginals('crash');
    let puts = 0;
    const crashing: ObjectStore = {
      ...store,
      async put(key, body, put) {
        if (key.includes('.derived/') && ++puts > 12) throw new Error('killed');
        return store.put(key, body, put);
      },
    };
    const saved: Manifest[] = [];
    await expect(convertEntry(manifest, options(store, saved, { target: crashing }))).rejects.toThrow('killed');
    expect(saved).toEqual([]);
    const written = (await snapshot(store)).filter((row) => row.includes('.derived/'));
    expect(written.length).toBe(12);
    expect(written.some((row) => /zarr\.json /.test(row))).toBe(false);
    const resumed = await convertEntry(manifest, options(store, saved));
    expect(resumed.unchanged).toBe(12);
    expect(resumed.written + resumed.unchanged).toBe(reference.manifest.derived!.length);
    expect(resumed.manifest).toEqual(reference.manifest);
  });

  it('changes nothing when run again, in the bucket or the manifest', async () => {
    const store = await bucketWithOriginals('twice');
    const first = await convertEntry(manifest, options(store, []));
    const before = await snapshot(store);
    const saved: Manifest[] = [];
    const again = await convertEntry(first.manifest, options(store, saved));
    expect(again.listed).toEqual(first.converted);
    const forced = await convertEntry(first.manifest, options(store, saved, { force: true }));
    expect(forced.written).toBe(0);
    expect(saved).toEqual([]);
    expect(forced.manifest).toBe(first.manifest);
    expect(await snapshot(store)).toEqual(before);
  });

  it('names a damaged original in one problem and converts the others', async () => {
    const store = await bucketWithOriginals('damaged');
    const bytes = await readFile(join(data, 'images', 'stack3d.tif'));
    const damaged = join(root, 'damaged-data');
    await mkdir(join(damaged, 'images'), { recursive: true });
    for (const name of ['cells.ome.tif', 'volume.mrc'])
      await copyFile(join(data, 'images', name), join(damaged, 'images', name));
    await writeFile(join(damaged, 'images', 'stack3d.tif'), bytes.subarray(0, bytes.length >> 1));
    const listed = (await createManifest(damaged, { prefix: 'TEST0002/' })).manifest;
    const result = await convertEntry(listed, {
      ...options(store, []),
      originals: { folder: damaged },
    });
    expect(result.converted).toEqual(['images/cells.ome.tif', 'images/volume.mrc']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ path: 'images/stack3d.tif', code: 'IMAGE_TRUNCATED' });
    expect(result.problems[0].fix).toMatch(/upload the file again/);
  });
});

describe('catalogue convert', () => {
  it('converts an entry folder into its mirror, rewrites the manifest, and a second run changes nothing', async () => {
    const entry = join(root, 'entry');
    await mkdir(entry);
    await writeFile(join(entry, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    const bucket = join(root, 'cli-bucket');
    const mirrors = await writeMirrors(
      root,
      `mirrors:\n  - id: local\n    kind: folder\n    role: primary\n    path: ${bucket}\n`,
    );
    const args = ['convert', entry, '--files', data, '--mirrors', mirrors, '--only', 'images/volume.mrc'];
    const first = await catalogue(...args);
    expect(first.stderr).toContain('images/volume.mrc: converted');
    expect(first.code).toBe(0);
    const written = await readFile(join(entry, 'manifest.json'), 'utf8');
    expect(JSON.parse(written).derived.length).toBeGreaterThan(3);
    const second = await catalogue(...args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 already listed');
    expect(await readFile(join(entry, 'manifest.json'), 'utf8')).toBe(written);
  });
});

describe('catalogue upload --convert', () => {
  it('uploads the files, then converts the images into the same mirror and lists them', async () => {
    const entry = join(root, 'upload-entry');
    await mkdir(entry);
    const only = { ...manifest, files: manifest.files.filter((f) => !f.path.endsWith('.tif')) };
    await writeFile(join(entry, 'manifest.json'), JSON.stringify(only, null, 2) + '\n');
    const bucket = join(root, 'upload-bucket');
    const mirrors = join(entry, 'mirrors.yaml');
    await writeFile(mirrors, `mirrors:\n  - id: local\n    kind: folder\n    role: primary\n    path: ${bucket}\n`);
    const manifestPath = join(entry, 'manifest.json');
    const run = await catalogue(
      'upload',
      data,
      '--manifest',
      manifestPath,
      '--mirror',
      'local',
      '--mirrors',
      mirrors,
      '--convert',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('images/volume.mrc: converted');
    const listed = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    const root0 = listed.derived!.find((item) => item.path.endsWith('volume.ome.zarr/zarr.json'))!;
    expect((await stat(join(bucket, 'TEST0001', root0.path))).size).toBe(root0.size);
  });
});

describe('convertEntry on the S3 gateway', () => {
  it('reads each original from the bucket, checks it, and writes the same conversion there', async () => {
    const client = testClient();
    const bucket = await createTestBucket(client, 'convert');
    try {
      const store = createS3Store({ id: 's3', client, bucket });
      const upload = await uploadManifest(manifest, { folder: data, store });
      expect(upload.problems).toEqual([]);
      const result = await convertEntry(manifest, options(store, [], { workDir: root }));
      expect(result.problems).toEqual([]);
      const reference = await convertEntry(manifest, options(await bucketWithOriginals('s3-reference'), []));
      expect(result.manifest).toEqual(reference.manifest);
      for (const item of result.manifest.derived!) {
        const info = await store.head(`TEST0001/${item.path}`);
        expect(info).toEqual({ key: `TEST0001/${item.path}`, size: item.size, sha256: item.sha256 });
      }
      const again = await convertEntry(result.manifest, options(store, [], { force: true, workDir: root }));
      expect(again.written).toBe(0);
    } finally {
      await removeTestBucket(client, bucket);
    }
  }, 120_000);
});
