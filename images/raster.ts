// PNG and JPEG with sharp's metadata(), given the file's first bytes only: both formats put their header before
// the pixel data (PNG §5.6: IHDR first, pHYs before IDAT; JPEG: the frame header SOF before the scan).
import sharp, { type Metadata } from 'sharp';
import type { ByteSource } from './byte-source.ts';
import { ImageReadError } from './errors.ts';
import { isPrintDensity } from './print-density.ts';
import type { ImageAxis, ImageMetadata, PixelType } from './types.ts';

/** Bytes handed to sharp: enough for a JPEG's EXIF and ICC segments or a PNG's text chunks before the pixels. */
export const rasterHeaderBytes = 1024 * 1024;

const depthTypes: Record<string, PixelType> = {
  uchar: 'uint8',
  char: 'int8',
  ushort: 'uint16',
  short: 'int16',
  uint: 'uint32',
  int: 'int32',
  float: 'float32',
  double: 'float64',
};

/**
 * PNG §11.3.5.3 pHYs: pixels per unit along x and y, unit 1 = the metre. Returned as micrometres per pixel; a pHYs
 * of unit 0 (aspect ratio only), a print density (print-density.ts) or none gives undefined. sharp's `density`
 * cannot tell these apart.
 */
export function pngPixelSize(bytes: Uint8Array): { x: number; y: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (type === 'IDAT' || type === 'IEND') return undefined;
    if (type === 'pHYs' && length === 9 && at + 17 <= bytes.length) {
      const [perX, perY, unit] = [view.getUint32(at + 8), view.getUint32(at + 12), bytes[at + 16]];
      if (unit !== 1 || perX === 0 || perY === 0 || isPrintDensity(perX / 100)) return undefined;
      return { x: 1e6 / perX, y: 1e6 / perY };
    }
    at += 12 + length;
  }
  return undefined;
}

/** Reads a PNG or JPEG header; `format` is what detection found. */
export async function readRaster(source: ByteSource, format: 'PNG' | 'JPEG'): Promise<ImageMetadata> {
  const head = await source.read(0, Math.min(source.size, rasterHeaderBytes));
  let info: Metadata;
  try {
    info = await sharp(head, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageReadError('MALFORMED', `not a readable ${format}: ${(error as Error).message}`, { cause: error });
  }
  if (!info.width || !info.height) throw new ImageReadError('MALFORMED', `the ${format} header gives no size`);
  const physical = format === 'PNG' ? pngPixelSize(head) : undefined;
  const axis = (name: string, size: number, micrometres: number | undefined): ImageAxis =>
    micrometres === undefined
      ? { name, type: 'space', size }
      : { name, type: 'space', size, physicalSize: micrometres, unit: 'micrometer' };
  const axes = [axis('y', info.height, physical?.y), axis('x', info.width, physical?.x)];
  const channels = info.channels ?? 1;
  if (channels > 1) axes.push({ name: 'c', type: 'channel', size: channels });
  const metadata: ImageMetadata = { status: 'read', format, axes, seriesCount: 1 };
  const colour = info.space === 'srgb' && info.depth === 'uchar' && channels >= 3;
  const dataType = colour
    ? 'rgb8'
    : info.depth && Object.hasOwn(depthTypes, info.depth)
      ? depthTypes[info.depth]
      : undefined;
  if (dataType) metadata.dataType = dataType;
  return metadata;
}
