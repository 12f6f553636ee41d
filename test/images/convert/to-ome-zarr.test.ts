// The converter against reference writers and a reader no one here wrote: inputs written by tifffile and numpy
// (fixtures/write-inputs.py, which also computes each expected level with numpy) and OME-TIFFs written by Bio-Formats
// and viv (../fixtures/ome-tiff/, read by tifffile in fixtures/read-ome-tiffs.py, their OME-XML by ElementTree); the
// 0.5 conversion read back with zarrita's own FileSystemStore and validated with the official OME-NGFF 0.5 schema,
// the 0.4 conversion read back with zarr-python 2.13 and validated with the 0.4 schema.
import { readdir, readFile, mkdtemp, rm, truncate, writeFile, copyFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { ImageConvertError } from '../../../images/convert/errors.ts';
import { openPixelSource } from '../../../images/convert/open-source.ts';
import { toOmeZarr } from '../../../images/convert/to-ome-zarr.ts';
import { unitName } from '../../../images/units.ts';
import { omeReference, type OmeReference } from '../helpers/reference.ts';
import { fixtures, folderChunkStore, readNpy, runPython } from './helpers.ts';

const chunk = 128;
const schemas = new URL('../../../schemas/ome-ngff/', import.meta.url).pathname;
let work: string;
let levelCounts: Record<string, number>;

function ngffValidator(version: '0.5' | '0.4') {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const files = version === '0.5' ? ['_version.schema', 'image.schema', 'strict_image.schema'] : ['image.schema'];
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(join(schemas, version, file), 'utf8')));
  // 0.5: the strict schema, which also requires each multiscale's `name`, `type` and `metadata`.
  const schema = version === '0.5' ? 'strict_image' : 'image';
  return ajv.getSchema(`https://ngff.openmicroscopy.org/${version}/schemas/${schema}.schema`)!;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'to-ome-zarr-'));
  levelCounts = JSON.parse(runPython('write-inputs.py', [work, String(chunk)]));
  await copyFile(join(fixtures, 'cell.png'), join(work, 'cell.png'));
  await copyFile(join(fixtures, 'ihc.png'), join(work, 'ihc.png'));
  await sharp(join(fixtures, 'cell.png')).jpeg({ quality: 90 }).toFile(join(work, 'cell.jpg'));
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function convert(name: string, version: '0.5' | '0.4', regionBytes?: number) {
  const out = join(work, `${name}.${version}.ome.zarr`);
  const source = await openPixelSource(join(work, name), name);
  try {
    const summary = await toOmeZarr(source, folderChunkStore(out), { name, version, chunk, regionBytes });
    return { out, summary, source };
  } finally {
    await source.close();
  }
}

/** Every voxel of every level, read with zarrita, against the expected (t, c, z, y, x) arrays. */
async function expectLevelsEqual(
  out: string,
  expected: (level: number) => { shape: number[]; data: ArrayLike<number> },
) {
  const group = await zarr.open.v3(zarr.root(new FileSystemStore(out)), { kind: 'group' });
  const ome = group.attrs.ome as { multiscales: Array<{ datasets: Array<{ path: string }>; axes: unknown[] }> };
  const datasets = ome.multiscales[0].datasets;
  for (const [index, dataset] of datasets.entries()) {
    const array = await zarr.open.v3(group.resolve(dataset.path), { kind: 'array' });
    const actual = await zarr.get(array);
    const want = expected(index);
    expect(actual.shape.reduce((a, b) => a * b, 1)).toBe(want.shape.reduce((a, b) => a * b, 1));
    expect(actual.shape).toEqual(want.shape.filter((size, axis) => axis >= 3 || size > 1));
    const got = actual.data as ArrayLike<number>;
    let mismatches = 0;
    for (let i = 0; i < want.data.length; i++) if (!Object.is(got[i], want.data[i])) mismatches++;
    expect(mismatches, `level ${index}: voxels that differ`).toBe(0);
  }
  return { ome, datasets };
}

