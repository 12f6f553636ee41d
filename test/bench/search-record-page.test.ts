// The pages that bench/search-engine.bench.ts gives the Pagefind CLI (bench/search-record-page.ts) must index into
// the same fragments as the custom records that the build gives Pagefind's Node API: the same words, meta and
// filters for every page, values with commas, quotes and markup characters included. And the CLI's shards by
// accession range must cover the ranges that hold accessions, each once.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CustomRecord } from 'pagefind';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessionRangeGlobs } from '../../bench/search-engine.bench.ts';
import { renderSearchRecordPage } from '../../bench/search-record-page.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { isListed, toPublished } from '../../site/lib/published.ts';
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

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'search-record-page-test-'));
  const published = (await loadPublishedCatalogue(fixture, { today: '2025-01-01' })).records.map(toPublished);
  records = [...published.filter(isListed).map((record) => toIndexedRecord(record, info)), awkward];
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('pages for the Pagefind CLI', () => {
  it('index into the same fragments as the custom records', async () => {
    await writeShard(join(work, 'api'), 0, records);
    for (const record of records) {
      const folder = join(work, 'site', record.url);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'index.html'), renderSearchRecordPage(record));
    }
    const run = spawnSync(
      pagefindBin,
      ['--site', join(work, 'site'), '--glob', 'entries/*/index.html', '--output-subdir', 'pagefind'],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const [api, cli] = [await fragmentsOf(join(work, 'api/pagefind')), await fragmentsOf(join(work, 'site/pagefind'))];
    expect(api.size).toBe(records.length);
    expect([...cli.keys()].sort()).toEqual([...api.keys()].sort());
    for (const [url, fragment] of api) expect(cli.get(url), url).toEqual(fragment);
    expect(cli.get(awkward.url)).toMatchObject({ meta: awkward.meta, filters: awkward.filters });
  }, 60_000);
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
