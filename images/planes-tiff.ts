// The preview plane of a TIFF or OME-TIFF, read with geotiff from a file on disk: only the pages of the plane
// (tiff-layout.ts), and of each page the smallest resolution level that still covers the preview (a SubIFD of an
// OME-TIFF pyramid, OME-TIFF specification "Sub-resolutions", or a reduced-resolution page of a plain TIFF,
// TIFF 6.0 NewSubfileType bit 0). Strips and tiles are read by geotiff, and only those of the level chosen.
import { stat } from 'node:fs/promises';
import { fromFile, GeoTIFFImage, type GeoTIFF } from 'geotiff';
import {
  assertPlaneBytes,
  assertPlaneFits,
  maxChannels,
  maxPlanePixels,
  reduceChannel,
  type Plane,
  type Samples,
} from './plane.ts';
import { fillPerSampleTags, readTagsInFileByteOrder } from './geotiff-quirks.ts';
import { asPreviewError, PreviewError } from './preview-error.ts';
import { tiffLayout } from './tiff-layout.ts';

export interface ReadPlaneOptions {
  /** The long side the preview needs (pixels): the smallest level at least this large is read. */
  target: number;
  /** Largest plane read (pixels), default maxPlanePixels. */
  maxPixels?: number;
}

export async function readTiffPlane(path: string, options: ReadPlaneOptions): Promise<Plane> {
  return asPreviewError('the TIFF file', async () => {
    const tiff = await fromFile(path);
    boundReads(tiff, (await stat(path)).size);
    readTagsInFileByteOrder(tiff);
    try {
      return await readPlane(tiff, options);
    } finally {
      await tiff.close?.();
    }
  });
}

async function readPlane(tiff: GeoTIFF, options: ReadPlaneOptions): Promise<Plane> {
  const first = await tiff.getImage(0);
  const description = await first.fileDirectory.loadValue('ImageDescription').catch(() => undefined);
  const layout = tiffLayout(typeof description === 'string' ? description : undefined, maxChannels);
  const channels: Float32Array[] = [];
  const colors: Array<string | undefined> = [];
  let size: { width: number; height: number } | undefined;
  let rgb = false;
  for (const [c, page] of layout.pages.entries()) {
    const image = await pageAt(tiff, page);
    if (!image)
      throw new PreviewError(
        'PREVIEW_UNSUPPORTED',
        `the plane's page ${page} is not in this file (an OME-TIFF whose planes are spread over several files)`,
      );
    const level = await chooseLevel(tiff, image, page, options.target);
    fillPerSampleTags(level);
    const width = level.getWidth();
    const height = level.getHeight();
    assertPlaneFits(width, height, options.maxPixels ?? maxPlanePixels);
    const samples = level.getSamplesPerPixel();
    assertPlaneBytes(width * height * level.getBytesPerPixel());
    const photometric = level.fileDirectory.getValue('PhotometricInterpretation');
    // TIFF 6.0 §6: PhotometricInterpretation 2 is RGB; 8-bit RGB is shown as the camera recorded it.
    const isRgb = photometric === 2 && samples >= 3 && level.getBitsPerSample(0) === 8;
    const wanted = isRgb ? [0, 1, 2] : Array.from({ length: Math.min(samples, maxChannels) }, (_, i) => i);
    const rasters = (await level.readRasters({ samples: wanted, interleave: false })) as unknown as Samples[];
    for (const raster of rasters) {
      const reduced = reduceChannel(raster, width, height);
      if (size && (size.width !== reduced.width || size.height !== reduced.height))
        throw new PreviewError('PREVIEW_UNSUPPORTED', 'the channels of the plane have different sizes');
      size = { width: reduced.width, height: reduced.height };
      channels.push(reduced.data);
      colors.push(samples === 1 ? layout.colors[c] : undefined);
    }
    rgb = isRgb && layout.pages.length === 1;
    if (channels.length >= maxChannels) break;
  }
  if (!size) throw new PreviewError('PREVIEW_UNREADABLE', 'the TIFF file has no plane to draw');
  return { ...size, channels: channels.slice(0, maxChannels), colors: colors.slice(0, maxChannels), rgb };
}

