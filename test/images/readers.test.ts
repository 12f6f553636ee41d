// The readers against files no one here wrote (OME-TIFFs from Bio-Formats and viv, OME-XML samples of the OME
// model, PNGs from scikit-image) and files written at test time by reference writers (tifffile, zarr, numpy):
// what the catalogue reads must be exactly what the file's own metadata says, as read by an independent reader.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../../images/byte-source.ts';
import { detectImageFormat } from '../../images/detect.ts';
import { ImageReadError } from '../../images/errors.ts';
import { omeColorToHex, parseOmeXml } from '../../images/ome-xml.ts';
import { readImageMetadata } from '../../images/read-image.ts';
import type { ImageMetadata } from '../../images/types.ts';
import { toMetres } from '../../images/units.ts';
import {
  omeReference,
  readFileMetadata,
  readZarrFolder,
  referenceMissing,
  writeReferenceImages,
  writeZarrGroups,
  type OmeReference,
  type ZarrGroupsSpec,
} from './helpers/reference.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;

/** The axis of `name`, or undefined. */
const axis = (metadata: ImageMetadata | undefined, name: string) => metadata?.axes?.find((a) => a.name === name);

// OME 2016-06 PixelType to the numpy names of the manifest.
const omeTypes: Record<string, string> = { float: 'float32', double: 'float64', bit: 'bool' };

/** The metadata must say exactly what the reference read of the same OME-XML says. */
function expectMatchesReference(metadata: ImageMetadata, reference: OmeReference): void {
  const { pixels } = reference;
  const order = pixels.DimensionOrder;
  expect(metadata.axes?.map((a) => a.name).join('')).toBe([...order].reverse().join('').toLowerCase());
  for (const letter of 'XYZCT')
    expect(axis(metadata, letter.toLowerCase())?.size).toBe(Number(pixels[`Size${letter}`]));
  expect(metadata.dataType).toBe(omeTypes[pixels.Type] ?? pixels.Type);
  for (const letter of 'XYZ') {
    const size = pixels[`PhysicalSize${letter}`];
    const read = axis(metadata, letter.toLowerCase());
    if (size === undefined) {
      expect(read?.physicalSize).toBeUndefined();
    } else {
      // The same length in metres: the reader names the unit as OME-NGFF does, the XML as OME does (µm default).
      expect(toMetres(read!.physicalSize!, read!.unit!)).toBeCloseTo(
        toMetres(Number(size), pixels[`PhysicalSize${letter}Unit`] ?? 'µm')!,
        15,
      );
    }
  }
  if (pixels.TimeIncrement) expect(axis(metadata, 't')?.physicalSize).toBe(Number(pixels.TimeIncrement));
  expect(metadata.channels?.map((c) => c.name)).toEqual(reference.channels.map((c) => c.Name));
  expect(metadata.channels?.map((c) => c.color)).toEqual(
    reference.channels.map((c) =>
      // Independent conversion: the RGBA integer's three high bytes.
      c.Color === undefined
        ? undefined
        : ((Number(c.Color) >>> 8) & 0xffffff).toString(16).padStart(6, '0').toUpperCase(),
    ),
  );
  expect(metadata.seriesCount).toBe(reference.images);
}