describe('OME-NGFF 0.5 (Zarr v3), read back with zarrita', () => {
  const validate = () => ngffValidator('0.5');
  for (const name of [
    'gray2d.tif',
    'stack3d.tif',
    'cells.ome.tif',
    'channels.tif',
    'floats.tif',
    'rgb-tiled.tif',
    'volume.mrc',
  ])
    it(`${name}: every voxel of every level equals numpy's, and the metadata validates`, async () => {
      const { out, summary } = await convert(name, '0.5', 64 * 1024);
      expect(summary.levels.length).toBe(levelCounts[name]);
      await expectLevelsEqual(out, (level) => readNpy(join(work, `${name}.level${level}.npy`)));
      const root = JSON.parse(await readFile(join(out, 'zarr.json'), 'utf8'));
      const check = validate();
      expect(check(root.attributes), JSON.stringify(check.errors)).toBe(true);
      expect(root.attributes.ome.version).toBe('0.5');
      const level0 = JSON.parse(await readFile(join(out, '0', 'zarr.json'), 'utf8'));
      expect(level0.codecs.map((c: { name: string }) => c.name)).toEqual(['bytes', 'zstd']);
      expect(level0.dimension_names).toEqual(
        root.attributes.ome.multiscales[0].axes.map((a: { name: string }) => a.name),
      );
    });

  it('carries physical sizes, units and channels from OME-XML, and scales that double per level', async () => {
    const { out } = await convert('cells.ome.tif', '0.5');
    const root = JSON.parse(await readFile(join(out, 'zarr.json'), 'utf8'));
    const [multiscale] = root.attributes.ome.multiscales;
    expect(multiscale.axes).toEqual([
      { name: 'c', type: 'channel' },
      { name: 'z', type: 'space', unit: 'micrometer' },
      { name: 'y', type: 'space', unit: 'micrometer' },
      { name: 'x', type: 'space', unit: 'micrometer' },
    ]);
    expect(
      multiscale.datasets.map((d: { coordinateTransformations: unknown[] }) => d.coordinateTransformations),
    ).toEqual([
      [{ type: 'scale', scale: [1, 0.25, 0.25, 0.25] }],
      [
        { type: 'scale', scale: [1, 0.5, 0.5, 0.5] },
        { type: 'translation', translation: [0, 0.125, 0.125, 0.125] },
      ],
      [
        { type: 'scale', scale: [1, 1, 1, 1] },
        { type: 'translation', translation: [0, 0.375, 0.375, 0.375] },
      ],
    ]);
    const channels = root.attributes.ome.omero.channels;
    expect(channels.map((c: { label: string; color: string }) => [c.label, c.color])).toEqual([
      ['DAPI', 'FF0000'],
      ['GFP', '00FF00'],
    ]);
    expect(channels[0].window.min).toBe(0);
    expect(channels[0].window.max).toBe(65535);
  });

  it('gives the MRC voxel size in angstrom from the cell', async () => {
    const { out } = await convert('volume.mrc', '0.5');
    const root = JSON.parse(await readFile(join(out, 'zarr.json'), 'utf8'));
    const [multiscale] = root.attributes.ome.multiscales;
    expect(multiscale.axes.map((a: { unit?: string }) => a.unit)).toEqual(['angstrom', 'angstrom', 'angstrom']);
    expect(
      multiscale.datasets.map(
        (d: { coordinateTransformations: Array<{ scale?: number[] }> }) => d.coordinateTransformations[0].scale,
      ),
    ).toEqual([
      [6, 2.5, 2.5],
      [6, 5, 5],
      [12, 10, 10],
    ]);
  });

  for (const name of ['cell.png', 'ihc.png', 'cell.jpg'])
    it(`${name}: level 0 equals the whole image decoded at once by libvips`, async () => {
      const { out } = await convert(name, '0.5', 32 * 1024);
      const { data, info } = await sharp(join(work, name)).raw().toBuffer({ resolveWithObject: true });
      const { height, width } = info;
      // libvips may widen a grey image to sRGB on output: the file's own channels are the first ones.
      const channels = (await sharp(join(work, name)).metadata()).channels!;
      // Interleaved (y, x, c) to planar (c, y, x).
      const planar = new Uint8Array(channels * width * height);
      for (let c = 0; c < channels; c++)
        for (let p = 0; p < width * height; p++) planar[c * width * height + p] = data[p * info.channels + c];
      const group = await zarr.open.v3(zarr.root(new FileSystemStore(out)), { kind: 'group' });
      const level0 = await zarr.get(await zarr.open.v3(group.resolve('0'), { kind: 'array' }));
      expect(level0.shape).toEqual(channels > 1 ? [channels, height, width] : [height, width]);
      expect(Buffer.compare(Buffer.from(level0.data as Uint8Array), Buffer.from(planar))).toBe(0);
    });
});

