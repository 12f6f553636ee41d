// The images of an entry as its page shows them: per image file its metadata (axes, physical size, channels,
// read by images/ into the manifest's `image`), the public URLs of its thumbnail and preview (the manifest's
// `derived` list, stored under `.derived/` in the entry's prefix) and an alt text made from the metadata.
// Pure and free of Node-only imports: the pages and the index worker both use it.
import type { DerivedFile, ImageMetadata, Manifest, ManifestFile, Mirror } from '../../schemas/index.ts';
import { publicMirrors, publicObjectUrl } from '../../storage/downloads.ts';
import { findPicture } from '../../storage/preview-status.ts';
import type { PublishedRecord } from './published.ts';

/** The long side of a thumbnail and of a preview, in pixels (the preview recipe preview@1 draws them so). */
export const thumbnailLongSide = 256;
export const previewLongSide = 1024;

export interface PictureLink {
  url: string;
  /** Pixel size the picture is drawn at, from the original's aspect ratio (explicit sizes avoid layout shifts). */
  width: number;
  height: number;
}

export interface EntryImage {
  /** Manifest path of the original (for OME-Zarr, its root metadata file). */
  path: string;
  /** What the page calls the file: its path, or the `.zarr` folder for an OME-Zarr image. */
  name: string;
  format: string;
  /** Bytes of the original file (for OME-Zarr, of the root metadata file only). */
  size: number;
  /** The original on the first public mirror; absent for a folder (OME-Zarr) or without a public mirror. */
  downloadUrl?: string;
  metadata?: ImageMetadata;
  /** Width and height in pixels, from the x and y axes. */
  pixels?: { width: number; height: number };
  /** Physical size of one pixel along x, with its unit symbol ("0.65 µm"). */
  pixelSize?: string;
  /** Channel names (or "channel N"), in file order. */
  channels: string[];
  thumbnail?: PictureLink;
  preview?: PictureLink;
  alt: string;
}

export interface EntryImages {
  images: EntryImage[];
  /** The entry's `representativeImage`, or its first image file. */
  representative?: EntryImage;
  /** Paths of image files that have no thumbnail in the manifest's `derived` list. */
  missingPreviews: string[];
}

export interface EntryImagesOptions {
  /** The entry's `representativeImage` (a manifest path). */
  representativeImage?: string;
  /** The imaging method of a file's study component, for the alt text ("Fluorescence image"). */
  methodOf?: (component: string | undefined) => string | undefined;
}

/** OME-NGFF 0.5 §"axes metadata" names units as UDUNITS-2 does; pages show their symbols. */
const unitSymbols: Record<string, string> = {
  angstrom: 'Å',
  nanometer: 'nm',
  micrometer: 'µm',
  micron: 'µm',
  millimeter: 'mm',
  centimeter: 'cm',
  meter: 'm',
  second: 's',
  millisecond: 'ms',
  microsecond: 'µs',
  minute: 'min',
  hour: 'h',
};

export const unitSymbol = (unit: string | undefined): string => (unit ? (unitSymbols[unit] ?? unit) : '');

/** The root metadata file of an OME-Zarr image: zarr.json (Zarr v3, NGFF 0.5) or .zattrs (Zarr v2, NGFF 0.4). */
const zarrRoot = /^(.*\.zarr)\/(zarr\.json|\.zattrs)$/i;
const insideZarr = /\.zarr\//i;

/**
 * An image file: one whose `image` metadata was read, or a submitted file with role image; inside an OME-Zarr
 * folder only the image's root metadata file counts (its chunks are not images of their own).
 */
function isImageFile(file: ManifestFile): boolean {
  if (file.image) return true;
  if (file.role !== 'image') return false;
  return !insideZarr.test(file.path) || zarrRoot.test(file.path);
}

