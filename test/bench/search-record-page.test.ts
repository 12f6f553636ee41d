// The pages that bench/search-engine.bench.ts gives the Pagefind CLI (bench/search-record-page.ts) must index into
// the same fragments as the custom records that the build gives Pagefind's Node API: the same words, meta and
// filters for every page, values with commas, quotes and markup characters included. And the CLI's shards by
// accession range must cover the ranges that hold accessions, each once.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { CustomRecord } from 'pagefind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessionRangeGlobs } from '../../bench/search-engine.bench.ts';
import { renderSearchRecordPage } from '../../bench/search-record-page.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { isListed, toPublished, type PublishedRecord } from '../../site/lib/published.ts';
import { toIndexedRecord, writeShard } from '../../site/lib/search-index.ts';

const fixture = join(import.meta.dirname, '../site/fixtures/valid/catalogue');
const pagefindBin = join(import.meta.dirname, '../../node_modules/.bin/pagefind');
const info = { name: 'Pages', baseUrl: 'https://data.example.org/' };
let work: string;
let records: CustomRecord[];

/** A record whose values need escaping in HTML and hold the separators of Pagefind's attribute syntax. */
const awkward: CustomRecord = {
  url: '/entries/BIC9999994/',
  content: 'BIC9999994\nTitle with <script>alert(1)</script> & "quotes", \'apostrophes\'\nline: two, three',
  language: 'en',
  meta: { title: 'A, B & <C> "D"', accession: 'BIC9999994', organism: 'Homo sapiens, Mus musculus' },
  filters: { organism: ['Homo sapiens', 'Mus musculus, C57BL/6'], method: ['a:b [c]'] },
  sort: { accession: 'BIC9999994' },
};

/** Every fragment of a bundle, by URL, as Pagefind stores it (gzip; a signature, then JSON). */
async function fragmentsOf(bundle: string): Promise<Map<string, unknown>> {
  const fragments = new Map<string, unknown>();
  for (const name of await readdir(join(bundle, 'fragment'))) {
    const json = gunzipSync(await readFile(join(bundle, 'fragment', name)))
      .subarray('pagefind_dcd'.length)
      .toString('utf8');
    const fragment = JSON.parse(json) as { url: string };
    fragments.set(fragment.url, fragment);
  }
  return fragments;
}

/** Indexes `records` both ways in `folder`: the Node API's fragments and the CLI's over the rendered pages. */
async function indexBothWays(folder: string, records: CustomRecord[]) {
  await writeShard(join(folder, 'api'), { folder: 'pagefind', records });
  for (const record of records) {
    const page = join(folder, 'site', record.url);
    await mkdir(page, { recursive: true });
    await writeFile(join(page, 'index.html'), renderSearchRecordPage(record));
  }
  const run = spawnSync(
    pagefindBin,
    ['--site', join(folder, 'site'), '--glob', 'entries/*/index.html', '--output-subdir', 'pagefind'],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`pagefind failed: ${run.stderr}`);
  return {
    api: await fragmentsOf(join(folder, 'api/pagefind')),
    cli: await fragmentsOf(join(folder, 'site/pagefind')),
  };
}

let published: PublishedRecord[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'search-record-page-test-'));
  published = (await loadPublishedCatalogue(fixture, { today: '2025-01-01' })).records.map(toPublished);
  records = [...published.filter(isListed).map((record) => toIndexedRecord(record, info)), awkward];
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pages for the Pagefind CLI', () => {
  it('index into the same fragments as the custom records', async () => {
    const { api, cli } = await indexBothWays(join(work, 'catalogue'), records);
    expect(api.size).toBe(records.length);
    expect([...cli.keys()].sort()).toEqual([...api.keys()].sort());
    for (const [url, fragment] of api) expect(cli.get(url), url).toEqual(fragment);
    expect(cli.get(awkward.url)).toMatchObject({ meta: awkward.meta, filters: awkward.filters });
  }, 60_000);

  // Any printable text, markup included. Not control characters, which HTML cannot hold (the page drops them). Meta
  // and filter values have their white space collapsed and trimmed, and no text that reads as a character reference
  // ('&lt;' typed as such): Pagefind 1.5.2 collapses the first in attribute values and decodes the second once more
  // (docs/search-engine.md).
  it('index any printable text as the custom records do', async () => {
    // Graphemes, with markup and Pagefind's attribute separators drawn often.
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
      fc.constantFrom('<', '>', '&', '"', "'", ',', ':', '[', ']', '<b>', '</p>', '&amp;', '&lt;x', '\n', ' '),
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join(''));
    const value = text
      .map((t) => t.replace(/\s+/gu, ' ').trim())
      .filter((t) => t.length > 0 && !/&(#\d+|#x[\da-f]+|\w+);/i.test(t));
    const record = fc.record({
      content: text,
      title: value,
      organisms: fc.array(value, { minLength: 1, maxLength: 3 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 5 }), async (drawn) => {
        const custom: CustomRecord[] = drawn.map((r, i) => ({
          url: `/entries/BIC${String(i).padStart(7, '0')}/`,
          content: `entry${i}\n${r.content}`,
          language: 'en',
          meta: { title: r.title },
          filters: { organism: [...new Set(r.organisms)] },
          sort: { accession: String(i) },
        }));
        const { api, cli } = await indexBothWays(join(work, `random-${run++}`), custom);
        for (const [url, fragment] of api) expect(cli.get(url), url).toEqual(fragment);
      }),
      { numRuns: 15 },
    );
  }, 60_000);
});

describe('the indexed record', () => {
  it("is the search record with the extra filters and meta added (the labels')", () => {
    const record = published.find(isListed)!;
    const extra = { filters: { label: ['Reference dataset'] }, meta: { labels: 'Reference dataset' } };
    const indexed = toIndexedRecord(record, info, { extra: () => extra });
    expect(indexed.filters).toMatchObject({ ...toIndexedRecord(record, info).filters, ...extra.filters });
    expect(indexed.meta).toMatchObject({ ...toIndexedRecord(record, info).meta, ...extra.meta });
  });
});

describe('shards by accession range', () => {
  it('gives one glob per range of serials that holds an accession, in order', () => {
    const accessions = ['BIC0000013', 'BIC0019990', 'BIC0020004', 'BIC0100009'];
    expect(accessionRangeGlobs(accessions, 2000)).toEqual([
      'entries/{BIC000,BIC001}*/index.html',
      'entries/BIC002*/index.html',
      'entries/BIC010*/index.html',
    ]);
    expect(accessionRangeGlobs(accessions, 25_000)).toEqual(['entries/{BIC000,BIC001,BIC002,BIC010}*/index.html']);
    expect(() => accessionRangeGlobs(accessions, 2500)).toThrow(/multiple of 1,000/);
  });
});
