// `manifest create` reads each image's header into `image`: files written by reference writers and files no one
// here wrote, an OME-Zarr image whose metadata lands on its root metadata file, and warnings (not refusals) for a
// broken header and for OME-NGFF metadata that breaks the official schema.
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestFindings } from '../../catalog/validate.ts';
import type { Manifest } from '../../schemas/index.ts';
import { createManifest } from '../../storage/manifest.ts';
import { referenceMissing, writeReferenceImages } from '../images/helpers/reference.ts';
import { catalogue, temporaryFolder } from './helpers.ts';

const imageFixtures = new URL('../images/fixtures/', import.meta.url).pathname;

describe.skipIf(referenceMissing)('manifest create reads image headers', () => {
  let folder: string;
  let manifest: Manifest;
  let warnings: Array<{ path: string; code: string; message: string; fix: string }>;
  const file = (path: string) => manifest.files.find((f) => f.path === path)!;

  beforeAll(async () => {
    folder = await temporaryFolder('images');
    writeReferenceImages(join(folder, 'data'));
    await cp(join(imageFixtures, 'ome-tiff', 'grey.ome.tiff'), join(folder, 'data', 'real', 'grey.ome.tiff'));
    await cp(join(imageFixtures, 'png', 'cell.png'), join(folder, 'data', 'real', 'cell.png'));
    // A TIFF cut short after its header, and an OME-Zarr 0.5 image with an axis type the schema does not know.
    await writeFile(join(folder, 'data', 'broken.tif'), Uint8Array.from([0x49, 0x49, 0x2a, 0, 0xf0, 0, 0, 0]));
    const bad = join(folder, 'data', 'bad.zarr');
    await mkdir(join(bad, '0'), { recursive: true });
    const ome = {
      version: '0.5',
      multiscales: [
        {
          axes: [
            { name: 'y', type: 'spaze' },
            { name: 'x', type: 'space' },
          ],
          datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 1] }] }],
        },
      ],
    };
    await writeFile(
      join(bad, 'zarr.json'),
      JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome } }),
    );
    await writeFile(
      join(bad, '0', 'zarr.json'),
      JSON.stringify({ zarr_format: 3, node_type: 'array', shape: [4, 5], data_type: 'uint8' }),
    );
    const created = await createManifest(join(folder, 'data'), { prefix: 'e/' });
    expect(created.problems).toEqual([]);
    manifest = created.manifest;
    warnings = created.warnings;
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('records `image` on each image file, and the manifest stays valid against its schema', () => {
    expect(manifestFindings(manifest)).toEqual([]);
    expect(file('five-d.ome.tif').image?.axes?.map((a) => a.size)).toEqual([2, 2, 3, 32, 48]);
    expect(file('volume.mrc').image?.axes?.[0]).toEqual({
      name: 'z',
      type: 'space',
      size: 20,
      physicalSize: 2.2,
      unit: 'angstrom',
    });
    expect(file('real/grey.ome.tiff').image?.format).toBe('OME-TIFF');
    expect(file('real/cell.png').image?.axes?.map((a) => a.size)).toEqual([660, 550]);
    expect(file('stack.btf').image?.axes?.map((a) => a.name)).toEqual(['z', 'y', 'x']);
  });

  it('puts an OME-Zarr image on its root metadata file, not on its arrays or chunks', () => {
    expect(file('cells.zarr/.zattrs').image?.channels?.map((c) => c.name)).toEqual(['DAPI', 'Actin']);
    expect(file('cells.zarr/.zattrs').image?.hasLabels).toBe(true);
    const others = manifest.files.filter((f) => f.path.startsWith('cells.zarr/') && f.path !== 'cells.zarr/.zattrs');
    expect(others.length).toBeGreaterThan(2);
    for (const other of others) expect(other.image, other.path).toBeUndefined();
  });

  it('warns, naming the file, of a broken header and of OME-NGFF metadata that breaks the schema', () => {
    expect(file('broken.tif').image).toBeUndefined();
    expect(warnings).toContainEqual(expect.objectContaining({ path: 'broken.tif', code: 'IMAGE_UNREADABLE' }));
    expect(warnings).toContainEqual(
      expect.objectContaining({
        path: 'bad.zarr/zarr.json#/attributes/ome/multiscales/0/axes/0/type',
        code: 'OME_NGFF_INVALID',
      }),
    );
    expect(file('bad.zarr/zarr.json').image?.axes?.map((a) => a.size)).toEqual([4, 5]);
  });

  it('the command prints the warnings and still writes the manifest', async () => {
    const out = join(folder, 'manifest.json');
    const run = await catalogue('manifest', 'create', join(folder, 'data'), '--prefix', 'e/', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/broken\.tif: IMAGE_UNREADABLE \(warning\) .* Fix: /u);
  });

  it('reads no header when asked not to', async () => {
    const { manifest: plain } = await createManifest(join(folder, 'data'), { prefix: 'e/', readImages: false });
    expect(plain.files.some((f) => f.image)).toBe(false);
  });
});
