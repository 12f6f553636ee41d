// Property-based tests of the image readers, which read untrusted bytes (a submitter's files, a partner's objects):
// whatever the bytes, a reader gives a result or its own ImageReadError, never another exception, within a bounded
// time and reading a bounded number of bytes. Inputs: random bytes behind each format's signature, real files
// with bytes flipped or cut short, hostile headers (giant sizes, IFD loops, huge IFD counts, deep or entity-laden
// OME-XML) and arbitrary JSON as OME-Zarr metadata.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { bytesSource, type ByteSource } from '../../images/byte-source.ts';
import { ImageReadError } from '../../images/errors.ts';
import { fitMetadata } from '../../images/fit-metadata.ts';
import { parseOmeXml } from '../../images/ome-xml.ts';
import { readOmeZarr } from '../../images/ome-zarr.ts';
import { readImageMetadata } from '../../images/read-image.ts';
import { compileFragment, schemas } from '../../schemas/index.ts';

/** What a reader returns always fits the manifest's `image` (else `manifest create` would write an invalid one). */
const fitsManifest = compileFragment(`${schemas.manifest.$id}#/$defs/ImageMetadata`);

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 150 };
const timeout = process.env.FUZZ_RUNS ? 30 * runs.numRuns : 60_000;
const fixtures = new URL('../images/fixtures/', import.meta.url).pathname;

/** Real files to mutate. */
const real = {
  omeTiffBig: readFileSync(join(fixtures, 'ome-tiff', 'grey.ome.tiff')),
  omeTiffLittle: readFileSync(join(fixtures, 'ome-tiff', 'viv-loaders-fixtures__multi-channel.ome.tif')),
  png: readFileSync(join(fixtures, 'png', 'microaneurysms.png')),
};

/** Most bytes a reader may read of one file (the default budget of byte-source.ts, plus the detection read). */
const maxBytesRead = 64 * 1024 * 1024 + 1024;
/** Longest a reader may take on one input, in milliseconds (generous: the test machine is shared). */
const maxMillis = 5000;

/** Runs the reader over `bytes` and checks the property: a result or an ImageReadError, bounded. */
async function expectBounded(name: string, bytes: Uint8Array): Promise<void> {
  let bytesRead = 0;
  const inner = bytesSource(name, bytes);
  const counted: ByteSource = {
    ...inner,
    read: async (offset, length) => {
      const out = await inner.read(offset, length);
      bytesRead += out.length;
      return out;
    },
  };
  const started = performance.now();
  try {
    const metadata = await readImageMetadata(counted);
    if (metadata) expect(fitsManifest(metadata), JSON.stringify(fitsManifest.errors)).toBe(true);
  } catch (error) {
    if (!(error instanceof ImageReadError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
  expect(performance.now() - started).toBeLessThan(maxMillis);
  expect(bytesRead).toBeLessThanOrEqual(maxBytesRead);
}

const signatures: Array<[string, number[]]> = [
  ['a.tif', [0x49, 0x49, 0x2a, 0x00]],
  ['a.tif', [0x4d, 0x4d, 0x00, 0x2a]],
  ['a.btf', [0x49, 0x49, 0x2b, 0x00, 0x08, 0x00, 0x00, 0x00]],
  ['a.btf', [0x4d, 0x4d, 0x00, 0x2b, 0x00, 0x08, 0x00, 0x00]],
  ['a.png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['a.jpg', [0xff, 0xd8, 0xff]],
  ['a.czi', [...'ZISRAWFILE'].map((c) => c.charCodeAt(0))],
  ['a.mrc', []],
];

describe('image readers on hostile bytes', () => {
  it.prop([fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 4096 })], runs)(
    'random bytes behind a signature',
    async ([name, signature], tail) => {
      const bytes = new Uint8Array(signature.length + tail.length);
      bytes.set(signature);
      bytes.set(tail, signature.length);
      await expectBounded(name, bytes);
    },
    timeout,
  );

  it.prop(
    [
      fc.constantFrom(...(Object.keys(real) as Array<keyof typeof real>)),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
      fc.option(fc.nat(), { nil: undefined }),
    ],
    runs,
  )(
    'real files with bytes flipped and cut short',
    async (which, flips, cut) => {
      const bytes = Uint8Array.from(real[which]);
      // Flips land in the first 2 KiB, where the headers are, more often than not.
      for (const [at, value] of flips) bytes[at % Math.min(bytes.length, at % 2 ? 2048 : bytes.length)] = value;
      const name = which === 'png' ? 'a.png' : 'a.ome.tif';
      await expectBounded(name, cut === undefined ? bytes : bytes.subarray(0, cut % bytes.length));
    },
    timeout,
  );

  it.prop([fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.boolean()], runs)(
    'TIFF IFDs with any entry count, pointing anywhere, looping back',
    async (entries, tag, loop) => {
      // Classic TIFF: header, one IFD at 8 with `entries` entries of which only the first is present, then the
      // offset of the next IFD: 8 again (a loop) or past the end.
      const bytes = new Uint8Array(64);
      const view = new DataView(bytes.buffer);
      bytes.set([0x49, 0x49, 0x2a, 0x00]);
      view.setUint32(4, 8, true);
      view.setUint16(8, entries, true);
      view.setUint16(10, tag, true);
      view.setUint16(12, 4, true);
      view.setUint32(14, 0xffffffff, true);
      view.setUint32(18, 0xfffffff0, true);
      view.setUint32(22, loop ? 8 : 0x7fffffff, true);
      await expectBounded('a.tif', bytes);
    },
    timeout,
  );

  it.prop([fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })], runs)(
    'BigTIFF with 64-bit counts and offsets',
    async (count, offset) => {
      const bytes = new Uint8Array(64);
      const view = new DataView(bytes.buffer);
      bytes.set([0x49, 0x49, 0x2b, 0x00, 0x08, 0x00, 0x00, 0x00]);
      view.setBigUint64(8, 16n, true);
      view.setBigUint64(16, count, true);
      view.setUint16(24, 270, true);
      view.setUint16(26, 2, true);
      view.setBigUint64(28, count, true);
      view.setBigUint64(36, offset, true);
      await expectBounded('a.btf', bytes);
    },
    timeout,
  );

  it.prop([fc.array(fc.integer(), { minLength: 56, maxLength: 56 }), fc.boolean()], runs)(
    'MRC headers with any words, giant sizes included',
    async (words, mapWord) => {
      const bytes = new Uint8Array(1024);
      const view = new DataView(bytes.buffer);
      words.forEach((word, i) => view.setInt32(i * 4, word, true));
      if (mapWord) bytes.set([0x4d, 0x41, 0x50, 0x20], 208);
      await expectBounded('a.mrc', bytes);
    },
    timeout,
  );

  it.prop([fc.jsonValue({ maxDepth: 8 }), fc.jsonValue({ maxDepth: 4 })], runs)(
    'OME-Zarr metadata of any JSON shape',
    async (attributes, array) => {
      const files: Record<string, string> = {
        'zarr.json': JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: attributes } }),
        '.zattrs': JSON.stringify(attributes),
        '0/zarr.json': JSON.stringify(array),
        '0/.zarray': JSON.stringify(array),
      };
      try {
        const { metadata, problems } = await readOmeZarr(async (path) => files[path]);
        expect(fitsManifest(metadata), JSON.stringify(fitsManifest.errors)).toBe(true);
        for (const problem of problems) expect(problem.fix.length).toBeGreaterThan(0);
      } catch (error) {
        if (!(error instanceof ImageReadError)) throw error;
      }
    },
    timeout,
  );
});

