// TIFF, BigTIFF and OME-TIFF from their IFDs (TIFF 6.0 §2; BigTIFF: version 43, 64-bit offsets) with geotiff,
// reading tags only, never strips or tiles. An OME-TIFF is a TIFF whose first IFD's ImageDescription holds OME-XML
// (OME-TIFF specification); an ImageJ TIFF one whose description starts `ImageJ=`. Otherwise the pages are
// counted: pages of one shape are a z stack, pages of different shapes separate images.
import { GeoTIFF } from 'geotiff';
import type { ByteSource } from './byte-source.ts';
import { ImageReadError } from './errors.ts';
import { isImageJDescription, parseImageJDescription, type ImageJDescription } from './imagej.ts';
import { isOmeXml, parseOmeXml } from './ome-xml.ts';
import { isPrintDensity } from './print-density.ts';
import type { ImageAxis, ImageMetadata, PixelType } from './types.ts';
import { unitName } from './units.ts';

/** Most pages counted in a plain TIFF; a file with more gets a TOO_LARGE error rather than an endless walk. */
export const maxTiffPages = 50_000;

type Image = Awaited<ReturnType<GeoTIFF['getImage']>>;
type TagName = Parameters<Image['fileDirectory']['loadValue']>[0];

/** geotiff's source interface: ranges in, ArrayBuffers out. */
function geotiffSource(source: ByteSource) {
  return {
    fileSize: source.size,
    async fetch(slices: Array<{ offset: number; length: number }>) {
      return Promise.all(
        slices.map(async ({ offset, length }) => {
          // A copy with its own ArrayBuffer: a Node Buffer's `buffer` is a shared pool, and its `slice` a view.
          return new Uint8Array(await source.read(offset, length)).buffer;
        }),
      );
    },
    async close() {},
  };
}

/** TIFF 6.0 §"SampleFormat": 1 unsigned, 2 signed, 3 IEEE float; with BitsPerSample, as numpy names it. */
function pixelTypeOf(image: Image): PixelType | undefined {
  const bits = image.getBitsPerSample(0);
  const format = image.fileDirectory.hasTag('SampleFormat') ? image.getSampleFormat(0) : 1;
  const samples = image.getSamplesPerPixel();
  const photometric = image.fileDirectory.getValue('PhotometricInterpretation');
  if (samples >= 3 && bits === 8 && format === 1 && photometric === 2) return 'rgb8';
  if (bits === 1) return 'bool';
  const name = format === 3 ? `float${bits}` : `${format === 2 ? 'int' : 'uint'}${bits}`;
  const known: PixelType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
  return [...known, 'float16', 'float32', 'float64'].includes(name as PixelType) ? (name as PixelType) : undefined;
}

async function textTag(image: Image, tag: TagName): Promise<string | undefined> {
  if (!image.fileDirectory.hasTag(tag)) return undefined;
  const value: unknown = await image.fileDirectory.loadValue(tag);
  // ASCII fields end with NUL (TIFF 6.0 §2, "ASCII").
  return typeof value === 'string' ? value.replace(/\0+$/u, '') : undefined;
}

/** XResolution and YResolution as the size of one pixel: (unit per pixel, unit name), or undefined. */
async function pixelSize(image: Image, imagej: ImageJDescription | undefined) {
  const read = async (tag: TagName) => {
    if (!image.fileDirectory.hasTag(tag)) return undefined;
    const value = (await image.fileDirectory.loadValue(tag)) as ArrayLike<number> | number;
    const perUnit = typeof value === 'number' ? value : value[1] ? value[0] / value[1] : Number.NaN;
    return Number.isFinite(perUnit) && perUnit > 0 ? 1 / perUnit : undefined;
  };
  const [x, y] = [await read('XResolution'), await read('YResolution')];
  if (x === undefined) return undefined;
  // ImageJ writes the resolution in its own `unit`; otherwise ResolutionUnit (TIFF 6.0 §"ResolutionUnit": 2 inch,
  // 3 centimetre). Inch resolutions are dots per inch for print and say nothing of the sample: only centimetre ones
  // are read.
  if (imagej?.unit) {
    const unit = unitName(imagej.unit);
    return unit ? { x, y: y ?? x, unit } : undefined;
  }
  const resolutionUnit = (await image.fileDirectory.loadValue('ResolutionUnit')) as number | undefined;
  if (resolutionUnit === 3 && !isPrintDensity(1 / x / 100))
    return { x: x * 1e4, y: (y ?? x) * 1e4, unit: 'micrometer' };
  return undefined;
}

