// A PixelSource to an OME-Zarr image in a ChunkStore, streamed: level 0 is copied one rectangle at a time (a band
// of chunk rows, as many chunk columns as fit `regionBytes`), then each level is made from the one before, read
// back from the store. Memory holds one rectangle of the source and the 4 (or 8) rectangles under one rectangle of
// the next level, whatever the image's size. Every chunk is written before any metadata (holdingMetadata).
import { ngffAttributes, axesOf, type ChannelRange } from './ngff-metadata.ts';
import { bytesPerElement, type PixelSource } from './pixel-source.ts';
import { downsample, planPyramid, type PyramidLevel } from './pyramid.ts';
import { createLevelArray, type LevelArray, type NgffVersion, type PlaneIndex } from './zarr-arrays.ts';
import { holdingMetadata, type ChunkStore } from './zarr-store.ts';

export interface ToOmeZarrOptions {
  /** OME-NGFF version: 0.5 (Zarr v3, the default) or 0.4 (Zarr v2, for readers that have no v3). */
  version?: NgffVersion;
  /** The image's name in `multiscales[0].name`. */
  name: string;
  /** Chunk size along y and x (default 1024); t, c and z chunks are 1. */
  chunk?: number;
  /** Bytes of pixels per rectangle read or written at once (default 8 MiB; at least one chunk). */
  regionBytes?: number;
  /** Called after each rectangle written, with the level. */
  onProgress?: (level: number) => void;
}

export interface OmeZarrSummary {
  axes: string[];
  levels: PyramidLevel[];
  /** Smallest and largest value of each channel, from level 0. */
  ranges: ChannelRange[];
}

export async function toOmeZarr(
  source: PixelSource,
  target: ChunkStore,
  options: ToOmeZarrOptions,
): Promise<OmeZarrSummary> {
  const version = options.version ?? '0.5';
  const chunk = options.chunk ?? 1024;
  const regionBytes = options.regionBytes ?? 8 * 1024 * 1024;
  const store = holdingMetadata(target);
  const levels = planPyramid(source, chunk);
  const axes = axesOf(source);
  const { t, c } = source.shape;
  const element = bytesPerElement(source.dataType);
  const arrays: LevelArray[] = [];
  for (const [index, level] of levels.entries()) {
    const shape = axes.map(
      (axis) => ({ t, c, z: level.z, y: level.y, x: level.x })[axis as 't' | 'c' | 'z' | 'y' | 'x'],
    );
    const chunks = axes.map((axis) =>
      axis === 'y' ? Math.min(chunk, level.y) : axis === 'x' ? Math.min(chunk, level.x) : 1,
    );
    arrays.push(
      await createLevelArray(store, version, { path: String(index), axes, shape, chunks, dataType: source.dataType }),
    );
  }
  const ranges: ChannelRange[] = Array.from({ length: c }, () => ({ min: Infinity, max: -Infinity }));
  for (const [index, level] of levels.entries()) {
    const chunkY = Math.min(chunk, level.y);
    const chunkX = Math.min(chunk, level.x);
    // Whole chunks across, as many as fit the rectangle's bytes (at least one).
    const groupX = chunkX * Math.max(1, Math.floor(regionBytes / (chunkY * chunkX * element)));
    for (let ti = 0; ti < t; ti++)
      for (let ci = 0; ci < c; ci++)
        for (let zi = 0; zi < level.z; zi++) {
          const plane: PlaneIndex = { t: ti, c: ci, z: zi };
          for (let y0 = 0; y0 < level.y; y0 += chunkY)
            for (let x0 = 0; x0 < level.x; x0 += groupX) {
              const rows = Math.min(chunkY, level.y - y0);
              const cols = Math.min(groupX, level.x - x0);
              const data =
                index === 0
                  ? await source.readRegion(plane, y0, y0 + rows, x0, x0 + cols)
                  : await nextLevelRegion(
                      arrays[index - 1],
                      levels[index - 1],
                      level,
                      plane,
                      y0,
                      x0,
                      rows,
                      cols,
                      source,
                    );
              if (index === 0) widen(ranges[ci], data);
              await arrays[index].write(plane, y0, x0, rows, cols, data);
              options.onProgress?.(index);
            }
        }
  }
  for (const range of ranges) if (range.min > range.max) Object.assign(range, { min: 0, max: 0 });
  const attributes = ngffAttributes(source, levels, options.name, version, ranges);
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2));
  if (version === '0.5') await store.set('zarr.json', encode({ zarr_format: 3, node_type: 'group', attributes }));
  else {
    await store.set('.zattrs', encode(attributes));
    await store.set('.zgroup', encode({ zarr_format: 2 }));
  }
  await store.flush();
  return { axes, levels, ranges };
}

/** A rectangle of `level` made from the 2 x 2 (x 2) rectangle under it in the level before. */
async function nextLevelRegion(
  previous: LevelArray,
  before: PyramidLevel,
  level: PyramidLevel,
  plane: PlaneIndex,
  y0: number,
  x0: number,
  rows: number,
  cols: number,
  source: PixelSource,
) {
  const y1 = Math.min(2 * (y0 + rows), before.y);
  const x1 = Math.min(2 * (x0 + cols), before.x);
  const zs = level.halvesZ ? [2 * plane.z, 2 * plane.z + 1].filter((z) => z < before.z) : [plane.z];
  const planes = [];
  for (const z of zs) planes.push(await previous.read({ ...plane, z }, 2 * y0, y1, 2 * x0, x1));
  return downsample(planes, y1 - 2 * y0, x1 - 2 * x0, source.dataType);
}

function widen(range: ChannelRange, data: ArrayLike<number>): void {
  let { min, max } = range;
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  range.min = min;
  range.max = max;
}