describe('well-formed metadata beyond the manifest schema', () => {
  it('an OME-Zarr of empty plates, empty pyramids and long names still fits the manifest', async () => {
    const documents: unknown[] = [
      { plate: { wells: [], rows: [], columns: [] } },
      { multiscales: [{ axes: [{ name: 'x'.repeat(100), type: 'space', unit: 'u'.repeat(100) }], datasets: [] }] },
      {
        multiscales: [
          {
            axes: [{ name: 'y', type: 'space' }],
            datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [-1] }] }],
          },
        ],
      },
    ];
    for (const zattrs of documents) {
      const files: Record<string, string> = { '.zattrs': JSON.stringify(zattrs), '0/.zarray': '{"shape":[-5]}' };
      const { metadata } = await readOmeZarr(async (path) => files[path]);
      expect(fitsManifest(metadata), JSON.stringify([zattrs, fitsManifest.errors])).toBe(true);
    }
  });

  it('an OME-XML of 5000 channels with long names is capped and cut to fit', () => {
    const channel = (i: number) => `<Channel ID="Channel:0:${i}" Name="${'n'.repeat(300)}" Color="-1"/>`;
    const xml =
      '<OME><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" ' +
      `SizeZ="1" SizeC="5000" SizeT="1">${Array.from({ length: 5000 }, (_, i) => channel(i)).join('')}` +
      '</Pixels></Image></OME>';
    const metadata = fitMetadata(parseOmeXml(xml, 'OME-XML'));
    expect(fitsManifest(metadata), JSON.stringify(fitsManifest.errors)).toBe(true);
    expect(metadata.channels?.length).toBe(1024);
  });
});

describe('hostile OME-XML', () => {
  const pixels =
    '<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="4" SizeY="4" SizeZ="1" ' +
    'SizeC="1" SizeT="1"><Channel ID="Channel:0:0" Name="&lol9;"/></Pixels></Image>';

  it('does not expand entities (billion laughs)', () => {
    let doctype = '<!DOCTYPE OME [<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) doctype += `<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`;
    doctype += ']>';
    const started = performance.now();
    const xml = `<?xml version="1.0"?>${doctype}<OME>${pixels}</OME>`;
    // The reference stays as written: nothing is expanded, and the rest of the document is still read.
    const metadata = parseOmeXml(xml, 'OME-XML');
    expect(metadata.channels?.[0]?.name).toBe('&lol9;');
    expect(metadata.axes?.find((a) => a.name === 'x')?.size).toBe(4);
    expect(performance.now() - started).toBeLessThan(maxMillis);
  });

  it('refuses elements nested deeper than it reads', () => {
    const depth = 200_000;
    const xml = `<OME>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}${pixels}</OME>`;
    expect(() => parseOmeXml(xml, 'OME-XML')).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
  });

  it.prop([fc.string({ maxLength: 2000 }), fc.constantFrom('', '<OME>', '<ome:OME xmlns:ome="x">')], runs)(
    'any text after an OME root gives metadata or the reader’s own error',
    (text, prefix) => {
      try {
        parseOmeXml(prefix + text, 'OME-XML');
      } catch (error) {
        if (!(error instanceof ImageReadError)) throw error;
      }
    },
  );
});
