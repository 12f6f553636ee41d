// The viewer's zstd codec (site/src/scripts/zstd-codec.ts) reads what the writers of Zarr chunks write: numcodecs'
// Zstd, which `catalogue convert` and zarr-python write with (frames that give their size), and libzstd's
// streaming compressor through node:zlib set not to give it (RFC 8878 §3.1.1.1.1: Frame_Content_Size_Flag 0 and
// no Single_Segment_Flag); on random bytes and on runs.
import { randomBytes } from 'node:crypto';
import { constants, zstdCompressSync } from 'node:zlib';
import Reference from 'numcodecs/zstd';
import { fc, it as fuzz } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import Zstd, { decodedBound } from '../../site/src/scripts/zstd-codec.ts';

const samples: [string, Uint8Array][] = [
  ['random bytes', new Uint8Array(randomBytes(200_000))],
  ['runs of a uint16 image', new Uint8Array(new Uint16Array(512 * 512).map((_, i) => (i >> 9) * 7).buffer)],
];

/** RFC 8878 §3.1.1.1.1: does the frame header say the frame's decompressed size? */
function givesContentSize(frame: Uint8Array): boolean {
  const descriptor = frame[4];
  return (descriptor & 0xc0) !== 0 || (descriptor & 0x20) !== 0;
}

describe('the viewer zstd codec', () => {
  for (const [name, bytes] of samples) {
    it(`decodes numcodecs' frames of ${name}`, async () => {
      const frame = await Reference.fromConfig({ id: 'zstd', level: 3 }).encode(bytes);
      expect(givesContentSize(frame)).toBe(true);
      expect(Buffer.from(Zstd.fromConfig().decode(frame)).equals(bytes)).toBe(true);
    });

    it(`decodes frames without their content size, of ${name}`, () => {
      const frame = new Uint8Array(zstdCompressSync(bytes, { params: { [constants.ZSTD_c_contentSizeFlag]: 0 } }));
      expect(givesContentSize(frame)).toBe(false);
      expect(Buffer.from(Zstd.fromConfig().decode(frame)).equals(bytes)).toBe(true);
    });
  }

  it('takes the chunk size from the metadata of either zarrita, and bounds a chunk by it', () => {
    expect(Zstd.fromConfig({}, { dataType: 'uint16', shape: [1, 64, 64] }).limit).toBe(8192 + 128 * 1024);
    expect(Zstd.fromConfig({}, { data_type: 'float64', shape: [10] }).limit).toBe(80 + 128 * 1024);
    expect(Zstd.fromConfig({}, { data_type: 'string', shape: [10] }).limit).toBe(64 * 1024 * 1024);
  });

  // A mirror's chunk of a few kilobytes that decodes to 64 MiB, with its size in the header and without: refused
  // from its headers, before fzstd allocates the size it declares.
  for (const [name, params] of [
    ['with its content size', {}],
    ['without', { [constants.ZSTD_c_contentSizeFlag]: 0 }],
  ] as const) {
    it(`refuses a chunk that would decode to more than the chunk, ${name}`, () => {
      const bomb = new Uint8Array(zstdCompressSync(Buffer.alloc(64 << 20), { params }));
      expect(bomb.length).toBeLessThan(64 * 1024);
      expect(decodedBound(bomb).output).toBeGreaterThanOrEqual(64 << 20);
      const chunkOf1MiB = Zstd.fromConfig({}, { dataType: 'uint8', shape: [1024, 1024] });
      expect(() => chunkOf1MiB.decode(bomb)).toThrow(/would decode to up to \d+ bytes, more than its/);
      const chunkOf64MiB = Zstd.fromConfig({}, { dataType: 'uint8', shape: [64, 1024, 1024] });
      expect(chunkOf64MiB.decode(bomb).length).toBe(64 << 20);
    });
  }

  it('refuses a frame header asking for a window of 2 GiB', () => {
    // RFC 8878 §3.1.1.1.2: Window_Descriptor exponent 21 (2^31), no content size, then one empty raw last block.
    const frame = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x01, 0x00, 0x00]);
    expect(decodedBound(frame).window).toBe(2 ** 31);
    expect(() => Zstd.fromConfig().decode(frame)).toThrow(/window of 2147483648 bytes/);
  });

  fuzz.prop([
    fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 4000 }), fc.array(fc.nat(), { maxLength: 6 }), fc.nat())
        .map(([bytes, flips, cut]) => {
          const frame = new Uint8Array(zstdCompressSync(bytes));
          for (const at of flips) frame[at % frame.length] ^= 1 << (at % 8);
          return frame.subarray(0, frame.length - (cut % 4));
        }),
    ),
  ])('any bytes from a mirror: a chunk within its bound or an Error, never a larger allocation', (bytes) => {
    const codec = Zstd.fromConfig({}, { dataType: 'uint8', shape: [4096] });
    try {
      expect(codec.decode(bytes).length).toBeLessThanOrEqual(codec.limit);
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
    }
  });

  it('refuses to encode: the viewer only reads', () => {
    expect(() => Zstd.fromConfig().encode()).toThrow(/reads images only/);
  });
});
