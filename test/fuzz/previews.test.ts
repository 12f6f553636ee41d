// Property-based tests of the plane readers of the previews: TIFF (geotiff), MRC, OME-Zarr (zarrita) and PNG/JPEG
// (sharp) given hostile bytes: arbitrary bytes, and valid files with bytes overwritten (header fields, IFD offsets,
// strip counts, JSON metadata, chunks). Whatever the bytes, a reader gives both pictures or its own PreviewError,
// within a few seconds and without allocating past its bound.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { PreviewError } from '../../images/preview-error.ts';
import { renderPreviews, type PreviewSource } from '../../images/preview.ts';
import { fixtures, writeTestImages } from '../images/test-images.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 60 };
const timeout = 60_000 + (Number(process.env.FUZZ_RUNS) || 0) * 200;

let scratch: string;
let written: string;
const valid: Record<string, Uint8Array> = {};

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'catalogue-fuzz-previews-'));
  written = await writeTestImages();
  valid.tiff = await readFile(join(fixtures, 'ome-tiff/plane.ome.tiff'));
  valid.bigEndianTiff = await readFile(join(fixtures, 'ome-tiff/viv-avivator-data__multi-channel.ome.tif'));
  valid.mrc = await readFile(join(written, 'volume.mrc'));
  valid.png = await readFile(join(fixtures, 'png/microaneurysms.png'));
  for (const file of ['.zattrs', '.zgroup', '0/.zarray', '0/0/0/0/0'])
    valid[`zarr:${file}`] = await readFile(join(written, 'image.ome.zarr', file));
}, 120_000);
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rm(written, { recursive: true, force: true });
});

/** Bytes of a valid file with some runs overwritten (offsets, sizes and tags are where the harm is). */
const mutated = (name: string) =>
  fc
    .array(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 6 })
    .map((edits) => {
      const bytes = Uint8Array.from(valid[name]);
      for (const [at, run] of edits)
        bytes.set(run.slice(0, Math.max(0, bytes.length - (at % bytes.length))), at % bytes.length);
      return bytes;
    });

/** Runs the renderer: a result or a PreviewError, never another error, within the time bound. */
async function outcome(source: PreviewSource): Promise<'drawn' | string> {
  const started = performance.now();
  try {
    await renderPreviews(source);
    return 'drawn';
  } catch (error) {
    if (!(error instanceof PreviewError)) throw error;
    expect(error.message.length).toBeLessThan(2000);
    return error.code;
  } finally {
    expect(performance.now() - started).toBeLessThan(10_000);
  }
}

let counter = 0;
async function asFile(bytes: Uint8Array): Promise<string> {
  const file = join(scratch, `input-${counter++}`);
  await writeFile(file, bytes);
  return file;
}

describe('TIFF pages from hostile bytes', () => {
  it.prop([fc.oneof(mutated('tiff'), mutated('bigEndianTiff'), fc.uint8Array({ maxLength: 4096 }))], runs)(
    'a picture or PREVIEW_*',
    async (bytes) => {
      await outcome({ format: 'OME-TIFF', file: await asFile(bytes) });
    },
    timeout,
  );

  it('a TIFF whose strip says 4 GiB is read within the file, without allocating the 4 GiB', async () => {
    // TIFF 6.0: a little-endian header, then one IFD of 16 x 16 8-bit grey in one strip of 0xFFFFFFF0 bytes.
    const entries: Array<[tag: number, type: number, value: number]> = [
      [256, 3, 16], // ImageWidth
      [257, 3, 16], // ImageLength
      [258, 3, 8], // BitsPerSample
      [259, 3, 1], // Compression: none
      [262, 3, 1], // PhotometricInterpretation: BlackIsZero
      [273, 4, 200], // StripOffsets
      [277, 3, 1], // SamplesPerPixel
      [278, 3, 16], // RowsPerStrip
      [279, 4, 0xfffffff0], // StripByteCounts
    ];
    const bytes = Buffer.alloc(200 + 256, 7);
    bytes.write('II', 0, 'latin1');
    bytes.writeUInt16LE(42, 2);
    bytes.writeUInt32LE(8, 4);
    bytes.writeUInt16LE(entries.length, 8);
    entries.forEach(([tag, type, value], i) => {
      const at = 10 + i * 12;
      bytes.writeUInt16LE(tag, at);
      bytes.writeUInt16LE(type, at + 2);
      bytes.writeUInt32LE(1, at + 4);
      if (type === 3) bytes.writeUInt16LE(value, at + 8);
      else bytes.writeUInt32LE(value, at + 8);
    });
    bytes.writeUInt32LE(0, 10 + entries.length * 12);
    const before = process.memoryUsage().arrayBuffers;
    const result = await outcome({ format: 'TIFF', file: await asFile(bytes) });
    expect(['drawn', 'PREVIEW_UNREADABLE']).toContain(result);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024);
  });
});

describe('MRC sections from hostile bytes', () => {
  it.prop([fc.oneof(mutated('mrc'), fc.uint8Array({ maxLength: 2048 }))], runs)(
    'a picture or PREVIEW_*',
    async (bytes) => {
      await outcome({ format: 'MRC', file: await asFile(bytes) });
    },
    timeout,
  );
});

describe('OME-Zarr metadata and chunks from hostile bytes', () => {
  const hostileJson = fc.oneof(
    fc.json().map((text) => new TextEncoder().encode(text)),
    fc.uint8Array({ maxLength: 512 }),
    mutated('zarr:0/.zarray'),
    mutated('zarr:.zattrs'),
  );
  it.prop([fc.constantFrom('.zattrs', '0/.zarray', '0/0/0/0/0', '.zgroup'), hostileJson], runs)(
    'a picture or PREVIEW_*',
    async (replaced, bytes) => {
      const files = new Map(
        Object.entries(valid)
          .filter(([key]) => key.startsWith('zarr:'))
          .map(([key, value]) => [key.slice(5), value]),
      );
      files.set(replaced, bytes);
      // Chunks other than 0/0/0/0 are absent: zarrita fills them with the fill value.
      await outcome({ format: 'OME-Zarr', zarr: { get: async (path) => files.get(path) } });
    },
    timeout,
  );
});

describe('PNG from hostile bytes', () => {
  it.prop([fc.oneof(mutated('png'), fc.uint8Array({ maxLength: 2048 }))], runs)(
    'a picture or PREVIEW_*',
    async (bytes) => {
      await outcome({ format: 'PNG', file: await asFile(bytes) });
    },
    timeout,
  );
});
