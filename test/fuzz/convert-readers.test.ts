// Property-based tests of the converter's readers of untrusted image bytes (images/convert/): TIFF headers and
// directories (geotiff), MRC headers, OME-XML. Whatever the bytes, opening gives a source or the converter's own
// error (ImageConvertError with a code and the file's name), and reading a small corner of a source that opened
// gives pixels or that error: never another exception, never a read past the plane limit.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ImageConvertError } from '../../images/convert/errors.ts';
import { parseOmePixels } from '../../images/convert/ome-xml.ts';
import { openPixelSource } from '../../images/convert/open-source.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 100 };
let work: string;
let counter = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'fuzz-convert-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Opens the bytes as `name` and reads the top-left corner of the first plane. */
async function openAndRead(bytes: Uint8Array, name: string): Promise<'read' | ImageConvertError> {
  const path = join(work, `${counter++}-${name}`);
  await writeFile(path, bytes);
  try {
    const source = await openPixelSource(path, name);
    try {
      const { y, x } = source.shape;
      const pixels = await source.readRegion({ t: 0, c: 0, z: 0 }, 0, Math.min(2, y), 0, Math.min(2, x));
      expect(pixels.length).toBe(Math.min(2, y) * Math.min(2, x));
      return 'read';
    } finally {
      await source.close();
    }
  } catch (error) {
    if (error instanceof ImageConvertError) {
      expect(error.message.startsWith(`${name}: `)).toBe(true);
      return error;
    }
    throw error;
  } finally {
    await rm(path, { force: true });
  }
}

/** A little-endian TIFF: header, then one IFD of the given entries (tag, type, count, value). */
function tiff(entries: Array<[number, number, number, number]>, tail: Uint8Array): Uint8Array {
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16LE(entries.length, 0);
  entries.forEach(([tag, type, count, value], i) => {
    ifd.writeUInt16LE(tag, 2 + i * 12);
    ifd.writeUInt16LE(type, 4 + i * 12);
    ifd.writeUInt32LE(count, 6 + i * 12);
    ifd.writeUInt32LE(value >>> 0, 10 + i * 12);
  });
  const header = Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]);
  return Buffer.concat([header, ifd, tail]);
}

describe('converter readers, fuzzed', () => {
  it.prop([fc.uint8Array({ maxLength: 4096 })], runs)('any bytes named .tif, .png or .mrc', async (bytes) => {
    for (const name of ['a.tif', 'a.png', 'a.mrc']) await openAndRead(bytes, name);
  });

  const tag = fc.constantFrom(256, 257, 258, 259, 262, 273, 277, 278, 279, 284, 322, 323, 324, 325, 339, 270);
  it.prop(
    [
      fc.array(fc.tuple(tag, fc.constantFrom(1, 2, 3, 4, 16), fc.integer({ min: 0, max: 70000 }), fc.nat()), {
        maxLength: 14,
      }),
      fc.uint8Array({ maxLength: 2048 }),
    ],
    runs,
  )('TIFF directories with any tags, counts and values', async (entries, tail) => {
    await openAndRead(tiff(entries, tail), 'b.tif');
  });

  it.prop(
    [
      fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 24, maxLength: 24 }),
      fc.uint8Array({ maxLength: 4096 }),
    ],
    runs,
  )('MRC headers with any sizes, modes and axis orders', async (words, tail) => {
    const header = Buffer.alloc(1024);
    words.forEach((word, i) => header.writeInt32LE(word, i * 4));
    // Often a plausible mode and axis order, so that reading is reached.
    if (words[0] % 2 === 0) header.writeInt32LE([0, 1, 2, 6][Math.abs(words[1]) % 4], 12);
    if (words[2] % 2 === 0) [1, 2, 3].forEach((axis, i) => header.writeInt32LE(axis, 64 + i * 4));
    header.write('MAP ', 208, 'latin1');
    await openAndRead(Buffer.concat([header, tail]), 'c.mrc');
  });

  it.prop([fc.string({ maxLength: 2000 })], runs)('any text as OME-XML', (text) => {
    const xml = `<OME><Image><Pixels ${text}/></Image></OME>`;
    for (const input of [text, xml]) {
      const pixels = parseOmePixels(input);
      if (pixels)
        for (const size of Object.values(pixels.sizes)) expect(Number.isInteger(size) && size >= 1).toBe(true);
    }
  });
});
