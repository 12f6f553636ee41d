// The usage statistics on the built site: the counts of two mirrors' logs (test/storage/usage/fixtures/held-out,
// worked out in counter.test.ts) summed on the entry page, the /stats/usage/ page and the Dataset Report; the
// embargoed entry (BIC0000037, counted in the logs) appears nowhere.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/lib/build-site.ts';
import { ingestLogs } from '../../storage/usage/ingest.ts';
import { folderLogSource } from '../../storage/usage/log-sources.ts';
import { stateFileOf } from '../../storage/usage/usage-state.ts';

const heldOut = join(import.meta.dirname, '../storage/usage/fixtures/held-out');
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
    expect(report['report-datasets'][0].uri).toBe('https://data.example.org/bic/entries/BIC0000013/');
    expect(await page('stats/usage/index.html')).toContain('report.json');
    const all = [await page('stats/usage/index.html'), JSON.stringify(report)].join('\n');
    expect(all).not.toContain('BIC0000037');
  });
});