/** The picture size of a derived PNG: the original's aspect ratio at `longSide`, never larger than the original. */
function drawnSize(pixels: EntryImage['pixels'], longSide: number): { width: number; height: number } {
  if (!pixels || pixels.width <= 0 || pixels.height <= 0) return { width: longSide, height: longSide };
  const scale = Math.min(1, longSide / Math.max(pixels.width, pixels.height));
  return {
    width: Math.max(1, Math.round(pixels.width * scale)),
    height: Math.max(1, Math.round(pixels.height * scale)),
  };
}

function pixelsOf(metadata: ImageMetadata | undefined): EntryImage['pixels'] {
  const x = metadata?.axes?.find((a) => a.name.toLowerCase() === 'x');
  const y = metadata?.axes?.find((a) => a.name.toLowerCase() === 'y');
  return x && y ? { width: x.size, height: y.size } : undefined;
}

function pixelSizeOf(metadata: ImageMetadata | undefined): string | undefined {
  const x = metadata?.axes?.find((a) => a.name.toLowerCase() === 'x');
  if (x?.physicalSize === undefined || !(x.physicalSize > 0)) return undefined;
  return `${Number(x.physicalSize.toPrecision(4))} ${unitSymbol(x.unit)}`.trim();
}

function channelsOf(metadata: ImageMetadata | undefined): string[] {
  const named = (metadata?.channels ?? []).map((c, i) => c.name?.trim() || `channel ${i + 1}`);
  if (named.length) return named;
  const c = metadata?.axes?.find((a) => a.type === 'channel');
  return c && c.size > 1 ? Array.from({ length: c.size }, (_, i) => `channel ${i + 1}`) : [];
}

/**
 * "Fluorescence image, 3 channels (DAPI, GFP, mCherry), 1024 × 1024 px, 0.65 µm per pixel": what a person who
 * cannot see the picture needs to know of it (WCAG 2.2 SC 1.1.1), from the metadata alone.
 */
export function altText(
  image: Pick<EntryImage, 'pixels' | 'pixelSize' | 'channels' | 'format'>,
  method?: string,
): string {
  const kind = method ? method.charAt(0).toUpperCase() + method.slice(1) : image.format;
  const parts = [`${kind} image`];
  if (image.channels.length > 1) parts.push(`${image.channels.length} channels (${image.channels.join(', ')})`);
  else if (image.channels.length === 1) parts.push(`channel ${image.channels[0]}`);
  if (image.pixels) parts.push(`${image.pixels.width} × ${image.pixels.height} px`);
  if (image.pixelSize) parts.push(`${image.pixelSize} per pixel`);
  return parts.join(', ');
}

/**
 * The images of an entry. URLs are on the first public mirror (primary first); without one there are no URLs,
 * but the metadata and alt texts are still there. An image without a thumbnail is listed in `missingPreviews`
 * and shown without one: a build never fails for want of a preview.
 */
export function entryImages(
  manifest: Manifest | undefined,
  mirrors: readonly Mirror[],
  options: EntryImagesOptions = {},
): EntryImages {
  if (!manifest) return { images: [], missingPreviews: [] };
  const mirror = publicMirrors(mirrors)[0];
  const urlOf = (path: string) => (mirror ? publicObjectUrl(mirror, manifest.location.prefix, path) : undefined);
  // Pictures found by the storage layer's own rule (their address is the original's sha256 and the recipe), so
  // files with the same bytes share them.
  const pictureOf = (file: ManifestFile, kind: 'thumbnail' | 'preview') => findPicture(manifest, file, kind);
  const images: EntryImage[] = [];
  const missingPreviews: string[] = [];
  for (const file of manifest.files) {
    if (!isImageFile(file)) continue;
    const zarr = zarrRoot.exec(file.path);
    const metadata = file.image;
    const pixels = pixelsOf(metadata);
    const channels = channelsOf(metadata);
    const pixelSize = pixelSizeOf(metadata);
    const own = { thumbnail: pictureOf(file, 'thumbnail'), preview: pictureOf(file, 'preview') };
    const link = (item: DerivedFile | undefined, longSide: number): PictureLink | undefined => {
      const url = item && urlOf(item.path);
      return url ? { url, ...drawnSize(pixels, longSide) } : undefined;
    };
    if (!own.thumbnail) missingPreviews.push(file.path);
    const format = metadata?.format ?? file.format;
    const downloadUrl = zarr ? undefined : urlOf(file.path);
    images.push({
      path: file.path,
      name: zarr ? zarr[1] : file.path,
      format,
      size: file.size,
      ...(downloadUrl ? { downloadUrl } : {}),
      ...(metadata ? { metadata } : {}),
      ...(pixels ? { pixels } : {}),
      ...(pixelSize ? { pixelSize } : {}),
      channels,
      thumbnail: link(own.thumbnail, thumbnailLongSide),
      preview: link(own.preview, previewLongSide),
      alt: altText({ pixels, pixelSize, channels, format }, options.methodOf?.(file.component)),
    });
  }
  const representative =
    (options.representativeImage && images.find((i) => i.path === options.representativeImage)) || images[0];
  return { images, ...(representative ? { representative } : {}), missingPreviews };
}

