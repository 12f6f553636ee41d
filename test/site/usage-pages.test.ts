// The usage statistics on the built site: the counts of two mirrors' logs (test/storage/usage/fixtures/held-out,
// worked out in counter.test.ts) summed on the entry page, the /stats/usage/ page and the Dataset Report; the
// embargoed entry (BIC0000037, counted in the logs) appears nowhere.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/lib/build-site.ts';
import { ingestLogs } from '../../storage/usage/ingest.ts';
import { folderLogSource } from '../../storage/usage/log-sources.ts';
import { stateFileOf } from '../../storage/usage/usage-state.ts';

const heldOut = join(import.meta.dirname, '../storage/usage/fixtures/held-out');
const archive = join(import.meta.dirname, '../../archive');
let work: string;
let site: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'usage-site-'));
  const catalog = join(work, 'catalogue');
  await cp(join(import.meta.dirname, 'fixtures/valid/catalogue'), catalog, { recursive: true });
  for (const [mirror, logs] of [
    ['a', join(heldOut, 'mirror-a')],
    ['a', join(heldOut, 'mirror-a-late')],
    ['b', join(heldOut, 'mirror-b')],
  ])
    await ingestLogs({ mirror, stateFile: stateFileOf(catalog, mirror), source: folderLogSource(logs) });
  // A reference dataset, a withdrawn entry whose label history is kept, and a third mirror's counts that make
  // BIC0000021 the most downloaded of its imaging method (50 unique requests in 2026-10).
  await mkdir(join(catalog, 'curation'), { recursive: true });
  await cp(join(archive, 'curation', 'criteria.yaml'), join(catalog, 'curation', 'criteria.yaml'));
  await cp(join(archive, 'curation', 'BIC0000013.yaml'), join(catalog, 'curation', 'BIC0000013.yaml'));
  await writeFile(
    join(catalog, 'curation', 'BIC0000045.yaml'),
    `accession: BIC0000045
history:
  - date: 2025-03-01
    label: reference
    version: 1
    reviewers: [{ name: Josiah Carberry, orcid: 0000-0002-1825-0097 }]
    criteria: [interpretable, documented, general-interest, open-licence]
  - date: 2026-05-01
    label: revoked
    version: 1
    reviewers: [{ name: Josiah Carberry, orcid: 0000-0002-1825-0097 }]
    criteria: []
    note: The entry was withdrawn.
`,
  );
  await writeFile(
    join(catalog, 'usage', 'c.json'),
    JSON.stringify({
      version: 1,
      mirror: 'c',
      updated: '2026-11-01T00:00:00.000Z',
      logs: {},
      counts: { BIC0000021: { '2026-10': { regular: [60, 50, 60, 50] } } },
    }),
  );
  site = join(work, 'site');
  await buildSite({ catalog, out: site, baseUrl: 'https://data.example.org/bic/', today: '2026-12-07' });
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const page = (path: string) => readFile(join(site, path), 'utf8');

describe('usage statistics on the site', () => {
  it('shows views and downloads of the last 12 months on the entry page', async () => {
    // BIC0000013, 2026-11: unique investigations 2 + 1 (mirror a regular, b regular) + 1 (b machine) = 4 views;
    // unique requests 2 + 1 + 1 = 4 downloads.
    const html = (await page('entries/BIC0000013/index.html')).replace(/\s+/g, ' ');
    expect(html).toContain('<h2 id="usage">Usage</h2>');
    expect(html).toMatch(/<strong>4<\/strong> views and <strong>4<\/strong> downloads in all; 4 views and 4 downloads/);
    expect(html).toContain('2026-11: 4 views, 4 downloads');
    const without = await page('entries/BIC0000045/index.html');
    expect(without).not.toContain('id="usage"');
  });

  it('publishes the Dataset Report of the published entries only', async () => {
    const report = JSON.parse(await page('stats/usage/report.json'));
    expect(report['report-header']['report-id']).toBe('DSR');
    const ids = report['report-datasets'].map(
      (d: { 'dataset-id': { value: string }[] }) => d['dataset-id'].at(-1)!.value,
    );
    expect(ids).toEqual(['BIC0000013', 'BIC0000021']);
    expect(
      report['report-datasets'][1].performance.map((p: { period: { 'begin-date': string } }) => p.period['begin-date']),
    ).toEqual(['2026-10-01', '2026-11-01', '2026-12-01']);
    expect(report['report-datasets'][0].uri).toBe('https://data.example.org/bic/entries/BIC0000013/');
    expect(await page('stats/usage/index.html')).toContain('report.json');
    const all = [await page('stats/usage/index.html'), JSON.stringify(report)].join('\n');
    expect(all).not.toContain('BIC0000037');
  });
});

describe('labels on the site', () => {
  it('shows the reference dataset badge with its reviewers, criteria and history', async () => {
    const html = (await page('entries/BIC0000013/index.html')).replace(/\s+/g, ' ');
    expect(html).toContain('<span class="badge badge-reference">Reference dataset</span>');
    expect(html).toContain('href="https://orcid.org/0000-0002-1825-0097"');
    expect(html).toContain('Meets: Interpretable outside the lab that made it; Documented acquisition and analysis');
    expect(html).not.toContain('badge-highly-used');
  });

  it('keeps the label history of a withdrawn entry, without the badge', async () => {
    const html = (await page('entries/BIC0000045/index.html')).replace(/\s+/g, ' ');
    expect(html).toContain('Curation history');
    expect(html).toContain('2026-05-01: label removed');
    expect(html).not.toContain('badge-reference');
  });

  it('labels the most downloaded entry of its imaging method "Highly used"', async () => {
    const html = await page('entries/BIC0000021/index.html');
    expect(html).toContain('<span class="badge badge-highly-used">Highly used</span>');
  });

  it('publishes the reference datasets feed, newest event first', async () => {
    const xml = await page('reference/feed.xml');
    const updated = [...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    expect(updated).toEqual(['2026-11-20T00:00:00Z', '2026-05-01T00:00:00Z', '2025-03-01T00:00:00Z']);
  });

  it('offers the labels as a search filter', async () => {
    const html = await page('search/index.html');
    const facets = /data-facets="([^"]*)"/.exec(html)![1].split(' ');
    expect(facets).toContain('label');
    const totals = JSON.parse(/data-totals="([^"]*)"/.exec(html)![1].replaceAll('&quot;', '"'));
    expect(totals.label).toEqual({ 'Reference dataset': 1, 'Highly used': 1 });
  });
});