/** Most entries read in one IFD: real ones hold a few dozen tags (TIFF 6.0 defines 74, BigTIFF and OME add few). */
export const maxIfdEntries = 1024;

/**
 * Checks the entry count of the IFD at `offset` before geotiff parses it: a flipped byte can announce 65 535
 * entries (or 2^64 in BigTIFF), which geotiff would read and parse one by one.
 */
async function checkIfdAt(source: ByteSource, offset: number): Promise<void> {
  const header = await source.read(0, 4);
  if (header.length < 4) throw new ImageReadError('TRUNCATED', 'the TIFF header is cut short');
  const little = header[0] === 0x49;
  const big = new DataView(header.buffer, header.byteOffset, 4).getUint16(2, little) === 43;
  const bytes = await source.read(offset, big ? 8 : 2);
  if (bytes.length < (big ? 8 : 2)) throw new ImageReadError('TRUNCATED', `the IFD at byte ${offset} is past the end`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = big ? view.getBigUint64(0, little) : BigInt(view.getUint16(0, little));
  if (entries > BigInt(maxIfdEntries))
    throw new ImageReadError('TOO_LARGE', `the IFD at byte ${offset} announces ${entries} entries`);
}

/** The offset of the first IFD (TIFF 6.0 §2: bytes 4-7; BigTIFF: bytes 8-15). */
async function firstIfdOffset(source: ByteSource): Promise<number> {
  const header = await source.read(0, 16);
  if (header.length < 8) throw new ImageReadError('TRUNCATED', 'the TIFF header is cut short');
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const little = header[0] === 0x49;
  if (view.getUint16(2, little) !== 43) return view.getUint32(4, little);
  if (header.length < 16) throw new ImageReadError('TRUNCATED', 'the BigTIFF header is cut short');
  const offset = view.getBigUint64(8, little);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new ImageReadError('MALFORMED', 'the first IFD is beyond 2^53');
  return Number(offset);
}

/** The IFDs of the file, each checked to point forward to a new offset (a loop of IFDs is MALFORMED). */
async function countPages(source: ByteSource, tiff: GeoTIFF, first: Image): Promise<Image[]> {
  const pages = [first];
  const seen = new Set<number>();
  for (let page = first; page.fileDirectory.nextIFDByteOffset !== 0; ) {
    const next = page.fileDirectory.nextIFDByteOffset;
    if (seen.has(next)) throw new ImageReadError('MALFORMED', 'its IFDs form a loop');
    seen.add(next);
    if (pages.length >= maxTiffPages) throw new ImageReadError('TOO_LARGE', `it has more than ${maxTiffPages} pages`);
    page = await tiff.getImage(pages.length);
    pages.push(page);
  }
  return pages;
}

function planeAxes(image: Image, physical: { x: number; y: number; unit: string } | undefined): ImageAxis[] {
  const y: ImageAxis = { name: 'y', type: 'space', size: image.getHeight() };
  const x: ImageAxis = { name: 'x', type: 'space', size: image.getWidth() };
  if (physical) Object.assign(y, { physicalSize: physical.y, unit: physical.unit });
  if (physical) Object.assign(x, { physicalSize: physical.x, unit: physical.unit });
  const samples = image.getSamplesPerPixel();
  if (samples <= 1) return [y, x];
  const c: ImageAxis = { name: 'c', type: 'channel', size: samples };
  // TIFF 6.0 §"PlanarConfiguration": 1 chunky (samples interleaved, fastest), 2 planar.
  return image.fileDirectory.getValue('PlanarConfiguration') === 2 ? [c, y, x] : [y, x, c];
}

/** Reads a TIFF's metadata; OME-XML in the first ImageDescription makes it an OME-TIFF. */
export async function readTiff(source: ByteSource): Promise<ImageMetadata> {
  let tiff: GeoTIFF;
  let first: Image;
  try {
    await checkIfdAt(source, await firstIfdOffset(source));
    tiff = await GeoTIFF.fromSource(geotiffSource(source) as unknown as Parameters<typeof GeoTIFF.fromSource>[0]);
    first = await tiff.getImage(0);
  } catch (error) {
    throw asReadError(error);
  }
  try {
    const description = await textTag(first, 'ImageDescription');
    const ome = description !== undefined && isOmeXml(description);
    // OME-TIFF specification, "BinaryOnly": the OME-XML lives in a companion file; the TIFF tags still hold the
    // plane's size and type.
    if (ome && !/<(?:[A-Za-z_][\w.-]*:)?BinaryOnly[\s/>]/u.test(description))
      return parseOmeXml(description, 'OME-TIFF');
    const imagej = description && isImageJDescription(description) ? parseImageJDescription(description) : undefined;
    const physical = await pixelSize(first, imagej);
    const metadata: ImageMetadata = { status: 'read', format: ome ? 'OME-TIFF' : 'TIFF' };
    const dataType = pixelTypeOf(first);
    if (dataType) metadata.dataType = dataType;
    const plane = planeAxes(first, physical);
    if (imagej && (imagej.slices || imagej.frames || imagej.channels)) {
      // ImageJ hyperstacks: planes in XYCZT order, so slowest first t, z, c.
      const axes: ImageAxis[] = [];
      if (imagej.frames && imagej.frames > 1) {
        const t: ImageAxis = { name: 't', type: 'time', size: imagej.frames };
        if (imagej.frameInterval) Object.assign(t, { physicalSize: imagej.frameInterval, unit: 'second' });
        axes.push(t);
      }
      if (imagej.slices && imagej.slices > 1) {
        const z: ImageAxis = { name: 'z', type: 'space', size: imagej.slices };
        if (imagej.spacing && physical) Object.assign(z, { physicalSize: imagej.spacing, unit: physical.unit });
        axes.push(z);
      }
      if (imagej.channels && imagej.channels > 1) axes.push({ name: 'c', type: 'channel', size: imagej.channels });
      metadata.axes = [...axes, ...plane];
      metadata.seriesCount = 1;
      return metadata;
    }
    const pages = await countPages(source, tiff, first);
    // NewSubfileType bit 0 (TIFF 6.0 §"NewSubfileType"): a reduced-resolution copy, not an image of its own.
    const full = pages.filter((page) => ((page.fileDirectory.getValue('NewSubfileType') as number) ?? 0) % 2 === 0);
    const sameShape = full.every(
      (page) =>
        page.getWidth() === first.getWidth() &&
        page.getHeight() === first.getHeight() &&
        page.getSamplesPerPixel() === first.getSamplesPerPixel(),
    );
    if (full.length > 1 && sameShape) {
      metadata.axes = [{ name: 'z', type: 'space', size: full.length }, ...plane];
      metadata.seriesCount = 1;
    } else {
      metadata.axes = plane;
      metadata.seriesCount = Math.max(1, full.length);
    }
    return metadata;
  } catch (error) {
    throw asReadError(error);
  }
}

/** geotiff's own errors (a bad byte order, an offset past the end) as the reader's. */
function asReadError(error: unknown): ImageReadError {
  if (error instanceof ImageReadError) return error;
  const message = (error as Error)?.message ?? String(error);
  const code = error instanceof RangeError || /offset|bounds/iu.test(message) ? 'TRUNCATED' : 'MALFORMED';
  return new ImageReadError(code, `not a readable TIFF: ${message}`, { cause: error });
}
