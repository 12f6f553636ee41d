// The preview recipe on real images: OME-TIFF samples of OME and viv, scikit-image's PNGs, and OME-TIFF, ImageJ
// TIFF, OME-Zarr 0.4 and MRC files written by the reference writers. Every picture decodes, has the recipe's size,
// is not blank, and shows the channels in the colours and places they have in the file.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertPlaneBytes } from '../../images/plane.ts';
import { PreviewError } from '../../images/preview-error.ts';
import { previewSizes, renderPreviews, type PreviewSource } from '../../images/preview.ts';
import { decodePng, fixtures, folderZarr, writeTestImages } from './test-images.ts';

let written: string;
beforeAll(async () => {
  written = await writeTestImages();
  // A JPEG of the real cell image (550 x 660, portrait) with EXIF orientation 6 (shown turned 90° clockwise).
  await sharp(join(fixtures, 'png/cell.png'))
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toFile(join(written, 'cell.jpg'));
}, 120_000);
afterAll(() => rm(written, { recursive: true, force: true }));

const sources: Array<[string, () => PreviewSource]> = [
  ['cell.png', () => ({ format: 'PNG', file: join(fixtures, 'png/cell.png') })],
  ['microaneurysms.png', () => ({ format: 'PNG', file: join(fixtures, 'png/microaneurysms.png') })],
  ['JPEG', () => ({ format: 'JPEG', file: join(written, 'cell.jpg') })],
  ['grey.ome.tiff (big-endian)', () => ({ format: 'OME-TIFF', file: join(fixtures, 'ome-tiff/grey.ome.tiff') })],
  ['plane.ome.tiff', () => ({ format: 'OME-TIFF', file: join(fixtures, 'ome-tiff/plane.ome.tiff') })],
  ['rgb.ome.tiff', () => ({ format: 'OME-TIFF', file: join(fixtures, 'ome-tiff/rgb.ome.tiff') })],
  [
    'viv multi-channel int8',
    () => ({ format: 'OME-TIFF', file: join(fixtures, 'ome-tiff/viv-loaders-fixtures__multi-channel.ome.tif') }),
  ],
  [
    'viv big-endian strips',
    () => ({ format: 'OME-TIFF', file: join(fixtures, 'ome-tiff/viv-avivator-data__multi-channel.ome.tif') }),
  ],
  ['uint8', () => ({ format: 'OME-TIFF', file: join(written, 'u8.ome.tif') })],
  ['uint16', () => ({ format: 'OME-TIFF', file: join(written, 'u16.ome.tif') })],
  ['float32', () => ({ format: 'OME-TIFF', file: join(written, 'f32.ome.tif') })],
  ['int16', () => ({ format: 'OME-TIFF', file: join(written, 'i16.ome.tif') })],
  ['two channels', () => ({ format: 'OME-TIFF', file: join(written, 'two-channels.ome.tif') })],
  ['z-stack', () => ({ format: 'OME-TIFF', file: join(written, 'z-stack.ome.tif') })],
  ['pyramid', () => ({ format: 'OME-TIFF', file: join(written, 'pyramid.ome.tif') })],
  ['ImageJ hyperstack', () => ({ format: 'TIFF', file: join(written, 'hyperstack-imagej.tif') })],
  ['RGB TIFF', () => ({ format: 'TIFF', file: join(written, 'rgb.tif') })],
  ['MRC', () => ({ format: 'MRC', file: join(written, 'volume.mrc') })],
  ['OME-Zarr 0.4', () => ({ format: 'OME-Zarr', zarr: folderZarr(join(written, 'image.ome.zarr')) })],
];

/** The source of the image named in the table above. */
const source = (name: string) => sources.find(([n]) => n === name)![1]();

describe('every image gets both pictures', () => {
  it.each(sources)('%s: decodes, has the size of the recipe, is not blank', async (_name, make) => {
    const previews = await renderPreviews(make());
    for (const kind of ['thumbnail', 'preview'] as const) {
      const picture = await decodePng(previews[kind]);
      expect(Math.max(picture.width, picture.height), kind).toBe(previewSizes[kind]);
      expect(picture.variance, kind).toBeGreaterThan(20);
    }
  });
});