/** The smallest of the page and its reduced levels whose long side is at least `target`. */
async function chooseLevel(tiff: GeoTIFF, image: GeoTIFFImage, page: number, target: number): Promise<GeoTIFFImage> {
  const levels = [image, ...(await reducedLevels(tiff, image, page))];
  const longSide = (level: GeoTIFFImage) => Math.max(level.getWidth(), level.getHeight());
  const large = levels.filter((level) => longSide(level) >= target).sort((a, b) => longSide(a) - longSide(b));
  return large[0] ?? levels.sort((a, b) => longSide(b) - longSide(a))[0];
}

async function reducedLevels(tiff: GeoTIFF, image: GeoTIFFImage, page: number): Promise<GeoTIFFImage[]> {
  const directory = image.fileDirectory;
  if (directory.hasTag('SubIFDs')) {
    const offsets = (await directory.loadValue('SubIFDs')) as ArrayLike<number | bigint>;
    const levels: GeoTIFFImage[] = [];
    for (const offset of Array.from(offsets).slice(0, 32)) {
      const parsed = await tiff.parser.parseFileDirectoryAt(Number(offset));
      levels.push(new GeoTIFFImage(parsed, tiff.littleEndian, tiff.cache, tiff.source));
    }
    return levels;
  }
  // A plain TIFF with overviews (as GDAL writes them): the pages after the first marked reduced-resolution.
  if (page !== 0) return [];
  const levels: GeoTIFFImage[] = [];
  for (let next = 1; next < 32; next++) {
    const overview = await pageAt(tiff, next);
    if (!overview || ((overview.fileDirectory.getValue('NewSubfileType') as number | undefined) ?? 0) % 2 !== 1) break;
    levels.push(overview);
  }
  return levels;
}

type Slice = { offset: number; length: number };

/**
 * Every read stays within the file: an offset or byte count of a hostile file (a strip of 4 GiB) would otherwise
 * have geotiff allocate a buffer of that size before the read comes back short.
 */
function boundReads(tiff: GeoTIFF, fileSize: number): void {
  const source = tiff.source as unknown as { fetch: (slices: Slice[], signal?: AbortSignal) => Promise<unknown> };
  const fetch = source.fetch.bind(source);
  source.fetch = (slices, signal) =>
    fetch(
      slices.map(({ offset, length }) => {
        if (!(offset >= 0 && offset <= fileSize && length >= 0))
          throw new PreviewError('PREVIEW_UNREADABLE', `the file points at byte ${offset}, outside its ${fileSize}`);
        return { offset, length: Math.min(length, fileSize - offset) };
      }),
      signal,
    );
}

/** Pages followed at most to find a plane's page. */
const maxPage = 1_000_000;

/**
 * The page at `index`, found by following the chain of IFD offsets (TIFF 6.0 §2: each IFD ends with the offset of
 * the next, 0 after the last); undefined past the last page. A chain that loops back is a broken file.
 */
async function pageAt(tiff: GeoTIFF, index: number): Promise<GeoTIFFImage | undefined> {
  if (index > maxPage) throw new PreviewError('PREVIEW_UNSUPPORTED', `page ${index} is past the ${maxPage} followed`);
  const seen = new Set<number>();
  let offset = tiff.firstIFDOffset;
  for (let page = 0; ; page++) {
    if (seen.has(offset)) throw new PreviewError('PREVIEW_UNREADABLE', 'the chain of TIFF pages loops back on itself');
    seen.add(offset);
    const directory = await tiff.parser.parseFileDirectoryAt(offset);
    if (page === index) return new GeoTIFFImage(directory, tiff.littleEndian, tiff.cache, tiff.source);
    offset = Number(directory.nextIFDByteOffset);
    if (offset === 0) return undefined;
  }
}
