// Rendering a plane: each channel auto-contrasted on robust percentiles, coloured, composited additively, then
// written as PNG at the preview sizes by sharp. Every step is deterministic (a fixed sample of pixels, a fixed
// resize kernel, fixed PNG settings and no metadata), so the same input gives the same bytes.
import sharp from 'sharp';
import type { Plane } from './plane.ts';

/** Percentiles of the contrast stretch: robust to a few hot or dead pixels. */
export const lowPercentile = 0.001;
export const highPercentile = 0.999;

/** At most this many pixels of a channel are sorted to find its percentiles (a fixed stride over the plane). */
const percentileSample = 1 << 16;

/**
 * Colours for channels the file does not colour: grey for one channel; for several, magenta, green, cyan and
 * yellow first (told apart with the common colour-vision deficiencies, unlike red beside green), then the rest.
 */
export const defaultPalette = ['FF00FF', '00FF00', '00FFFF', 'FFFF00', 'FF8000', '0080FF', 'FFFFFF', '8000FF'];

/** Low and high display limits of a channel: its 0.1 and 99.9 percentiles over a fixed sample of its pixels. */
export function contrastLimits(values: Float32Array): { low: number; high: number } {
  const stride = Math.max(1, Math.floor(values.length / percentileSample));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) if (Number.isFinite(values[i])) sample.push(values[i]);
  if (sample.length === 0) return { low: 0, high: 1 };
  const sorted = Float64Array.from(sample).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
  return { low: at(lowPercentile), high: at(highPercentile) };
}

/** The colour of each channel: the file's, unless the file gives every channel of several the same one. */
export function channelColors(plane: Plane): string[] {
  const count = plane.channels.length;
  if (count === 1) return [plane.colors[0] ?? 'FFFFFF'];
  const given = plane.colors.slice(0, count);
  const allSame = given.every((c) => c !== undefined && c === given[0]);
  return given.map((color, i) => (color && !allSame ? color : defaultPalette[i % defaultPalette.length]));
}

/** The plane as 8-bit interleaved RGB at its own size. */
export function compositeRgb(plane: Plane): Uint8Array {
  const pixels = plane.width * plane.height;
  const out = new Uint8Array(pixels * 3);
  if (plane.rgb) {
    for (let c = 0; c < 3; c++) {
      const channel = plane.channels[c];
      for (let i = 0; i < pixels; i++) out[i * 3 + c] = clampByte(channel[i]);
    }
    return out;
  }
  const sum = new Float32Array(pixels * 3);
  const colors = channelColors(plane);
  plane.channels.forEach((channel, c) => {
    const { low, high } = contrastLimits(channel);
    const range = high > low ? high - low : 1;
    const rgb = [0, 2, 4].map((at) => parseInt(colors[c].slice(at, at + 2), 16));
    for (let i = 0; i < pixels; i++) {
      const value = channel[i];
      // A flat channel (high == low) shows at its level only where it has signal; NaN (no data) stays black.
      const level = Number.isFinite(value) ? Math.min(1, Math.max(0, (value - low) / range)) : 0;
      if (level === 0) continue;
      sum[i * 3] += level * rgb[0];
      sum[i * 3 + 1] += level * rgb[1];
      sum[i * 3 + 2] += level * rgb[2];
    }
  });
  for (let i = 0; i < sum.length; i++) out[i] = clampByte(sum[i]);
  return out;
}

function clampByte(value: number): number {
  return value >= 255 ? 255 : value > 0 ? Math.round(value) : 0;
}

/**
 * A PNG with `longSide` pixels on the long side (the other side in proportion, at least 1). Reductions use
 * Lanczos; an image smaller than the target is enlarged with nearest neighbour so that its pixels stay sharp.
 */
export async function toPng(
  rgb: Uint8Array,
  width: number,
  height: number,
  longSide: number,
  channels: 3 | 4 = 3,
): Promise<Buffer> {
  const scale = longSide / Math.max(width, height);
  const size = {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
  return sharp(rgb, { raw: { width, height, channels } })
    .resize({ ...size, fit: 'fill', kernel: scale >= 1 ? 'nearest' : 'lanczos3' })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
}