describe('the plane and its colours', () => {
  it('gives each OME channel its colour: red on the left half, green on the bottom half', async () => {
    const picture = await decodePng((await renderPreviews(source('two channels'))).thumbnail);
    expect(picture.width).toBe(256);
    expect(picture.region(0.05, 0.05, 0.45, 0.45)).toEqual([255, 0, 0].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.55, 0.55, 0.95, 0.95)).toEqual([0, 255, 0].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.55, 0.05, 0.95, 0.45)).toEqual([0, 0, 0].map((v) => expect.closeTo(v, -1.5)));
  });

  it('draws the middle z section (only it has the bright square)', async () => {
    const picture = await decodePng((await renderPreviews(source('z-stack'))).thumbnail);
    // The square spans x 40..120 of 160 and y 30..90 of 120.
    expect(picture.region(0.35, 0.35, 0.65, 0.65)[0]).toBeGreaterThan(240);
    expect(picture.region(0.02, 0.02, 0.2, 0.2)[0]).toBeLessThan(20);
  });

  it('keeps an RGB image as it is: no stretch, no palette', async () => {
    const picture = await decodePng((await renderPreviews(source('RGB TIFF'))).thumbnail);
    expect(picture.region(0.1, 0.1, 0.9, 0.4)).toEqual([200, 0, 0].map((v) => expect.closeTo(v, -0.5)));
    expect(picture.region(0.1, 0.6, 0.9, 0.9)).toEqual([200, 0, 180].map((v) => expect.closeTo(v, -0.5)));
  });

  it('colours OME-Zarr channels by omero.channels and reads the middle z', async () => {
    const picture = await decodePng((await renderPreviews(source('OME-Zarr 0.4'))).thumbnail);
    // Channel 0 (FF00FF) fills the top half; channel 1 (FFFF00) the bottom-right quarter, at z=2 only.
    expect(picture.region(0.1, 0.1, 0.9, 0.4)).toEqual([255, 0, 255].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.6, 0.6, 0.9, 0.9)).toEqual([255, 255, 0].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.1, 0.6, 0.4, 0.9)).toEqual([0, 0, 0].map((v) => expect.closeTo(v, -1.5)));
  });

  it('uses the magenta/green palette for ImageJ channels without colours', async () => {
    const picture = await decodePng((await renderPreviews(source('ImageJ hyperstack'))).thumbnail);
    // Channel 0's square (x 20..60, y 20..60 of 150 x 100) is magenta; channel 1's (x 80..140, y 50..90) green.
    expect(picture.region(0.16, 0.25, 0.37, 0.55)).toEqual([255, 0, 255].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.6, 0.55, 0.9, 0.85)).toEqual([0, 255, 0].map((v) => expect.closeTo(v, -1.5)));
  });

  it('draws the MRC middle section', async () => {
    const picture = await decodePng((await renderPreviews(source('MRC'))).thumbnail);
    // The square spans x 20..50 of 64 and y 10..30 of 48.
    expect(picture.region(0.35, 0.25, 0.75, 0.6)[0]).toBeGreaterThan(240);
    expect(picture.region(0.85, 0.75, 1, 1)[0]).toBeLessThan(20);
  });
});

describe('pictures', () => {
  it('applies the EXIF orientation of a JPEG: the portrait image tagged as turned is drawn landscape', async () => {
    const picture = await decodePng((await renderPreviews(source('JPEG'))).thumbnail);
    expect([picture.width, picture.height]).toEqual([256, 213]);
  });
});

describe('bounds and determinism', () => {
  it('makes the same bytes from the same image', async () => {
    for (const name of ['two channels', 'pyramid', 'OME-Zarr 0.4']) {
      const [a, b] = [await renderPreviews(source(name)), await renderPreviews(source(name))];
      expect(Buffer.compare(a.thumbnail, b.thumbnail), name).toBe(0);
      expect(Buffer.compare(a.preview, b.preview), name).toBe(0);
    }
  });

  it('reads a reduced level of a pyramid: the full 2048 x 2048 plane is never read', async () => {
    // Above 1100 x 1100 pixels the reader refuses; the 1024 x 1024 SubIFD covers the preview.
    const previews = await renderPreviews(source('pyramid'), { maxPixels: 1100 * 1100 });
    expect((await decodePng(previews.preview)).width).toBe(1024);
  });

  it('reads the OME-Zarr level that covers the preview, not the full one', async () => {
    // Level 0 is 768 x 512 (below 1024): it is the one read; refused when the bound is lower.
    await expect(renderPreviews(source('OME-Zarr 0.4'), { maxPixels: 700 * 500 })).rejects.toMatchObject({
      code: 'PREVIEW_TOO_LARGE',
    });
  });

  it('refuses a plane whose samples exceed 1 GiB, though under the pixel bound (float64, many samples)', () => {
    expect(() => assertPlaneBytes(200e6 * 8)).toThrow(/1600000000 bytes of samples, more than the 1073741824/);
    expect(() => assertPlaneBytes(200e6 * 2)).not.toThrow();
  });

  it('refuses a plane over the bound with a clear message, before reading it', async () => {
    const error = await renderPreviews(source('float32'), { maxPixels: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreviewError);
    expect(error).toMatchObject({ code: 'PREVIEW_TOO_LARGE' });
    expect((error as Error).message).toMatch(/400 x 300 pixels, more than the 1000 pixels/);
  });
});
