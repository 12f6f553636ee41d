// TIFF and OME-TIFF as a PixelSource, read with geotiff: only the strips or tiles under the asked rectangle are read
// (readRasters with a window). The planes across pages follow the OME-XML DimensionOrder when the first page holds
// OME-XML, the `shape`/`axes` JSON that tifffile writes into ImageDescription otherwise, and else one page per z.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { endianness } from 'node:os';
import { fromFile, type GeoTIFF, type GeoTIFFImage } from 'geotiff';
import { fillPerSampleTags, readTagsInFileByteOrder } from '../geotiff-quirks.ts';
import { ImageConvertError } from './errors.ts';
import { parseOmePixels } from './ome-xml.ts';
import {
  arrayOf,
  bytesPerElement,
  maxPlanePixels,
  type PixelArray,
  type PixelSource,
  type ZarrDataType,
} from './pixel-source.ts';

/** The largest strip or tile decoded at once (bytes of pixels): 256 MiB. */
const maxBlockBytes = 256 * 2 ** 20;

/** Pages whose strip and tile tables are checked against the file's size before any pixel is read. */
const maxPages = 1_000_000;

export async function openTiff(path: string, name: string): Promise<PixelSource> {
  let tiff: GeoTIFF;
  try {
    tiff = await fromFile(path);
    readTagsInFileByteOrder(tiff);
  } catch (error) {
    throw new ImageConvertError('IMAGE_INVALID', name, `is not a readable TIFF: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return await describe(tiff, path, name);
  } catch (error) {
    await tiff.close?.();
    if (error instanceof ImageConvertError) throw error;
    throw new ImageConvertError('IMAGE_INVALID', name, `cannot be read as TIFF: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function describe(tiff: GeoTIFF, path: string, name: string): Promise<PixelSource> {
  const first = await tiff.getImage(0);
  const width = first.getWidth();
  const height = first.getHeight();
  if (!(width >= 1 && height >= 1))
    throw new ImageConvertError('IMAGE_INVALID', name, `the first page is ${width} x ${height} pixels`);
  if (width * height > maxPlanePixels)
    throw new ImageConvertError(
      'IMAGE_TOO_LARGE',
      name,
      `the first page claims ${width} x ${height} pixels, more than the ${maxPlanePixels} pixels a plane may have; ` +
        'the file is either damaged or too large to convert',
    );
  const samples = first.getSamplesPerPixel();
  const dataType = dataTypeOf(first, name);
  const pageCount = await tiff.getImageCount();
  if (pageCount > maxPages) throw new ImageConvertError('IMAGE_TOO_LARGE', name, `has ${pageCount} pages`);
  const description = String((await first.fileDirectory.loadValue('ImageDescription')) ?? '');
  const ome = parseOmePixels(description);
  const layout = ome
    ? omeLayout(ome.sizes, ome.dimensionOrder, samples)
    : tifffileLayout(description, pageCount, samples);
  const pagesNeeded = layout.t * layout.pageChannels * layout.z;
  if (pagesNeeded > pageCount)
    throw new ImageConvertError(
      'IMAGE_TRUNCATED',
      name,
      `its metadata describes ${pagesNeeded} planes but the file has ${pageCount} pages`,
    );
  const fileSize = (await stat(path)).size;
  const pages: Array<{ page: GeoTIFFImage; offsets: ArrayLike<number> }> = [];
  for (let index = 0; index < pagesNeeded; index++) {
    const page = index === 0 ? first : await tiff.getImage(index);
    // A directory read past the end of the file comes back empty.
    if (!(page.getWidth() >= 1))
      throw new ImageConvertError(
        'IMAGE_TRUNCATED',
        name,
        `page ${index} is empty or lies past the end of the file: the file is truncated; upload it again`,
      );
    fillPerSampleTags(page);
    if (page.getWidth() !== width || page.getHeight() !== height || page.getSamplesPerPixel() !== samples)
      throw new ImageConvertError('IMAGE_INVALID', name, `page ${index} differs in size from the first page`);
    pages.push({ page, offsets: await checkBlocksInFile(page, fileSize, name, index) });
  }
  const element = bytesPerElement(dataType);
  const direct = pages.every(({ page }) => readsDirectly(page, samples)) ? await open(path, 'r') : undefined;
  // geotiff decodes a whole strip or tile to read any part of it: a plane stored as one huge compressed strip
  // would be held whole, so blocks over the limit are refused (read directly, uncompressed strips have no limit).
  const blockBytes =
    first.getTileWidth() * first.getTileHeight() * element * (first.planarConfiguration === 1 ? samples : 1);
  if (!direct && blockBytes > maxBlockBytes)
    throw new ImageConvertError(
      'IMAGE_TOO_LARGE',
      name,
      `stores its pixels in compressed blocks of ${Math.round(blockBytes / 2 ** 20)} MiB, more than the ` +
        `${maxBlockBytes / 2 ** 20} MiB the converter decodes at once; ` +
        'write it tiled (e.g. bfconvert -tilex 1024 -tiley 1024)',
    );
  const shape = { t: layout.t, c: layout.pageChannels * samples, z: layout.z, y: height, x: width };
  return {
    shape,
    dataType,
    physicalSizes: ome?.physicalSizes ?? {},
    channels: ome?.channels.length === shape.c ? ome.channels : samples === 3 ? rgbChannels() : [],
    async readRegion(plane, y0, y1, x0, x1) {
      const pageChannel = Math.floor(plane.c / samples);
      const { page, offsets } = pages[layout.pageIndex(plane.t, pageChannel, plane.z)];
      try {
        if (direct) {
          const strips = { offsets, rowsPerStrip: page.getTileHeight(), first: (plane.c % samples) * stripsDown(page) };
          return await readStrips(direct, strips, { width, element, dataType }, y0, y1, x0, x1);
        }
        const rasters = await page.readRasters({ window: [x0, y0, x1, y1], samples: [plane.c % samples] });
        return (rasters as unknown as PixelArray[])[0];
      } catch (error) {
        throw new ImageConvertError(
          'IMAGE_TRUNCATED',
          name,
          `rows ${y0}-${y1 - 1} of plane t=${plane.t} c=${plane.c} z=${plane.z} cannot be decoded: ` +
            `${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    async close() {
      await direct?.close();
      await tiff.close?.();
    },
  };
}

const stripsDown = (page: GeoTIFFImage) => Math.ceil(page.getHeight() / page.getTileHeight());

/**
 * Uncompressed strips of one sample per strip, in the machine's byte order, are read straight from the file by
 * byte ranges (TIFF 6.0 §Compression 1: the strip is the rows, packed): the same bytes geotiff would copy one pixel
 * at a time through a DataView, at a fraction of the cost. Anything else goes through geotiff.
 */
function readsDirectly(page: GeoTIFFImage, samples: number): boolean {
  const compression = page.fileDirectory.getValue('Compression') ?? 1;
  const bits = page.getBitsPerSample(0);
  return (
    compression === 1 &&
    !page.isTiled &&
    (samples === 1 || page.planarConfiguration === 2) &&
    bits % 8 === 0 &&
    page.littleEndian === (endianness() === 'LE')
  );
}

async function readStrips(
  handle: FileHandle,
  strips: { offsets: ArrayLike<number>; rowsPerStrip: number; first: number },
  image: { width: number; element: number; dataType: ZarrDataType },
  y0: number,
  y1: number,
  x0: number,
  x1: number,
): Promise<PixelArray> {
  const { width, element } = image;
  const out = arrayOf(image.dataType, (y1 - y0) * (x1 - x0));
  const bytes = new Uint8Array(out.buffer);
  const rowBytes = (x1 - x0) * element;
  const wholeRows = x0 === 0 && x1 === width;
  for (let y = y0; y < y1; ) {
    const strip = Math.floor(y / strips.rowsPerStrip);
    // Whole rows of one strip are contiguous: one read for all of them.
    const rows = wholeRows ? Math.min(y1, (strip + 1) * strips.rowsPerStrip) - y : 1;
    const position = Number(strips.offsets[strips.first + strip]) + ((y % strips.rowsPerStrip) * width + x0) * element;
    const length = rows * rowBytes;
    const { bytesRead } = await handle.read(bytes, (y - y0) * rowBytes, length, position);
    if (bytesRead !== length) throw new Error(`strip ${strip} ends before row ${y + rows - 1}`);
    y += rows;
  }
  return out;
}

interface PageLayout {
  t: number;
  z: number;
  /** Channels stored as separate pages (the other channels are samples of one page). */
  pageChannels: number;
  pageIndex(t: number, c: number, z: number): number;
}

/** OME-TIFF: planes in DimensionOrder (OME 2016-06 `Pixels/DimensionOrder`, default TiffData mapping). */
function omeLayout(sizes: { t: number; c: number; z: number }, order: string, samples: number): PageLayout {
  const pageChannels = Math.max(1, Math.floor(sizes.c / samples));
  const sizeOf = { T: sizes.t, C: pageChannels, Z: sizes.z } as Record<string, number>;
  const dims = order.slice(2).split('');
  return {
    t: sizes.t,
    z: sizes.z,
    pageChannels,
    pageIndex(t, c, z) {
      const at = { T: t, C: c, Z: z } as Record<string, number>;
      return at[dims[0]] + sizeOf[dims[0]] * (at[dims[1]] + sizeOf[dims[1]] * at[dims[2]]);
    },
  };
}

/**
 * tifffile's shaped description (`{"shape": [...], "axes": "..."}`) names the axes of the pages; without axes a
 * stack of pages is taken as z (a channel stack written without axes cannot be told apart).
 */
function tifffileLayout(description: string, pageCount: number, samples: number): PageLayout {
  let axes = '';
  let shape: number[] = [];
  try {
    const parsed = JSON.parse(description) as { shape?: unknown; axes?: unknown };
    if (Array.isArray(parsed.shape) && parsed.shape.every((n) => Number.isInteger(n) && n >= 1))
      shape = parsed.shape as number[];
    if (typeof parsed.axes === 'string' && parsed.axes.length === shape.length) axes = parsed.axes.toUpperCase();
  } catch {
    // Not tifffile's JSON: the pages are a z stack.
  }
  const pageAxes = samples > 1 ? axes.slice(0, -3) : axes.slice(0, -2);
  const pageShape = samples > 1 ? shape.slice(0, -3) : shape.slice(0, -2);
  if (axes !== '' && /^[TCZQI]*$/.test(pageAxes) && new Set(pageAxes).size === pageAxes.length) {
    const size = (axis: string) => (pageAxes.includes(axis) ? pageShape[pageAxes.indexOf(axis)] : 1);
    const t = size('T');
    const c = size('C');
    const z = size('Z') * size('Q') * size('I');
    const order = pageAxes.replace(/[QI]/g, 'Z');
    return {
      t,
      z,
      pageChannels: c,
      pageIndex(ti, ci, zi) {
        const sizes = { T: t, C: c, Z: z } as Record<string, number>;
        const at = { T: ti, C: ci, Z: zi } as Record<string, number>;
        return [...order].reduce((index, axis) => index * sizes[axis] + at[axis], 0);
      },
    };
  }
  return { t: 1, z: pageCount, pageChannels: 1, pageIndex: (_t, _c, z) => z };
}

/** Every strip or tile a page names lies inside the file: a truncated file is refused before it is converted. */
async function checkBlocksInFile(
  page: GeoTIFFImage,
  fileSize: number,
  name: string,
  index: number,
): Promise<ArrayLike<number>> {
  const tiled = page.isTiled;
  const offsets = (await page.fileDirectory.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as ArrayLike<number>;
  const counts = (await page.fileDirectory.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as
    | ArrayLike<number>
    | undefined;
  const blocksAcross = tiled ? Math.ceil(page.getWidth() / page.getTileWidth()) : 1;
  const blocksDown = Math.ceil(page.getHeight() / page.getTileHeight());
  const planes = page.planarConfiguration === 2 ? page.getSamplesPerPixel() : 1;
  const expected = blocksAcross * blocksDown * planes;
  if (!offsets || !counts || offsets.length < expected || counts.length < expected)
    throw new ImageConvertError(
      'IMAGE_TRUNCATED',
      name,
      `page ${index} lists ${offsets?.length ?? 0} ${tiled ? 'tiles' : 'strips'} where its size needs ${expected}`,
    );
  for (let block = 0; block < expected; block++) {
    const end = Number(offsets[block]) + Number(counts[block]);
    if (end > fileSize)
      throw new ImageConvertError(
        'IMAGE_TRUNCATED',
        name,
        `page ${index}, ${tiled ? 'tile' : 'strip'} ${block} ends at byte ${end} but the file has ${fileSize} ` +
          'bytes: the file is truncated; upload it again',
      );
  }
  return offsets;
}

/** TIFF 6.0 §SampleFormat (1 unsigned, 2 signed, 3 IEEE float) and BitsPerSample. */
function dataTypeOf(page: GeoTIFFImage, name: string): ZarrDataType {
  const format = page.getSampleFormat(0) ?? 1;
  const bits = page.getBitsPerSample(0);
  const key = `${format}:${bits}`;
  const types: Record<string, ZarrDataType> = {
    '1:8': 'uint8',
    '1:16': 'uint16',
    '1:32': 'uint32',
    '2:8': 'int8',
    '2:16': 'int16',
    '2:32': 'int32',
    '3:32': 'float32',
    '3:64': 'float64',
  };
  const type = types[key];
  if (!type)
    throw new ImageConvertError(
      'PIXEL_TYPE_UNSUPPORTED',
      name,
      `has ${bits}-bit samples of format ${format}; ` +
        'the converter takes 8, 16 and 32-bit integers and 32 or 64-bit floats',
    );
  return type;
}

function rgbChannels() {
  return [
    { name: 'red', color: 'FF0000' },
    { name: 'green', color: '00FF00' },
    { name: 'blue', color: '0000FF' },
  ];
}
