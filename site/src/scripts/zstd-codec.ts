// The zstd codec of the viewer's Zarr reader (Zarr v3 core §"zstd", numcodecs' Zstd for v2), in place of numcodecs'
// own: that one is Emscripten with embind, whose glue builds functions from strings (`new Function`) when it
// starts, which the pages' CSP forbids (script-src without 'unsafe-eval', site/lib/csp.ts), so that no zstd chunk
// could be read. fzstd decodes in plain JavaScript, frames with or without their content size. The site's Vite
// configuration (site/astro.config.mjs) puts this module where zarrita imports `numcodecs/zstd`; it has the
// interface of numcodecs' codecs (numcodecs/dist/types.d.ts). The viewer only reads: encoding is refused.
//
// A chunk comes from a mirror, so it is checked before it is decoded: a few kilobytes of zstd can declare or
// produce gigabytes (fzstd allocates what a frame header declares), which would take the visitor's tab down. The
// frames' headers and block headers bound what they can produce (below); a chunk whose bound exceeds the chunk's
// own size, from the array's shape and data type, or whose window exceeds 64 MiB, is refused unread.
import { decompress } from 'fzstd';

/** RFC 8878 §3.1.1.2: Block_Maximum_Size, the most one block decodes to. */
const blockMaximum = 128 * 1024;
/**
 * The most a frame's window, or a chunk when the codec is made without the chunk's shape, may take: more than any
 * chunk the viewer draws (its cache holds 64 MiB) and than libzstd's windows up to level 19 (8 MiB).
 */
const defaultLimit = 64 * 1024 * 1024;

/** What zarrita passes as the chunk's metadata (zarrita 0.7: dataType; 0.5: data_type). */
interface ChunkMeta {
  shape?: readonly number[];
  dataType?: string;
  data_type?: string;
}

/** Bytes per element of a Zarr v3 data type (bool, int8 ... float64, complex64/128), or undefined. */
function elementBytes(dataType: string | undefined): number | undefined {
  if (dataType === 'bool') return 1;
  const bits = /^(?:u?int|float|complex)(8|16|32|64|128)$/.exec(dataType ?? '')?.[1];
  return bits ? Number(bits) / 8 : undefined;
}

/** The decoded size of one chunk, or undefined when the metadata does not say. */
function chunkBytes(meta: ChunkMeta | undefined): number | undefined {
  const size = elementBytes(meta?.dataType ?? meta?.data_type);
  const shape = meta?.shape;
  if (!size || !Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) return undefined;
  return shape.reduce((product, n) => product * n, size);
}

const readLittleEndian = (data: Uint8Array, at: number, length: number) => {
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + data[at + i];
  return value;
};

/**
 * What decoding `data` can take, walking its frames (RFC 8878 §3.1): `output`, the most it decodes to (a frame's
 * content size when its header gives one, else the sum over its blocks: a raw or RLE block decodes to its
 * Block_Size, a compressed one to at most Block_Maximum_Size), and `window`, the largest buffer fzstd allocates for
 * a frame without a content size (its Window_Size). Throws on bytes that are not zstd frames.
 */
export function decodedBound(data: Uint8Array): { output: number; window: number } {
  let output = 0;
  let largestWindow = 0;
  let at = 0;
  while (at < data.length) {
    if (at + 8 > data.length) throw new Error('zstd: truncated frame');
    const magic = readLittleEndian(data, at, 4);
    if (magic >>> 4 === 0x184d2a5) {
      // §3.1.2 Skippable frame: 4-byte magic, 4-byte size, that many bytes; decodes to nothing.
      at += 8 + readLittleEndian(data, at + 4, 4);
      continue;
    }
    if (magic !== 0xfd2fb528) throw new Error('zstd: not a zstd frame');
    const descriptor = data[at + 4];
    const sizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const hasChecksum = (descriptor >> 2) & 1;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
    let cursor = at + 5;
    let window = 0;
    if (!singleSegment) {
      const exponent = data[cursor] >> 3;
      const base = 2 ** (10 + exponent);
      window = base + (base / 8) * (data[cursor] & 7);
      cursor += 1;
    }
    cursor += dictionaryBytes;
    const sizeBytes = [singleSegment, 2, 4, 8][sizeFlag];
    if (cursor + sizeBytes > data.length) throw new Error('zstd: truncated frame header');
    const contentSize =
      sizeBytes > 0 ? readLittleEndian(data, cursor, sizeBytes) + (sizeBytes === 2 ? 256 : 0) : undefined;
    cursor += sizeBytes;
    let blocks = 0;
    for (let last = false; !last; ) {
      if (cursor + 3 > data.length) throw new Error('zstd: truncated block');
      const header = readLittleEndian(data, cursor, 3);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      blocks += type === 2 ? blockMaximum : size;
      cursor += 3 + (type === 1 ? 1 : size);
    }
    output += contentSize ?? blocks;
    if (contentSize === undefined) largestWindow = Math.max(largestWindow, window);
    at = cursor + (hasChecksum ? 4 : 0);
  }
  return { output, window: largestWindow };
}

export default class Zstd {
  static codecId = 'zstd';
  readonly kind = 'bytes_to_bytes';
  /** The most a chunk may decode to: its own size, and one block's worth for the rounding of the block bound. */
  readonly limit: number;

  constructor(limit = defaultLimit) {
    this.limit = limit;
  }

  static fromConfig(_configuration?: unknown, meta?: ChunkMeta): Zstd {
    const bytes = chunkBytes(meta);
    return new Zstd(bytes === undefined ? defaultLimit : bytes + blockMaximum);
  }

  encode(): never {
    throw new Error('zstd: the viewer reads images only; it does not encode chunks');
  }

  decode(data: Uint8Array, out?: Uint8Array): Uint8Array {
    const { output, window } = decodedBound(data);
    if (output > this.limit)
      throw new Error(`zstd: the chunk would decode to up to ${output} bytes, more than its ${this.limit}`);
    if (window > defaultLimit)
      throw new Error(`zstd: the chunk asks for a window of ${window} bytes, more than ${defaultLimit}`);
    return decompress(data, out);
  }
}
