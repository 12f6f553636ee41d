// PNG and JPEG as a PixelSource, decoded by sharp (libvips): each rectangle is cut with `extract` and one channel
// taken with `extractChannel`, raw. sharp refuses images over its `limitInputPixels`, set here to the plane limit.
import sharp, { type Metadata } from 'sharp';
import { ImageConvertError } from './errors.ts';
import { maxPlanePixels, type PixelSource, type SourceChannel } from './pixel-source.ts';

const channelsOf: Record<number, SourceChannel[]> = {
  1: [],
  2: [{ name: 'gray' }, { name: 'alpha' }],
  3: [
    { name: 'red', color: 'FF0000' },
    { name: 'green', color: '00FF00' },
    { name: 'blue', color: '0000FF' },
  ],
  4: [
    { name: 'red', color: 'FF0000' },
    { name: 'green', color: '00FF00' },
    { name: 'blue', color: '0000FF' },
    { name: 'alpha', color: 'FFFFFF' },
  ],
};

export async function openRaster(path: string, name: string): Promise<PixelSource> {
  const open = () => sharp(path, { limitInputPixels: maxPlanePixels, sequentialRead: true, failOn: 'error' });
  let metadata: Metadata;
  try {
    metadata = await open().metadata();
  } catch (error) {
    throw new ImageConvertError('IMAGE_INVALID', name, `cannot be decoded: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width * height > maxPlanePixels)
    throw new ImageConvertError('IMAGE_TOO_LARGE', name, `claims ${width} x ${height} pixels`);
  const channels = metadata.channels ?? 1;
  const sixteenBits = metadata.depth === 'ushort';
  return {
    shape: { t: 1, c: channels, z: 1, y: height, x: width },
    dataType: sixteenBits ? 'uint16' : 'uint8',
    physicalSizes: {},
    channels: channelsOf[channels] ?? [],
    async readRegion(plane, y0, y1, x0, x1) {
      try {
        const { data } = await open()
          .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
          .extractChannel(plane.c as 0 | 1 | 2 | 3)
          .raw({ depth: sixteenBits ? 'ushort' : 'uchar' })
          .toBuffer({ resolveWithObject: true });
        return sixteenBits
          ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
          : new Uint8Array(data);
      } catch (error) {
        throw new ImageConvertError(
          'IMAGE_TRUNCATED',
          name,
          `rows ${y0}-${y1 - 1} cannot be decoded: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    async close() {},
  };
}
