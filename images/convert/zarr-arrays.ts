// The arrays of one pyramid level, written one rectangle of one plane at a time. Zarr v3 (OME-NGFF 0.5) through
// zarrita; Zarr v2 (OME-NGFF 0.4) with its chunks written here, since zarrita writes only v3.
import { deflateSync, inflateSync } from 'node:zlib';
import * as zarr from 'zarrita';
import { arrayOf, type PixelArray, type ZarrDataType } from './pixel-source.ts';
import type { ChunkStore } from './zarr-store.ts';

export type NgffVersion = '0.5' | '0.4';

/** The index of a plane along the axes the image has (t, c, z where present). */
export interface PlaneIndex {
  t: number;
  c: number;
  z: number;
}

export interface LevelArray {
  /** Writes rows x cols of one plane at (y0, x0); y0 and x0 sit on chunk boundaries. */
  write(plane: PlaneIndex, y0: number, x0: number, rows: number, cols: number, data: PixelArray): Promise<void>;
  /** Reads rows y0..y1-1, columns x0..x1-1 of one plane. */
  read(plane: PlaneIndex, y0: number, y1: number, x0: number, x1: number): Promise<PixelArray>;
}

export interface LevelSpec {
  path: string;
  /** Axis names, slowest first, e.g. ['c', 'z', 'y', 'x']. */
  axes: string[];
  shape: number[];
  chunks: number[];
  dataType: ZarrDataType;
}

/** zstd level 3: fast to write and read, and a codec every Zarr v3 implementation reads. */
export const zstdCodecs = [
  { name: 'bytes', configuration: { endian: 'little' } },
  { name: 'zstd', configuration: { level: 3, checksum: false } },
];

export async function createLevelArray(store: ChunkStore, version: NgffVersion, spec: LevelSpec): Promise<LevelArray> {
  return version === '0.5' ? createV3Array(store, spec) : createV2Array(store, spec);
}

const planeSelection = (axes: string[], plane: PlaneIndex) =>
  axes.filter((a) => a === 't' || a === 'c' || a === 'z').map((a) => plane[a as keyof PlaneIndex]);

async function createV3Array(store: ChunkStore, spec: LevelSpec): Promise<LevelArray> {
  // zarrita keys are absolute ('/0/zarr.json'); the store's keys are relative to the image's root.
  const adapter = {
    get: (key: string) => store.get(key.replace(/^\//, '')),
    set: (key: string, bytes: Uint8Array) => store.set(key.replace(/^\//, ''), bytes),
  };
  const array = await zarr.create(zarr.root(adapter).resolve(spec.path), {
    shape: spec.shape,
    chunkShape: spec.chunks,
    dtype: spec.dataType,
    fillValue: 0,
    codecs: zstdCodecs,
    // OME-NGFF 0.5 §multiscales: the arrays' dimension_names match the axes' names.
    dimensionNames: spec.axes,
  });
  return {
    async write(plane, y0, x0, rows, cols, data) {
      const selection = [...planeSelection(spec.axes, plane), zarr.slice(y0, y0 + rows), zarr.slice(x0, x0 + cols)];
      await zarr.set(array, selection, { data: data as never, shape: [rows, cols], stride: [cols, 1] });
    },
    async read(plane, y0, y1, x0, x1) {
      const selection = [...planeSelection(spec.axes, plane), zarr.slice(y0, y1), zarr.slice(x0, x1)];
      const chunk = await zarr.get(array, selection);
      return chunk.data as PixelArray;
    },
  };
}

/** numpy's dtype strings of Zarr v2 (Zarr v2 spec §data type encoding), little-endian. */
const v2Types: Record<ZarrDataType, string> = {
  uint8: '|u1',
  int8: '|i1',
  uint16: '<u2',
  int16: '<i2',
  uint32: '<u4',
  int32: '<i4',
  float32: '<f4',
  float64: '<f8',
};

async function createV2Array(store: ChunkStore, spec: LevelSpec): Promise<LevelArray> {
  const zarray = {
    zarr_format: 2,
    shape: spec.shape,
    chunks: spec.chunks,
    dtype: v2Types[spec.dataType],
    // numcodecs Zlib: zlib-wrapped deflate; Zarr v2 has no zstd in every reader, zlib it has.
    compressor: { id: 'zlib', level: 1 },
    fill_value: 0,
    order: 'C',
    filters: null,
    // OME-NGFF 0.4 §"On-disk layout": chunks nested with '/'.
    dimension_separator: '/',
  };
  await store.set(`${spec.path}/.zarray`, new TextEncoder().encode(JSON.stringify(zarray, null, 2)));
  const [chunkY, chunkX] = spec.chunks.slice(-2);
  const [height, width] = spec.shape.slice(-2);
  const chunkKey = (plane: PlaneIndex, cy: number, cx: number) =>
    [spec.path, ...planeSelection(spec.axes, plane), cy, cx].join('/');
  const chunkLength = chunkY * chunkX;
  return {
    async write(plane, y0, x0, rows, cols, data) {
      for (let cy = y0 / chunkY; cy * chunkY < y0 + rows; cy++)
        for (let cx = x0 / chunkX; cx * chunkX < x0 + cols; cx++) {
          // Zarr v2: every chunk is whole; the part past the array's edge is the fill value.
          const chunk = arrayOf(spec.dataType, chunkLength);
          const ys = cy * chunkY - y0;
          const xs = cx * chunkX - x0;
          const h = Math.min(chunkY, rows - ys);
          const w = Math.min(chunkX, cols - xs);
          for (let y = 0; y < h; y++)
            chunk.set(data.subarray((ys + y) * cols + xs, (ys + y) * cols + xs + w), y * chunkX);
          const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          await store.set(chunkKey(plane, cy, cx), deflateSync(bytes, { level: 1 }));
        }
    },
    async read(plane, y0, y1, x0, x1) {
      const cols = x1 - x0;
      const out = arrayOf(spec.dataType, (y1 - y0) * cols);
      for (let cy = Math.floor(y0 / chunkY); cy * chunkY < Math.min(y1, height); cy++)
        for (let cx = Math.floor(x0 / chunkX); cx * chunkX < Math.min(x1, width); cx++) {
          const stored = await store.get(chunkKey(plane, cy, cx));
          if (!stored) continue;
          const raw = inflateSync(stored);
          const chunk = typedView(spec.dataType, raw);
          const yFrom = Math.max(y0, cy * chunkY);
          const yTo = Math.min(y1, (cy + 1) * chunkY);
          const xFrom = Math.max(x0, cx * chunkX);
          const xTo = Math.min(x1, (cx + 1) * chunkX);
          for (let y = yFrom; y < yTo; y++) {
            const from = (y - cy * chunkY) * chunkX + (xFrom - cx * chunkX);
            out.set(chunk.subarray(from, from + (xTo - xFrom)), (y - y0) * cols + (xFrom - x0));
          }
        }
      return out;
    },
  };
}

function typedView(dataType: ZarrDataType, bytes: Uint8Array): PixelArray {
  const copy = new Uint8Array(bytes);
  const empty = arrayOf(dataType, 0);
  return new (empty.constructor as new (buffer: ArrayBuffer) => PixelArray)(copy.buffer);
}
