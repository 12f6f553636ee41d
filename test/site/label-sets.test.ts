// The labels as OAI-PMH sets (OAI-PMH 2.0 §4.6 ListSets, §4.5 ListRecords with `set`): the demo catalogue's
// reference dataset (archive/curation/BIC0000013.yaml) is in `label:reference`, under the parent set `label`; with
// usage counts, the highly used entries (docs/curation.md, "Highly used") are in `label:highly-used`.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogueProvider } from '../../harvester/provider.ts';
import { parseArgs } from '../../harvester/provider-verbs.ts';
import { labelSetsOf } from '../../site/lib/labels.ts';
import type { UsageState } from '../../storage/usage/usage-state.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;
const today = () => '2026-12-07';

const providerOf = (catalog: string) =>
  createCatalogueProvider(catalog, {
    today,
    secret: 'test',
    extraSets: (records) => labelSetsOf(catalog, records, today()),
  });

/** The identifiers of a ListIdentifiers answer, and the setSpecs of each header. */
function headersOf(xml: string): { identifier: string; sets: string[] }[] {
  return [...xml.matchAll(/<header[^>]*>(.*?)<\/header>/gs)].map(([, header]) => ({
    identifier: /<identifier>([^<]+)<\/identifier>/.exec(header)![1],
    sets: [...header.matchAll(/<setSpec>([^<]+)<\/setSpec>/g)].map((m) => m[1]),
  }));
}

describe('label sets of the OAI-PMH provider', () => {
  const provider = providerOf(archive);

  it('lists the label sets', async () => {
    const xml = await provider.respond(parseArgs('verb=ListSets'), 'http://127.0.0.1/oai');
    expect(xml).toContain('<set><setSpec>label</setSpec><setName>By label</setName></set>');
    expect(xml).toContain('<setSpec>label:reference</setSpec><setName>Reference datasets (curated)</setName>');
    // The demo catalogue has no usage counts, so no entry is highly used and the set is not listed.
    expect(xml).not.toContain('label:highly-used');
  });

  it('serves the reference datasets in their set', async () => {
    const xml = await provider.respond(
      parseArgs('verb=ListIdentifiers&metadataPrefix=oai_dc&set=label:reference'),
      'http://127.0.0.1/oai',
    );
    const ids = [...xml.matchAll(/<identifier>([^<]+)<\/identifier>/g)].map((m) => m[1]);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/BIC0000013$/);
  });
});

describe('the highly used set of the OAI-PMH provider', () => {
  let catalog: string;
  let provider: ReturnType<typeof providerOf>;

  beforeAll(async () => {
    catalog = await mkdtemp(join(tmpdir(), 'label-sets-'));
    await cp(archive, catalog, { recursive: true });
    await mkdir(join(catalog, 'usage'));
    // Unique requests over the 24 months up to 2026-12: BIC0000021 50, the only one at or above the minimum of 10;
    // BIC0000013 9, below it; the withdrawn BIC0000229 200, but only live entries are judged.
    const state: UsageState = {
      version: 1,
      mirror: 'c',
      updated: '2026-11-01T00:00:00.000Z',
      logs: {},
      counts: {
        BIC0000021: { '2026-10': { regular: [60, 40, 60, 40], machine: [10, 10, 10, 10] } },
        BIC0000013: { '2026-10': { regular: [9, 9, 9, 9] } },
        BIC0000229: { '2026-10': { regular: [200, 200, 200, 200] } },
      },
    };
    await writeFile(join(catalog, 'usage', 'c.json'), JSON.stringify(state));
    provider = providerOf(catalog);
  });
  afterAll(() => rm(catalog, { recursive: true, force: true }));

  it('lists the set, under the parent set `label`', async () => {
    const xml = await provider.respond(parseArgs('verb=ListSets'), 'http://127.0.0.1/oai');
    expect(xml).toContain('<set><setSpec>label</setSpec><setName>By label</setName></set>');
    expect(xml).toContain('<setSpec>label:highly-used</setSpec><setName>Highly used datasets</setName>');
    expect(xml).toContain('<setSpec>label:reference</setSpec><setName>Reference datasets (curated)</setName>');
  });

  it('serves the highly used entries in the set, each header naming it', async () => {
    const xml = await provider.respond(
      parseArgs('verb=ListIdentifiers&metadataPrefix=oai_dc&set=label:highly-used'),
      'http://127.0.0.1/oai',
    );
    const headers = headersOf(xml);
    expect(headers.map((h) => h.identifier.slice(-10))).toEqual(['BIC0000021']);
    expect(headers[0].sets).toContain('label:highly-used');
  });

  it('serves the parent set `label` with both labels', async () => {
    const xml = await provider.respond(
      parseArgs('verb=ListIdentifiers&metadataPrefix=oai_dc&set=label'),
      'http://127.0.0.1/oai',
    );
    expect(
      headersOf(xml)
        .map((h) => h.identifier.slice(-10))
        .sort(),
    ).toEqual(['BIC0000013', 'BIC0000021']);
  });
});