describe.skipIf(referenceMissing)('OME-TIFF and OME-XML files no one here wrote', () => {
  it('reads the OME-XML of each OME-TIFF exactly as tifffile and ElementTree read it', async () => {
    const folder = join(fixtures, 'ome-tiff');
    const paths = (await readdir(folder)).filter((f) => /\.ome\.tiff?$/u.test(f)).map((f) => join(folder, f));
    expect(paths.length).toBe(5);
    const references = omeReference(paths);
    for (const path of paths) {
      const metadata = (await readFileMetadata(path))!;
      expect(metadata.format, path).toBe('OME-TIFF');
      const reference = references[path];
      // plane.ome.tiff carries a BinaryOnly OME-XML (metadata in a companion file): its TIFF tags are read.
      if (reference === null) {
        expect(metadata.axes?.map((a) => [a.name, a.size])).toEqual([
          ['y', 64],
          ['x', 128],
        ]);
        expect(metadata.dataType).toBe('uint16');
      } else expectMatchesReference(metadata, reference);
    }
  });

  it('reads each OME-XML sample of the OME model exactly as ElementTree reads it', async () => {
    const folder = join(fixtures, 'ome-xml');
    const paths = (await readdir(folder)).filter((f) => f.endsWith('.ome.xml')).map((f) => join(folder, f));
    const references = omeReference(paths);
    for (const path of paths)
      expectMatchesReference(parseOmeXml(readFileSync(path, 'utf8'), 'OME-XML'), references[path]!);
    // The samples cover images, plates and non-default units.
    const hcs = parseOmeXml(readFileSync(join(folder, 'hcs.ome.xml'), 'utf8'), 'OME-XML');
    expect(axis(hcs, 't')).toEqual({ name: 't', type: 'time', size: 16, physicalSize: 120.1302, unit: 'second' });
    const centimetres = parseOmeXml(readFileSync(join(folder, 'instrument-units-alternate.ome.xml'), 'utf8'), 'x');
    expect(axis(centimetres, 'x')?.unit).toBe('centimeter');
  });
});

describe('PNG files no one here wrote', () => {
  it('reads size, channels and type from the header (sizes as scikit-image documents them)', async () => {
    const cell = await readFileMetadata(join(fixtures, 'png', 'cell.png'));
    expect(cell).toEqual({
      status: 'read',
      format: 'PNG',
      axes: [
        { name: 'y', type: 'space', size: 660 },
        { name: 'x', type: 'space', size: 550 },
      ],
      dataType: 'uint8',
      seriesCount: 1,
    });
    const ihc = await readFileMetadata(join(fixtures, 'png', 'ihc.png'));
    // ihc.png has a pHYs of 96 dots per inch: an editor's default, not a pixel size.
    expect(ihc?.axes).toEqual([
      { name: 'y', type: 'space', size: 512 },
      { name: 'x', type: 'space', size: 512 },
      { name: 'c', type: 'channel', size: 3 },
    ]);
    expect(ihc?.dataType).toBe('rgb8');
  });
});

describe('JPEG written by libjpeg-turbo (through sharp) with known size and channels', () => {
  it('reads height, width and channels from the frame header', async () => {
    const encode = (channels: 1 | 3) =>
      sharp(Buffer.alloc(40 * 30 * channels, 128), { raw: { width: 40, height: 30, channels } })
        .toColourspace(channels === 1 ? 'b-w' : 'srgb')
        .jpeg()
        .toBuffer();
    const colour = await readImageMetadata(bytesSource('photo.jpg', await encode(3)));
    expect(colour).toEqual({
      status: 'read',
      format: 'JPEG',
      axes: [
        { name: 'y', type: 'space', size: 30 },
        { name: 'x', type: 'space', size: 40 },
        { name: 'c', type: 'channel', size: 3 },
      ],
      dataType: 'rgb8',
      seriesCount: 1,
    });
    const grey = await readImageMetadata(bytesSource('grey.jpeg', await encode(1)));
    expect(grey?.axes?.map((a) => a.size)).toEqual([30, 40]);
    expect(grey?.dataType).toBe('uint8');
  });
});

