// The parts other jobs wrote, read as untrusted: a partial manifest given to `manifest create --merge` and a
// conversion part given to `convert --merge`. Any bytes give a part or problem lines, and any parts a merged
// manifest or problem lines: never a crash, a prototype change, or a merge that lets through a path unchecked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { mergeConvertParts, originalsDigest, readConvertPart } from '../../storage/convert-shards.ts';
import { compareManifestPaths, listingDigest } from '../../storage/manifest.ts';
import { mergePartialManifests, readPartialManifest } from '../../storage/manifest-shards.ts';

const numRuns = Number(process.env.FUZZ_RUNS ?? 100);
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'fuzz-shard-parts-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const sha = 'a'.repeat(64);
const manifest: Manifest = {
  schemaVersion: 1,
  location: { mirror: 'local', prefix: 'S0001/' },
  files: [{ path: 'images/a.tif', size: 8, sha256: sha, format: 'TIFF', role: 'image' }],
};

const shard = fc.oneof(fc.constantFrom('1/1', '1/2', '2/2', '0/1', '3/2', '99999/99999'), fc.string({ maxLength: 8 }));
const file = fc.record({
  path: fc.oneof(
    { arbitrary: fc.constantFrom('images/a.tif', 'b.txt', 'a/b/c.png'), weight: 3 },
    fc.constantFrom('../x', '__proto__', 'a/./b', '.derived/x'),
    fc.string({ maxLength: 12 }),
  ),
  size: fc.oneof({ arbitrary: fc.nat(), weight: 4 }, fc.integer()),
  sha256: fc.oneof({ arbitrary: fc.constant(sha), weight: 3 }, fc.string({ maxLength: 70 })),
  format: fc.constantFrom('TIFF', 'PNG', 'other', 'TIFF', 'nope'),
  role: fc.constantFrom('image', 'other', 'image', 'x'),
});
const partialManifest = fc
  .record({
    partial: fc.record({ shard, files: fc.integer({ min: -1, max: 5 }), listing: fc.constantFrom(sha, sha, 'x') }),
    schemaVersion: fc.constantFrom(1, 1, 1, 2),
    location: fc.record({ mirror: fc.constantFrom('local', 'x'), prefix: fc.constantFrom('S0001/', 'S0001/', '../') }),
    files: fc.array(file, { maxLength: 4 }),
    // Most parts say the truth of their files, so that the merge itself is reached, not only the reader.
    truthful: fc.constantFrom(true, true, false),
  })
  .map(({ truthful, ...part }) => {
    if (!truthful) return part;
    const paths = part.files.map((f) => f.path).sort(compareManifestPaths);
    return { ...part, partial: { ...part.partial, files: paths.length, listing: listingDigest(paths) } };
  });
const convertPart = fc.record({
  partial: fc.record({
    shard,
    recipe: fc.constantFrom('ome-zarr@1', 'x'),
    originals: fc.oneof(fc.constant(originalsDigest(manifest)), fc.string({ maxLength: 70 })),
  }),
  converted: fc.array(fc.oneof({ arbitrary: fc.constant('images/a.tif'), weight: 3 }, fc.string({ maxLength: 12 })), {
    maxLength: 3,
  }),
  derived: fc.array(
    fc.oneof(
      fc.jsonValue(),
      file.map((f) => ({ ...f, kind: 'ome-zarr', of: 'images/a.tif' })),
    ),
    {
      maxLength: 3,
    },
  ),
});
const bytesOf = (value: unknown) => Buffer.from(JSON.stringify(value));
const anyBytes = (shape: fc.Arbitrary<unknown>) =>
  fc.array(
    fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map(bytesOf), {
      arbitrary: shape.map(bytesOf),
      weight: 6,
    }),
    {
      minLength: 1,
      maxLength: 3,
    },
  );

async function written(contents: Uint8Array[]): Promise<string[]> {
  const folder = await mkdtemp(join(work, 'parts-'));
  return Promise.all(
    contents.map(async (bytes, i) => {
      const path = join(folder, `part-${i + 1}.json`);
      await writeFile(path, bytes);
      return path;
    }),
  );
}

describe('partial manifests', () => {
  it.prop([anyBytes(partialManifest)], { numRuns })(
    'any bytes: a merged manifest or problem lines',
    async (contents) => {
      const reads = await Promise.all((await written(contents)).map((path) => readPartialManifest(path)));
      for (const read of reads) expect(read.part !== undefined || read.problems.length > 0).toBe(true);
      if (reads.every((read) => read.part)) {
        const merged = mergePartialManifests(reads.map((read) => read.part!));
        expect(merged.manifest !== undefined || merged.problems.length > 0).toBe(true);
        for (const f of merged.manifest?.files ?? []) expect(f.path).not.toMatch(/(^|\/)\.\.?(\/|$)/);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

/** Readable parts: valid shards and file entries from a small pool, in any combination, so every merge runs. */
const pool = ['a/b.txt', 'a-c.txt', 'a.txt', 'images/a.tif', 'z/y.png'].map((path) => ({
  path,
  size: 1,
  sha256: sha,
  format: 'other',
  role: 'other',
}));
const readablePartials = fc
  .array(
    fc.record({
      shard: fc.constantFrom('1/1', '1/2', '2/2', '1/3', '2/3', '3/3'),
      files: fc.subarray(pool),
      prefix: fc.constantFrom('S0001/', 'S0002/'),
      whole: fc.subarray(pool),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((parts) =>
    parts.map(({ shard, files, prefix, whole }) => {
      const paths = whole.map((f) => f.path).sort(compareManifestPaths);
      return bytesOf({
        partial: { shard, files: paths.length, listing: listingDigest(paths) },
        schemaVersion: 1,
        location: { mirror: 'local', prefix },
        files,
      });
    }),
  );

describe('merges of readable parts', () => {
  it.prop([readablePartials], { numRuns })(
    'a manifest listing exactly the files every part saw, each once, or problem lines',
    async (contents) => {
      const reads = await Promise.all((await written(contents)).map((path) => readPartialManifest(path)));
      expect(reads.map((read) => read.problems)).toEqual(reads.map(() => []));
      const merged = mergePartialManifests(reads.map((read) => read.part!));
      if (!merged.manifest) {
        expect(merged.problems.length).toBeGreaterThan(0);
        return;
      }
      const listed = merged.manifest.files.map((f) => f.path);
      const saw = reads[0].part!.marker;
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed.length).toBe(saw.files);
      expect(listingDigest(listed)).toBe(saw.listing);
    },
  );
});

describe('conversion parts', () => {
  it.prop([anyBytes(convertPart)], { numRuns })('any bytes: a listed manifest or problem lines', async (contents) => {
    const reads = await Promise.all((await written(contents)).map((path) => readConvertPart(path)));
    for (const read of reads) expect(read.part !== undefined || read.problems.length > 0).toBe(true);
    if (reads.every((read) => read.part)) {
      const merged = mergeConvertParts(
        manifest,
        'manifest.json',
        reads.map((read) => read.part!),
      );
      expect(merged.manifest !== undefined || merged.problems.length > 0).toBe(true);
      for (const item of merged.manifest?.derived ?? []) expect(item.path).not.toMatch(/(^|\/)\.\.?(\/|$)/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
