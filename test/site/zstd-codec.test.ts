// The viewer's zstd codec (site/src/scripts/zstd-codec.ts) reads what the writers of Zarr chunks write: numcodecs'
// Zstd, which `catalogue convert` and zarr-python write with (frames that give their size), and libzstd's
// streaming compressor through node:zlib set not to give it (RFC 8878 §3.1.1.1.1: Frame_Content_Size_Flag 0 and
// no Single_Segment_Flag); on random bytes and on runs.
import { randomBytes } from 'node:crypto';
import { constants, zstdCompressSync } from 'node:zlib';
import Reference from 'numcodecs/zstd';
import { describe, expect, it } from 'vitest';
import Zstd from '../../site/src/scripts/zstd-codec.ts';

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

  it('refuses to encode: the viewer only reads', () => {
    expect(() => Zstd.fromConfig().encode()).toThrow(/reads images only/);
  });
});