describe.skipIf(referenceMissing)('files written by reference writers', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'catalogue-images-'));
    writeReferenceImages(folder);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('OME-TIFF from tifffile: five dimensions, sizes, units, channel names and colours as written', async () => {
    const metadata = await readFileMetadata(join(folder, 'five-d.ome.tif'));
    expect(metadata).toEqual({
      status: 'read',
      format: 'OME-TIFF',
      axes: [
        { name: 't', type: 'time', size: 2, physicalSize: 2.5, unit: 'second' },
        { name: 'c', type: 'channel', size: 2 },
        { name: 'z', type: 'space', size: 3, physicalSize: 1.5, unit: 'micrometer' },
        { name: 'y', type: 'space', size: 32, physicalSize: 0.325, unit: 'micrometer' },
        { name: 'x', type: 'space', size: 48, physicalSize: 0.325, unit: 'micrometer' },
      ],
      dataType: 'uint16',
      // OME Color -16776961 is 0xFF0000FF (opaque red), 16711935 is 0x00FF00FF (opaque green).
      channels: [
        { name: 'DAPI', color: 'FF0000' },
        { name: 'GFP', color: '00FF00' },
      ],
      seriesCount: 1,
    });
    expect(omeReference([join(folder, 'five-d.ome.tif')])[join(folder, 'five-d.ome.tif')]?.images).toBe(1);
    const nanometres = await readFileMetadata(join(folder, 'nanometres.ome.tif'));
    expect(axis(nanometres, 'x')).toEqual({ name: 'x', type: 'space', size: 30, physicalSize: 85, unit: 'nanometer' });
    expect(nanometres?.dataType).toBe('float32');
    expect((await readFileMetadata(join(folder, 'two-series.ome.tif')))?.seriesCount).toBe(2);
  });

  it('ImageJ hyperstack: frames, slices, channels, spacing, unit and frame interval from the description', async () => {
    expect((await readFileMetadata(join(folder, 'hyperstack.tif')))?.axes).toEqual([
      { name: 't', type: 'time', size: 3, physicalSize: 0.5, unit: 'second' },
      { name: 'z', type: 'space', size: 4, physicalSize: 0.8, unit: 'micrometer' },
      { name: 'c', type: 'channel', size: 2 },
      { name: 'y', type: 'space', size: 20, physicalSize: 0.2, unit: 'micrometer' },
      { name: 'x', type: 'space', size: 25, physicalSize: 0.2, unit: 'micrometer' },
    ]);
  });

  it('plain TIFF: BigTIFF pages as a z stack, other shapes as images, RGB, centimetre resolution', async () => {
    const stack = await readFileMetadata(join(folder, 'stack.btf'));
    expect(stack?.axes?.map((a) => [a.name, a.size])).toEqual([
      ['z', 5],
      ['y', 16],
      ['x', 16],
    ]);
    expect(stack?.dataType).toBe('float32');
    const mixed = await readFileMetadata(join(folder, 'mixed.tif'));
    expect(mixed?.seriesCount).toBe(2);
    expect(mixed?.axes?.map((a) => a.size)).toEqual([16, 16]);
    const rgb = await readFileMetadata(join(folder, 'rgb.tif'));
    expect(rgb?.dataType).toBe('rgb8');
    expect(rgb?.axes?.map((a) => [a.name, a.size])).toEqual([
      ['y', 12],
      ['x', 14],
      ['c', 3],
    ]);
    const centimetre = await readFileMetadata(join(folder, 'centimetre.tif'));
    expect(axis(centimetre, 'x')).toEqual({
      name: 'x',
      type: 'space',
      size: 10,
      physicalSize: 0.5,
      unit: 'micrometer',
    });
  });

  it('MRC2014: sizes, mode, voxel size from the cell, stacks and volumes, both byte orders, no map word', async () => {
    expect(await readFileMetadata(join(folder, 'volume.mrc'))).toEqual({
      status: 'read',
      format: 'MRC',
      axes: [
        { name: 'z', type: 'space', size: 20, physicalSize: 2.2, unit: 'angstrom' },
        { name: 'y', type: 'space', size: 30, physicalSize: 1.1, unit: 'angstrom' },
        { name: 'x', type: 'space', size: 40, physicalSize: 1.1, unit: 'angstrom' },
      ],
      dataType: 'float32',
      seriesCount: 1,
    });
    const movie = await readFileMetadata(join(folder, 'movie.mrcs'));
    expect(movie?.axes?.map((a) => [a.name, a.type, a.size, a.physicalSize])).toEqual([
      ['n', 'other', 7, undefined],
      ['y', 'space', 16, 0.83],
      ['x', 'space', 18, 0.83],
    ]);
    expect(movie?.dataType).toBe('int16');
    const volumes = await readFileMetadata(join(folder, 'volumes.map'));
    expect(volumes?.axes?.map((a) => [a.name, a.size])).toEqual([
      ['n', 2],
      ['z', 3],
      ['y', 8],
      ['x', 9],
    ]);
    expect(volumes?.dataType).toBe('uint16');
    expect((await readFileMetadata(join(folder, 'old.rec')))?.format).toBe('MRC');
  });

  it('OME-Zarr 0.4 from zarr: axes, level-0 shape and dtype, scale, omero channels, labels', async () => {
    const { metadata, problems } = await readZarrFolder(join(folder, 'cells.zarr'));
    expect(problems).toEqual([]);
    expect(metadata).toEqual({
      status: 'read',
      format: 'OME-Zarr',
      resolutionLevels: 2,
      axes: [
        { name: 'c', type: 'channel', size: 2 },
        { name: 'z', type: 'space', size: 3, physicalSize: 0.5, unit: 'micrometer' },
        { name: 'y', type: 'space', size: 64, physicalSize: 0.2, unit: 'micrometer' },
        { name: 'x', type: 'space', size: 64, physicalSize: 0.2, unit: 'micrometer' },
      ],
      dataType: 'uint16',
      channels: [
        { name: 'DAPI', color: '0000FF' },
        { name: 'Actin', color: 'FF0000' },
      ],
      hasLabels: true,
      seriesCount: 1,
    });
  });

  it('bioformats2raw layout from zarr: series 0 read, the series of OME/ counted, the layout checked', async () => {
    // OME-NGFF 0.4 §"bf2raw": a root group with `bioformats2raw.layout: 3`, an OME group whose `series` lists the
    // image groups in the order of the Images of OME/METADATA.ome.xml, and one image group per series.
    const image = (name: string, scale: number[]) => ({
      version: '0.4',
      name,
      axes: [
        { name: 't', type: 'time', unit: 'second' },
        { name: 'c', type: 'channel' },
        { name: 'z', type: 'space', unit: 'micrometer' },
        { name: 'y', type: 'space', unit: 'micrometer' },
        { name: 'x', type: 'space', unit: 'micrometer' },
      ],
      datasets: [
        { path: '0', coordinateTransformations: [{ type: 'scale', scale }] },
        { path: '1', coordinateTransformations: [{ type: 'scale', scale: scale.map((s, i) => (i > 2 ? 2 * s : s)) }] },
      ],
    });
    const layout = (version: number): ZarrGroupsSpec => ({
      groups: {
        '': { attributes: { 'bioformats2raw.layout': version } },
        OME: { attributes: { series: ['0', '1'] } },
        '0': {
          attributes: {
            multiscales: [image('Image:0', [1, 1, 2, 0.65, 0.65])],
            omero: {
              channels: [
                { label: 'Hoechst', color: '0000FF', window: { start: 0, end: 255, min: 0, max: 255 } },
                { label: 'Tubulin', color: '00ff00', window: { start: 0, end: 255, min: 0, max: 255 } },
              ],
            },
          },
          arrays: { '0': { shape: [1, 2, 5, 30, 40], dtype: '|u1' }, '1': { shape: [1, 2, 5, 15, 20], dtype: '|u1' } },
        },
        '1': {
          attributes: { multiscales: [image('Image:1', [1, 1, 1, 1, 1])] },
          arrays: { '0': { shape: [1, 1, 1, 6, 8], dtype: '<i2' }, '1': { shape: [1, 1, 1, 3, 4], dtype: '<i2' } },
        },
      },
      files: {
        'OME/METADATA.ome.xml':
          '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">' +
          '<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" ' +
          'SizeX="40" SizeY="30" SizeZ="5" SizeC="2" SizeT="1"/></Image>' +
          '<Image ID="Image:1"><Pixels ID="Pixels:1" DimensionOrder="XYZCT" Type="int16" ' +
          'SizeX="8" SizeY="6" SizeZ="1" SizeC="1" SizeT="1"/></Image></OME>',
      },
    });
    writeZarrGroups(join(folder, 'bf2raw.zarr'), layout(3));
    const { metadata, problems } = await readZarrFolder(join(folder, 'bf2raw.zarr'));
    expect(problems).toEqual([]);
    expect(metadata).toEqual({
      status: 'read',
      format: 'OME-Zarr',
      resolutionLevels: 2,
      axes: [
        { name: 't', type: 'time', size: 1, physicalSize: 1, unit: 'second' },
        { name: 'c', type: 'channel', size: 2 },
        { name: 'z', type: 'space', size: 5, physicalSize: 2, unit: 'micrometer' },
        { name: 'y', type: 'space', size: 30, physicalSize: 0.65, unit: 'micrometer' },
        { name: 'x', type: 'space', size: 40, physicalSize: 0.65, unit: 'micrometer' },
      ],
      dataType: 'uint8',
      channels: [
        { name: 'Hoechst', color: '0000FF' },
        { name: 'Tubulin', color: '00FF00' },
      ],
      hasLabels: false,
      seriesCount: 2,
    });
    // The bf2raw schema allows layout 3 only: another version is a problem on the root's .zattrs.
    writeZarrGroups(join(folder, 'bf2raw-2.zarr'), layout(2));
    const other = await readZarrFolder(join(folder, 'bf2raw-2.zarr'));
    expect(other.problems).toEqual([
      expect.objectContaining({
        file: '.zattrs',
        pointer: '/bioformats2raw.layout',
        message: expect.stringContaining('3'),
      }),
    ]);
    expect(other.metadata.seriesCount).toBe(2);
  });
});

