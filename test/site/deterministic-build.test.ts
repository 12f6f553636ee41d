// The same catalogue gives the same bytes: two builds of one catalogue are compared file by file, and the search
// bundle's filter files (which Pagefind writes in hash-map order) are put in a stable order by content.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from 'cbor2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue } from '../storage/helpers.ts';
import { buildSite } from '../../site/lib/build-site.ts';
import { makeBundleDeterministic, type BundleFile } from '../../site/lib/pagefind-determinism.ts';

let work: string;

async function digestTree(root: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const visit = async (folder: string) => {
    for (const dirent of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, dirent.name);
      if (dirent.isDirectory()) await visit(path);
      else
        digests.set(
          relative(root, path),
          createHash('sha256')
            .update(await readFile(path))
            .digest('hex'),
        );
    }
  };
  await visit(root);
  return digests;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'deterministic-'));
  const generated = await catalogue('generate', '--entries', '150', '--out', join(work, 'catalogue'));
  expect(generated.code).toBe(0);
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('two builds of the same catalogue', () => {
  it('give byte-identical trees, the search bundle included', async () => {
    const trees = [];
    for (const name of ['first', 'second']) {
      await buildSite({ catalog: join(work, 'catalogue'), out: join(work, name), today: '2026-01-01' });
      trees.push(await digestTree(join(work, name)));
    }
    expect(trees[0].size).toBeGreaterThan(150);
    expect([...trees[0].keys()].filter((path) => path.includes('.pf_filter')).length).toBeGreaterThan(3);
    expect([...trees[1].entries()].sort()).toEqual([...trees[0].entries()].sort());
  }, 240_000);
});

describe('makeBundleDeterministic', () => {
  const pack = (value: unknown) => gzipSync(Buffer.concat([Buffer.from('pagefind_dcd'), encode(value)]));
  const unpack = (content: Uint8Array) => decode(gunzipSync(content).subarray(12));

  /** A bundle as Pagefind writes it, with the filter values in the order given. */
  function bundle(values: [string, number[]][]): BundleFile[] {
    const filter = pack(['organism', values]);
    const meta = pack(['1.5.2', [], [], [['organism', 'en_1234567']], [], ['organism']]);
    return [
      { path: 'filter/en_1234567.pf_filter', content: filter },
      { path: 'pagefind.en_0123456789.pf_meta', content: meta },
      {
        path: 'pagefind-entry.json',
        content: Buffer.from('{"version":"1.5.2","languages":{"en":{"hash":"en_0123456789"}}}'),
      },
      { path: 'fragment/en_a.pf_fragment', content: Buffer.from('fragment') },
    ];
  }

  it('gives the same files whatever order Pagefind wrote the values in, and keeps the references whole', () => {
    const one = makeBundleDeterministic(
      bundle([
        ['Mus musculus', [3, 1]],
        ['Danio rerio', [0, 2]],
      ]),
    );
    const two = makeBundleDeterministic(
      bundle([
        ['Danio rerio', [2, 0]],
        ['Mus musculus', [1, 3]],
      ]),
    );
    const sorted = (files: BundleFile[]) => [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(sorted(one).map((f) => [f.path, Buffer.from(f.content).toString('hex')])).toEqual(
      sorted(two).map((f) => [f.path, Buffer.from(f.content).toString('hex')]),
    );
    const filter = one.find((f) => f.path.endsWith('.pf_filter'))!;
    expect(unpack(filter.content)).toEqual([
      'organism',
      [
        ['Danio rerio', [0, 2]],
        ['Mus musculus', [1, 3]],
      ],
    ]);
    const meta = one.find((f) => f.path.endsWith('.pf_meta'))!;
    const filterHash = filter.path.slice('filter/'.length, -'.pf_filter'.length);
    expect((unpack(meta.content) as unknown[])[3]).toEqual([['organism', filterHash]]);
    const entry = JSON.parse(Buffer.from(one.find((f) => f.path === 'pagefind-entry.json')!.content).toString());
    expect(`pagefind.${entry.languages.en.hash}.pf_meta`).toBe(meta.path);
    expect(one.find((f) => f.path === 'fragment/en_a.pf_fragment')!.content.toString()).toBe('fragment');
  });
});
