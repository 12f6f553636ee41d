// One 2-D plane of an image as the readers hand it to rendering: one array of samples per channel, row-major, with
// the display colour the file gives. The readers keep memory bounded: a plane larger than `maxPlanePixels` at the
// resolution level read is refused before its pixels are fetched, and every plane is reduced to at most
// `workingSize` on its long side (block means) before it is composited.
import { PreviewError } from './preview-error.ts';

/** Any numeric typed array a reader can return (geotiff, zarrita, a DataView over MRC sections). */
export type Samples = ArrayLike<number> | BigInt64Array | BigUint64Array;

export interface Plane {
  width: number;
  height: number;
  /** One array per channel, `width * height` values each, row-major. */
  channels: Float32Array[];
  /** The file's display colour per channel (RRGGBB), undefined where it gives none. */
  colors: Array<string | undefined>;
  /** Three 8-bit channels that already are red, green and blue: shown as they are, not contrasted. */
  rgb: boolean;
}

/** Largest plane read at any resolution level (pixels): 256 Mi, about 512 MiB of 16-bit samples. */
export const maxPlanePixels = 256 * 1024 * 1024;

/** Largest plane read at any level, in bytes of its samples (all channels read at once): 1 GiB. */
export const maxPlaneBytes = 1024 * 1024 * 1024;

/** Throws PREVIEW_TOO_LARGE before `bytes` of samples are read (64-bit or many-sample planes under the pixel bound). */
export function assertPlaneBytes(bytes: number, limit = maxPlaneBytes): void {
  if (bytes > limit)
    throw new PreviewError(
      'PREVIEW_TOO_LARGE',
      `the plane read holds ${bytes} bytes of samples, more than the ${limit} a preview reads`,
    );
}

/** Long side of the plane kept for compositing: twice the largest preview, so that its last resize is a reduction. */
export const workingSize = 2048;

/** Channels composited at most; further channels of a many-channel image are left out of the preview. */
export const maxChannels = 8;

/** Throws PREVIEW_TOO_LARGE before a plane of `width` x `height` is read. */
export function assertPlaneFits(width: number, height: number, limit = maxPlanePixels): void {
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0))
    throw new PreviewError('PREVIEW_UNREADABLE', `the plane size ${width} x ${height} is not a size`);
  if (width * height > limit)
    throw new PreviewError(
      'PREVIEW_TOO_LARGE',
      `the plane read is ${width} x ${height} pixels, more than the ${limit} pixels a preview reads ` +
        '(a pyramid with a reduced resolution level would let it be drawn)',
    );
}

/**
 * The samples of one channel reduced to at most `workingSize` on the long side: the mean of each block of
 * `factor` x `factor` pixels (a box filter, so that noise averages out rather than aliasing). Float32 holds every
 * type's values closely enough for display; 64-bit integers go through Number.
 */
export function reduceChannel(
  samples: Samples,
  width: number,
  height: number,
): { data: Float32Array; width: number; height: number } {
  if (samples.length < width * height)
    throw new PreviewError('PREVIEW_UNREADABLE', `a plane of ${width} x ${height} holds only ${samples.length} values`);
  const factor = Math.max(1, Math.ceil(Math.max(width, height) / workingSize));
  const outWidth = Math.ceil(width / factor);
  const outHeight = Math.ceil(height / factor);
  const data = new Float32Array(outWidth * outHeight);
  const big = typeof samples[0] === 'bigint';
  const at = big
    ? (i: number) => Number((samples as BigInt64Array)[i])
    : (i: number) => (samples as ArrayLike<number>)[i];
  if (factor === 1) {
    for (let i = 0; i < data.length; i++) data[i] = at(i);
    return { data, width, height };
  }
  const sums = new Float64Array(outWidth);
  const counts = new Uint32Array(outWidth);
  for (let outY = 0; outY < outHeight; outY++) {
    sums.fill(0);
    counts.fill(0);
    const lastY = Math.min(height, (outY + 1) * factor);
    for (let y = outY * factor; y < lastY; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const value = at(row + x);
        // NaN and infinities (float data) would spread over the whole block.
        if (!Number.isFinite(value)) continue;
        const outX = (x / factor) | 0;
        sums[outX] += value;
        counts[outX]++;
      }
    }
    for (let outX = 0; outX < outWidth; outX++)
      data[outY * outWidth + outX] = counts[outX] > 0 ? sums[outX] / counts[outX] : Number.NaN;
  }
  return { data, width: outWidth, height: outHeight };
}