/** What tifffile read of an OME-TIFF no one here wrote (fixtures/read-ome-tiffs.py). */
interface TifffileRead {
  dtype: string;
  levels: number;
  min: number[];
  max: number[];
}

/** The range of each type these files hold, which the converter gives as each channel's window `min` and `max`. */
const typeRanges: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255], uint16: [0, 65535] };
const rgbChannels = [
  ['red', 'FF0000'],
  ['green', '00FF00'],
  ['blue', '0000FF'],
];
const axisTypes: Record<string, string> = { t: 'time', c: 'channel', z: 'space', y: 'space', x: 'space' };

describe('OME-TIFFs no one here wrote: Bio-Formats (big-, little-endian, RGB), viv (int8, a page per channel)', () => {
  const folder = new URL('../fixtures/ome-tiff/', import.meta.url).pathname;
  const names = [
    'grey.ome.tiff',
    'plane.ome.tiff',
    'rgb.ome.tiff',
    'viv-avivator-data__multi-channel.ome.tif',
    'viv-loaders-fixtures__multi-channel.ome.tif',
  ];
  let tifffile: Record<string, TifffileRead>;
  let omeXml: Record<string, OmeReference | null>;
  beforeAll(async () => {
    for (const name of names) await copyFile(join(folder, name), join(work, name));
    tifffile = JSON.parse(runPython('read-ome-tiffs.py', [work, String(chunk), ...names.map((n) => join(work, n))]));
    const read = omeReference(names.map((n) => join(work, n)));
    omeXml = Object.fromEntries(names.map((n) => [n, read[join(work, n)]]));
  }, 60_000);

  for (const name of names)
    it(`${name}: every voxel of every level is tifffile's; axes, scales, channels as its OME-XML says`, async () => {
      const { out, summary } = await convert(name, '0.5', 16 * 1024);
      const read = tifffile[name];
      expect(summary.levels.length).toBe(read.levels);
      await expectLevelsEqual(out, (level) => readNpy(join(work, `${name}.level${level}.npy`)));
      const root = JSON.parse(await readFile(join(out, 'zarr.json'), 'utf8'));
      const check = ngffValidator('0.5');
      expect(check(root.attributes), JSON.stringify(check.errors)).toBe(true);
      // plane.ome.tiff's first page holds a BinaryOnly OME-XML (its metadata is in a companion file, not given):
      // the converter has the TIFF tags only, so sizes and type are tifffile's and there are no physical sizes.
      const xml = omeXml[name];
      const channelCount = read.min.length;
      const pixels: Record<string, string> = xml?.pixels ?? {
        SizeT: '1',
        SizeC: String(channelCount),
        SizeZ: '1',
        Type: read.dtype,
      };
      expect(Number(pixels.SizeC)).toBe(channelCount);
      const level0 = JSON.parse(await readFile(join(out, '0', 'zarr.json'), 'utf8'));
      // OME 2016-06 names int8, uint8 and uint16 as Zarr v3 and numpy do.
      expect(level0.data_type).toBe(pixels.Type);
      expect(level0.data_type).toBe(read.dtype);

      // OME-NGFF 0.5 §axes: t, c, z, y, x, slowest first; the converter leaves out t, c and z of size 1.
      const [multiscale] = root.attributes.ome.multiscales;
      const present = ['t', 'c', 'z'].filter((axis) => Number(pixels[`Size${axis.toUpperCase()}`]) > 1);
      expect(present).not.toContain('z');
      const physical = (axis: string) => pixels[`PhysicalSize${axis.toUpperCase()}`];
      expect(multiscale.axes).toEqual(
        [...present, 'y', 'x'].map((axis) => ({
          name: axis,
          type: axisTypes[axis],
          // OME 2016-06: a physical size's unit defaults to µm.
          ...(physical(axis) ? { unit: unitName(pixels[`PhysicalSize${axis.toUpperCase()}Unit`] ?? 'µm') } : {}),
        })),
      );
      // Level k halves y and x k times: its scale is the physical size (1 without one) times 2^k, translated by
      // half of the 2^k - 1 level-0 voxels it spans beyond the first.
      expect(
        multiscale.datasets.map((d: { coordinateTransformations: unknown[] }) => d.coordinateTransformations),
      ).toEqual(
        Array.from({ length: read.levels }, (_, k) => {
          const size = (axis: string) => (axis === 'y' || axis === 'x' ? Number(physical(axis) ?? 1) : 1);
          const factor = (axis: string) => (axis === 'y' || axis === 'x' ? 2 ** k : 1);
          const axes = [...present, 'y', 'x'];
          return [
            { type: 'scale', scale: axes.map((axis) => size(axis) * factor(axis)) },
            ...(k > 0
              ? [{ type: 'translation', translation: axes.map((axis) => (size(axis) * (factor(axis) - 1)) / 2) }]
              : []),
          ];
        }),
      );

      // Channels: one per OME channel (SizeC), the samples of an RGB page included, with the OME-XML's names
      // and colours where it gives them, red, green and blue for RGB; the window is the type's range, and the
      // values found in level 0 (start, end) are those numpy finds.
      const channels = root.attributes.ome.omero.channels;
      expect(channels.length).toBe(channelCount);
      const rgb = xml?.channels.length === 1 && xml.channels[0].SamplesPerPixel === '3';
      channels.forEach((channel: { label: string; color: string; window: Record<string, number> }, c: number) => {
        const given = rgb ? undefined : xml?.channels[c];
        if (rgb) expect([channel.label, channel.color]).toEqual(rgbChannels[c]);
        if (given?.Name) expect(channel.label).toBe(given.Name);
        // OME Color is a signed RGBA integer: its three high bytes are RRGGBB.
        const color = given?.Color && ((Number(given.Color) >>> 8) & 0xffffff).toString(16).padStart(6, '0');
        if (color) expect(channel.color).toBe(color.toUpperCase());
        const [min, max] = typeRanges[read.dtype];
        expect(channel.window).toEqual({ min, max, start: read.min[c], end: read.max[c] });
      });
    });
});