describe('format detection and small parts', () => {
  it('finds each format by its signature, and MRC by extension only with a sane header', () => {
    const bytes = (...values: number[]) => Uint8Array.from(values);
    expect(detectImageFormat('a', bytes(0x49, 0x49, 0x2b, 0, 8, 0, 0, 0))).toBe('TIFF');
    expect(detectImageFormat('a', new TextEncoder().encode('ZISRAWFILE'))).toBe('CZI');
    expect(detectImageFormat('a', bytes(0xda, 0xce, 0xbe, 0x0a))).toBe('ND2');
    expect(detectImageFormat('a', bytes(0, 0, 0, 4))).toBe('DM4');
    expect(detectImageFormat('a.mrc', new Uint8Array(1024))).toBeUndefined();
    expect(detectImageFormat('notes.txt', new TextEncoder().encode('hello'))).toBeUndefined();
  });

  it('formats the catalogue only recognises say so', async () => {
    const czi = new Uint8Array(2048);
    czi.set(new TextEncoder().encode('ZISRAWFILE'));
    expect(await readImageMetadata(bytesSource('scan.czi', czi))).toEqual({ status: 'recognised', format: 'CZI' });
  });

  it('converts OME colours (signed RGBA integers) to RRGGBB', () => {
    expect(omeColorToHex('-1')).toBe('FFFFFF');
    expect(omeColorToHex('255')).toBe('000000');
    expect(omeColorToHex('65535')).toBe('0000FF');
    expect(omeColorToHex('-16776961')).toBe('FF0000');
    expect(omeColorToHex('red')).toBeUndefined();
  });

  it('a truncated MRC header is the reader’s own error', async () => {
    const head = new Uint8Array(300);
    head.set(new TextEncoder().encode('MAP '), 208);
    await expect(readImageMetadata(bytesSource('x.mrc', head))).rejects.toBeInstanceOf(ImageReadError);
  });
});
