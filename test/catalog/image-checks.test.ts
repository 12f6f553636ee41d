// The entry's imageData against image headers read by `manifest create` from files written by reference writers
// (an MRC movie stack with 0.83 Å pixels, a five-dimensional OME-TIFF): a contradiction names both values and the
// file; agreement within the documented 1% is no problem; a component with no readable image is a warning.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageFindings } from '../../catalog/checks/images.ts';
import type { Entry, Manifest } from '../../schemas/index.ts';
import { createManifest } from '../../storage/manifest.ts';
import { referenceMissing, writeReferenceImages } from '../images/helpers/reference.ts';
import { temporaryFolder } from '../storage/helpers.ts';

type ImageData = NonNullable<Entry['components'][number]['imageData']>;

/** An entry with one component per `imageData`, component i owning the files assigned to `c<i>`. */
function entryWith(...imageData: ImageData[]): Entry {
  return {
    components: imageData.map((data, i) => ({ id: `c${i}`, imageData: data })),
  } as unknown as Entry;
}

describe.skipIf(referenceMissing)('imageData against the headers read into the manifest', () => {
  let folder: string;
  let manifest: Manifest;
  /** The manifest with only `paths`, all in component c0. */
  const only = (...paths: string[]): Manifest => ({
    ...manifest,
    files: manifest.files.filter((f) => paths.includes(f.path)).map((f) => ({ ...f, component: 'c0' })),
  });

  beforeAll(async () => {
    folder = await temporaryFolder('image-checks');
    writeReferenceImages(folder);
    ({ manifest } = await createManifest(folder, { prefix: 'e/' }));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('a pixel size that differs is one problem naming both values and the file', () => {
    const findings = imageFindings(
      entryWith({ physicalSize: { x: 0.85, y: 0.83, unit: 'Å' } }),
      only('movie.mrcs', 'volume.mrc'),
    );
    expect(findings).toEqual([
      {
        pointer: '/components/0/imageData/physicalSize/x',
        code: 'PIXEL_SIZE_MISMATCH',
        message: 'entry says 0.85 Å per pixel along x, movie.mrcs says 0.83 Å (and 1 other file)',
        fix: "write the size the files give (0.83 Å), or check the files' calibration (sizes agree within 1%)",
        severity: 'error',
      },
    ]);
  });

  it('a component at two binnings agrees when some of its files have the size the entry gives', () => {
    // y: movie.mrcs has 0.83 Å as the entry says, volume.mrc (binned) 1.1 Å: the same data at another sampling.
    expect(
      imageFindings(entryWith({ physicalSize: { x: 0.83, y: 0.83, unit: 'Å' } }), only('movie.mrcs', 'volume.mrc')),
    ).toEqual([]);
    expect(
      imageFindings(entryWith({ physicalSize: { x: 0.83, y: 0.9, unit: 'Å' } }), only('movie.mrcs', 'volume.mrc')).map(
        (f) => f.message,
      ),
    ).toEqual(['entry says 0.9 Å per pixel along y, movie.mrcs says 0.83 Å (and 1 other file)']);
  });

  it('converts units and allows 1%', () => {
    // movie.mrcs: 0.83 Å = 0.083 nm; 0.0835 nm is 0.6% off.
    expect(imageFindings(entryWith({ physicalSize: { x: 0.0835, y: 0.083, unit: 'nm' } }), only('movie.mrcs'))).toEqual(
      [],
    );
    // five-d.ome.tif: 0.325 µm in x and y, 1.5 µm between planes.
    const entry = entryWith({ physicalSize: { x: 325, y: 325, z: 1.6, unit: 'nm' } });
    expect(imageFindings(entry, only('five-d.ome.tif')).map((f) => f.message)).toEqual([
      'entry says 1.6 nm between z-planes, five-d.ome.tif says 1500 nm',
    ]);
  });

  it('image size and channel count: the typical value must be one some image has', () => {
    const entry = entryWith({ size: { x: 48, y: 4096, c: 3 } });
    const findings = imageFindings(entry, only('five-d.ome.tif', 'nanometres.ome.tif'));
    expect(findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
      [
        'IMAGE_SIZE_MISMATCH',
        '/components/0/imageData/size/y',
        'entry says 4096 pixels along y, five-d.ome.tif has 32 (and 1 other file), and no image has 4096',
      ],
      [
        'CHANNEL_COUNT_MISMATCH',
        '/components/0/imageData/size/c',
        'entry says 3 channels, five-d.ome.tif has 2 (and 1 other file), and no image has 3',
      ],
    ]);
  });

  it('dimension order: slowest first or fastest first, compared on files that have every axis named', () => {
    const files = only('five-d.ome.tif', 'rgb.tif');
    expect(imageFindings(entryWith({ dimensionOrder: 'TCZYX' }), files)).toEqual([]);
    expect(imageFindings(entryWith({ dimensionOrder: 'XYZCT' }), files)).toEqual([]);
    expect(imageFindings(entryWith({ dimensionOrder: 'CTZYX' }), files).map((f) => f.message)).toEqual([
      'entry says CTZYX, five-d.ome.tif stores TCZYX (slowest first)',
    ]);
  });

  it('a component with no readable image is a warning; a manifest without headers is not checked', () => {
    const czi: Manifest = {
      ...manifest,
      files: [
        {
          path: 'scan.czi',
          size: 10,
          sha256: '0'.repeat(64),
          format: 'CZI',
          role: 'image',
          component: 'c0',
          image: { status: 'recognised', format: 'CZI' },
        },
      ],
    };
    const entry = entryWith({ physicalSize: { x: 1, y: 1, unit: 'µm' } });
    expect(imageFindings(entry, czi)).toEqual([
      expect.objectContaining({ code: 'IMAGE_METADATA_MISSING', pointer: '/components/0', severity: 'warning' }),
    ]);
    const legacy = { ...czi, files: czi.files.map(({ image: _, ...file }) => file) };
    expect(imageFindings(entry, legacy)).toEqual([]);
  });
});