/** The entry's `representativeImage`, read loosely: the field is optional in schemas/entry.schema.json. */
export function representativeImageOf(data: unknown): string | undefined {
  const value = (data as { representativeImage?: unknown } | undefined)?.representativeImage;
  return typeof value === 'string' ? value : undefined;
}

/** The images of a published record, with the imaging method of each file's study component for the alt text. */
export function recordImages(record: PublishedRecord, mirrors: readonly Mirror[]): EntryImages {
  if (record.kind === 'tombstone') return { images: [], missingPreviews: [] };
  const methods = new Map((record.data.components ?? []).map((c) => [c.id, c.imagingMethod.label]));
  const single = methods.size === 1 ? [...methods.values()][0] : undefined;
  return entryImages(record.manifest, mirrors, {
    representativeImage: representativeImageOf(record.data),
    methodOf: (component) => (component ? methods.get(component) : undefined) ?? single,
  });
}

/** The size of a list's thumbnail, in CSS pixels on the long side (entry lists, search results). */
export const listThumbnailSide = 64;

/** The representative image's thumbnail of a record, scaled for a list; undefined when it has none. */
export function listThumbnail(
  record: PublishedRecord,
  mirrors: readonly Mirror[],
): (PictureLink & { alt: string }) | undefined {
  const image = recordImages(record, mirrors).representative;
  const thumbnail = image?.thumbnail;
  if (!image || !thumbnail) return undefined;
  const scale = listThumbnailSide / Math.max(thumbnail.width, thumbnail.height);
  return {
    url: thumbnail.url,
    width: Math.max(1, Math.round(thumbnail.width * scale)),
    height: Math.max(1, Math.round(thumbnail.height * scale)),
    alt: image.alt,
  };
}

export interface PreviewCount {
  images: number;
  withPreview: number;
  /** The first few missing ones as ACCESSION/path, for the build's summary line. */
  examples: string[];
}

/** How many image files of the listed records have a thumbnail, over the catalogue. */
export function countPreviews(records: readonly PublishedRecord[], mirrors: readonly Mirror[]): PreviewCount {
  const count: PreviewCount = { images: 0, withPreview: 0, examples: [] };
  for (const record of records) {
    if (record.status !== 'live') continue;
    const { images, missingPreviews } = recordImages(record, mirrors);
    count.images += images.length;
    count.withPreview += images.length - missingPreviews.length;
    for (const path of missingPreviews.slice(0, 3 - count.examples.length))
      count.examples.push(`${record.accession}/${path}`);
  }
  return count;
}

/** The build's one line about previews: none missing, or how many and which (`catalogue previews` makes them). */
export function previewSummaryLine(count: PreviewCount): string {
  const missing = count.images - count.withPreview;
  return missing === 0
    ? `previews: all ${count.images} image file(s) have a thumbnail`
    : `previews: ${missing} of ${count.images} image file(s) have no thumbnail yet and are shown without one ` +
        `(e.g. ${count.examples.join(', ')})`;
}
