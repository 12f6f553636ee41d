// Only http(s) URLs are published (catalog/publishable-url.ts): a harvested record whose URLs use another scheme
// (javascript:, data:, vbscript:) fails the catalogue's checks with URL_NOT_HTTP and is quarantined by the harvest,
// never written to harvested/; the crosswalks drop such URLs where they are optional.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { toDatasetView } from '../../catalog/exports/dataset-view.ts';
import { toJsonLd } from '../../catalog/exports/json-ld.ts';
import { isPublishableUrl } from '../../catalog/publishable-url.ts';
import { harvestedFindings } from '../../catalog/validate.ts';
import { doiUrl, httpUrl } from '../../harvester/crosswalks/common.ts';
import { harvest } from '../../harvester/harvest.ts';
import { fixture, startReplayServer, type ReplayServer } from './helpers/servers.ts';

const servers: ReplayServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const tempCatalog = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'harvest-urls-'));
  dirs.push(dir);
  return dir;
};

const record = (origin: Record<string, unknown>, study: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  id: 'peer.abcdefghijklmnop',
  origin: {
    partner: 'peer',
    identifier: 'oai:peer:1',
    datestamp: '2025-01-01',
    metadataFormat: 'oai_dc',
    harvestedAt: '2026-01-01T00:00:00Z',
    ...origin,
  },
  study: { title: 'A study', ...study },
});

describe('isPublishableUrl', () => {
  it.each([
    ['https://zenodo.org/records/1', true],
    ['http://example.org/a?b=c#d', true],
    ['HTTPS://EXAMPLE.ORG/', true],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox(1)', false],
    ['java\tscript:alert(1)', false],
    ['\u0001javascript:alert(1)', false],
    [' https://example.org/', false],
    ['https://bank.example@evil.example/', false],
    ['https://user:pw@example.org/', false],
    ['https://', false],
    ['ftp://example.org/', false],
    ['//example.org/', false],
    ['https://example.org/\u202Egnp.exe', false],
    [`https://example.org/${'a'.repeat(3000)}`, false],
    [42, false],
    [undefined, false],
  ])('%j: %s', (value, expected) => expect(isPublishableUrl(value)).toBe(expected));
});

describe('the checks of a harvested record', () => {
  it('refuse a javascript: origin URL (it would become JSON-LD sameAs and a link on the page)', () => {
    const findings = harvestedFindings(record({ url: 'javascript:alert(document.domain)' }));
    expect(findings).toEqual([
      expect.objectContaining({ pointer: '/origin/url', code: 'URL_NOT_HTTP', severity: 'error' }),
    ]);
  });

  it('refuse identifiers written as non-http URLs, and accept DOIs, URNs and http(s) URLs', () => {
    const findings = harvestedFindings(
      record(
        { url: 'https://peer.example.org/records/1' },
        {
          identifiers: [
            '10.5281/zenodo.1',
            'urn:nbn:de:1',
            'https://peer.example.org/1',
            'javascript:alert(1)',
            'data:text/html;base64,PHNjcmlwdD4=',
          ],
        },
      ),
    );
    expect(findings.map((f) => [f.pointer, f.code])).toEqual([
      ['/study/identifiers/3', 'URL_NOT_HTTP'],
      ['/study/identifiers/4', 'URL_NOT_HTTP'],
    ]);
  });

  it('keep a javascript: origin URL of a record stored before them out of JSON-LD', () => {
    const info = { name: 'Catalogue', baseUrl: 'https://catalogue.example.org/' };
    const view = (url: string) =>
      toJsonLd(
        toDatasetView(
          { kind: 'harvested', data: record({ url }), summary: { accession: 'peer.abcdefghijklmnop' } } as never,
          info,
        ),
        info,
      );
    expect(view('javascript:alert(1)')).not.toHaveProperty('sameAs');
    expect(view('https://peer.example.org/1')).toHaveProperty('sameAs', 'https://peer.example.org/1');
  });

  it('make `catalogue check` fail on a harvested file written by hand', async () => {
    const catalog = await tempCatalog();
    await mkdir(join(catalog, 'harvested', 'peer'), { recursive: true });
    await writeFile(
      join(catalog, 'harvested', 'peer', 'peer.abcdefghijklmnop.json'),
      JSON.stringify(record({ url: 'javascript:alert(1)' }), null, 2),
    );
    const check = await checkCatalogue(catalog, { today: '2026-01-01' });
    expect(check.problems.filter((p) => p.severity === 'error').map((p) => [p.pointer, p.code])).toEqual([
      ['/origin/url', 'URL_NOT_HTTP'],
    ]);
  });
});

describe('the crosswalks', () => {
  it('keep only publishable http(s) URLs', () => {
    expect(httpUrl(' https://example.org/a b ')).toBeUndefined();
    expect(httpUrl('javascript:alert(1)//https://example.org/')).toBeUndefined();
    expect(httpUrl(' https://example.org/a ')).toBe('https://example.org/a');
  });

  it('make a DOI URL only of a DOI', () => {
    expect(doiUrl('10.5281/zenodo.10491380')).toBe('https://doi.org/10.5281/zenodo.10491380');
    expect(doiUrl('10.1000/a?b#c')).toBe('https://doi.org/10.1000/a%3Fb%23c');
    expect(doiUrl('javascript:alert(1)')).toBeUndefined();
    expect(doiUrl('not a doi')).toBeUndefined();
  });

  it(
    'a harvest quarantines the records whose identifiers are javascript: ' + 'or data: URLs, and writes the others',
    async () => {
      let page = fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
      const hostile = ['javascript:alert(document.domain)', 'data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;'];
      let n = 0;
      page = page.replace(/<alternateIdentifiers>/g, (match) =>
        n < hostile.length
          ? `${match}<alternateIdentifier alternateIdentifierType="URL">${hostile[n++]}</alternateIdentifier>`
          : match,
      );
      const server = await startReplayServer((q) =>
        q.get('verb') === 'Identify' ? fixture('valid/oai/sickle/Identify.xml') : page,
      );
      servers.push(server);
      const catalog = await tempCatalog();
      const summary = await harvest({
        catalog,
        target: { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' },
        writerMode: 'inline',
      });
      expect(summary.records).toBe(25);
      expect(summary.quarantined).toBe(2);
      expect(summary.problems.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual([
        'URL_NOT_HTTP',
        'URL_NOT_HTTP',
      ]);
      const written = (await readdir(join(catalog, 'harvested', 'zenodo'))).filter((f) => f.endsWith('.json'));
      expect(written).toHaveLength(23);
      for (const file of written)
        expect(await readFile(join(catalog, 'harvested', 'zenodo', file), 'utf8')).not.toMatch(/javascript:|data:text/);
    },
  );
});
