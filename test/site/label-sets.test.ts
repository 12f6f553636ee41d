// The labels as OAI-PMH sets (OAI-PMH 2.0 §4.6 ListSets, §4.5 ListRecords with `set`): the demo catalogue's
// reference dataset (archive/curation/BIC0000013.yaml) is in `label:reference`, under the parent set `label`.
import { describe, expect, it } from 'vitest';
import { createCatalogueProvider } from '../../harvester/provider.ts';
import { parseArgs } from '../../harvester/provider-verbs.ts';
import { labelSetsOf } from '../../site/lib/labels.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;
const today = () => '2026-12-07';

describe('label sets of the OAI-PMH provider', () => {
  const provider = createCatalogueProvider(archive, {
    today,
    secret: 'test',
    extraSets: (records) => labelSetsOf(archive, records, today()),
  });

  it('lists the label sets', async () => {
    const xml = await provider.respond(parseArgs('verb=ListSets'), 'http://127.0.0.1/oai');
    expect(xml).toContain('<set><setSpec>label</setSpec><setName>By label</setName></set>');
    expect(xml).toContain('<setSpec>label:reference</setSpec><setName>Reference datasets (curated)</setName>');
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