describe('OME-NGFF 0.4 (Zarr v2), read back with zarr-python 2.13', () => {
  const validate = () => ngffValidator('0.4');
  for (const name of ['stack3d.tif', 'cells.ome.tif', 'floats.tif', 'rgb-tiled.tif', 'volume.mrc'])
    it(`${name}: every level equals numpy's, and .zattrs validates`, async () => {
      const { out } = await convert(name, '0.4');
      const result = JSON.parse(runPython('read-back-v2.py', [out, join(work, name)]));
      expect(result.levels.length).toBe(levelCounts[name]);
      for (const level of result.levels) {
        expect(level.equal, `level ${level.path}`).toBe(true);
        expect(level.compressor).toBe('zlib');
      }
      const check = validate();
      const attributes = JSON.parse(await readFile(join(out, '.zattrs'), 'utf8'));
      expect(check(attributes), JSON.stringify(check.errors)).toBe(true);
    });
});

describe('hostile inputs', () => {
  /** A little-endian TIFF of one IFD (tag, type, value: SHORT or LONG, count 1) and one byte of pixels after it. */
  function tiffWith(tags: Array<[number, number, number]>): Buffer {
    const bytes = Buffer.alloc(8 + 2 + tags.length * 12 + 4 + 1);
    bytes.write('II*\0', 0, 'latin1');
    bytes.writeUInt32LE(8, 4);
    bytes.writeUInt16LE(tags.length, 8);
    tags.forEach(([tag, type, value], i) => {
      const at = 10 + i * 12;
      bytes.writeUInt16LE(tag, at);
      bytes.writeUInt16LE(type, at + 2);
      bytes.writeUInt32LE(1, at + 4);
      if (type === 3) bytes.writeUInt16LE(value, at + 8);
      else bytes.writeUInt32LE(value, at + 8);
    });
    return bytes;
  }
  const pixelsAt = 8 + 2 + 8 * 12 + 4;

  it('refuses a TIFF claiming 2^31 x 2^31 pixels before reading any pixel', async () => {
    const bytes = tiffWith([
      [256, 4, 2 ** 31],
      [257, 4, 2 ** 31],
      [258, 3, 8],
      [259, 3, 1],
      [262, 3, 1],
      [273, 4, pixelsAt],
      [278, 4, 2 ** 31],
      [279, 4, 1],
    ]);
    await writeFile(join(work, 'huge.tif'), bytes);
    const error = await openPixelSource(join(work, 'huge.tif'), 'images/huge.tif').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageConvertError);
    expect((error as ImageConvertError).code).toBe('IMAGE_TOO_LARGE');
    expect((error as Error).message).toMatch(/^images\/huge\.tif: .*2147483648 x 2147483648/);
  });

  it('refuses a compressed strip larger than it decodes at once (a whole 16384 x 16384 plane)', async () => {
    const bytes = tiffWith([
      [256, 4, 16384],
      [257, 4, 16384],
      [258, 3, 16],
      [259, 3, 8],
      [262, 3, 1],
      [273, 4, pixelsAt],
      [278, 4, 16384],
      [279, 4, 1],
    ]);
    await writeFile(join(work, 'one-strip.tif'), bytes);
    const error = await openPixelSource(join(work, 'one-strip.tif'), 'one-strip.tif').catch((e: unknown) => e);
    expect((error as ImageConvertError).code).toBe('IMAGE_TOO_LARGE');
    expect((error as Error).message).toMatch(/blocks of 512 MiB.*write it tiled/);
  });

  it('refuses a TIFF whose strips run past the end of the file', async () => {
    const bytes = await readFile(join(work, 'stack3d.tif'));
    await writeFile(join(work, 'truncated.tif'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const error = await openPixelSource(join(work, 'truncated.tif'), 'truncated.tif').catch((e: unknown) => e);
    expect((error as ImageConvertError).code).toMatch(/IMAGE_TRUNCATED|IMAGE_INVALID/);
    expect((error as Error).message).toMatch(/^truncated\.tif: /);
  });

  it('refuses a truncated MRC, and a file of another format', async () => {
    await copyFile(join(work, 'volume.mrc'), join(work, 'short.mrc'));
    await truncate(join(work, 'short.mrc'), 5000);
    const short = await openPixelSource(join(work, 'short.mrc'), 'short.mrc').catch((e: unknown) => e);
    expect((short as ImageConvertError).code).toBe('IMAGE_TRUNCATED');
    await writeFile(join(work, 'notes.txt'), 'not an image');
    const text = await openPixelSource(join(work, 'notes.txt'), 'notes.txt').catch((e: unknown) => e);
    expect((text as ImageConvertError).code).toBe('FORMAT_UNSUPPORTED');
  });

  it('writes no metadata when a conversion stops part-way', async () => {
    const out = join(work, 'interrupted.ome.zarr');
    const source = await openPixelSource(join(work, 'stack3d.tif'), 'stack3d.tif');
    const store = folderChunkStore(out);
    let writes = 0;
    const failing = {
      get: store.get,
      async set(key: string, bytes: Uint8Array) {
        if (++writes > 5) throw new Error('disk full');
        await store.set(key, bytes);
      },
    };
    await expect(toOmeZarr(source, failing, { name: 'x', chunk })).rejects.toThrow('disk full');
    await source.close();
    const files = await readdir(out, { recursive: true });
    expect(files.filter((f) => f.endsWith('zarr.json'))).toEqual([]);
  });
});
