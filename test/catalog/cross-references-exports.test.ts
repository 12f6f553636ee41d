// An entry with a DOI and typed cross-references: DataCite XML names the DOI as its identifier and each resource as
// a relatedIdentifier, valid against the official kernel-4.6 schema (xmllint); schema.org, oai_dc and every
// citation format carry the DOI and the resources.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBibtex } from '../../catalog/exports/bibtex.ts';
import { renderCitationText } from '../../catalog/exports/citation-text.ts';
import { toCslJson } from '../../catalog/exports/csl-json.ts';
import { renderDataciteXml } from '../../catalog/exports/datacite-xml.ts';
import { toDatasetView, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { toJsonLd } from '../../catalog/exports/json-ld.ts';
import { renderRis } from '../../catalog/exports/ris.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { formats } from '../../harvester/provider-formats.ts';
import type { Entry } from '../../schemas/index.ts';

const run = promisify(execFile);
const kernel46 = fileURLToPath(new URL('../../harvester/xsd/datacite/kernel-4.6/metadata.xsd', import.meta.url));
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/' };

const entry = {
  schemaVersion: 1,
  accession: 'BIC0000013',
  doi: '10.80000/BIC0000013',
  version: 1,
  versions: [{ version: 1, date: '2024-01-02', summary: 'first' }],
  study: {
    title: 'Tomograms of mitochondria in HeLa cells',
    description: 'Cryo-electron tomograms of mitochondria in HeLa cells, with the sub-tomogram average deposited.',
    authors: [{ name: 'Ada Lovelace' }],
    license: 'CC-BY-4.0',
    keywords: ['mitochondria'],
    releaseDate: '2024-01-02',
    scales: ['cell'],
    related: [
      { id: 'emdb:EMD-1234', relation: 'IsSupplementTo', description: 'Sub-tomogram average' },
      { id: 'empiar:10326', relation: 'IsDerivedFrom' },
      { id: 'doi:10.1038/s41592-021-01166-8', relation: 'IsDescribedBy' },
      { id: 'pubmed:34021280', relation: 'References' },
      { id: 'idr:0038', relation: 'IsIdenticalTo' },
    ],
  },
} as unknown as Entry;

const record = {
  kind: 'entry',
  data: entry,
  status: 'live',
  summary: { accession: 'BIC0000013', title: entry.study.title, status: 'live', version: 1, origin: null },
} as unknown as CatalogueRecord;
const view = toDatasetView(record, info);
const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => name.endsWith('ier') });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xrefs-exports-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function xmllint(text: string, name: string): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, text);
  await run('xmllint', ['--nonet', '--noout', '--schema', kernel46, file]);
}

describe('DataCite XML (kernel 4.6)', () => {
  const out = renderDataciteXml(view, info);

  it('is valid against the official 4.6 schema (xmllint), and the schema refuses a 4.7-only relation', async () => {
    await xmllint(out, 'with-doi.xml');
    expect(out).toContain('kernel-4.6/metadata.xsd');
    // relationType "Other" came with 4.7: the 4.6 schema is the one in use.
    await expect(
      xmllint(out.replace('relationType="IsDerivedFrom"', 'relationType="Other"'), 'x.xml'),
    ).rejects.toThrow();
  });

  it('names the DOI as identifier, and each cross-reference as a typed relatedIdentifier', () => {
    const resource = xml.parse(out).resource;
    expect(resource.identifier[0]).toEqual({ '#text': '10.80000/BIC0000013', '@_identifierType': 'DOI' });
    const related = resource.relatedIdentifiers.relatedIdentifier.map(
      (r: Record<string, string>) => `${r['@_relationType']} ${r['@_relatedIdentifierType']} ${r['#text']}`,
    );
    expect(related).toEqual([
      'IsSupplementTo URL https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234',
      'IsDerivedFrom URL https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326',
      'IsDescribedBy DOI 10.1038/s41592-021-01166-8',
      'References PMID 34021280',
      'IsIdenticalTo URL https://idr.openmicroscopy.org/search/?query=Name:idr0038',
    ]);
  });

  it('keeps the URL identifier for an entry without a DOI, still valid', async () => {
    const { doi: _, ...withoutDoi } = entry;
    const plain = renderDataciteXml(toDatasetView({ ...record, data: withoutDoi } as CatalogueRecord, info), info);
    expect(xml.parse(plain).resource.identifier[0]['@_identifierType']).toBe('URL');
    await xmllint(plain, 'without-doi.xml');
  });
});

describe('schema.org, oai_dc and citations', () => {
  it('JSON-LD: the DOI leads the identifiers, and each resource is under the property of its relation', () => {
    const dataset = toJsonLd(view, info);
    expect((dataset.identifier as string[])[0]).toBe('https://doi.org/10.80000/BIC0000013');
    expect(dataset.isBasedOn).toEqual([
      {
        '@id': 'https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326',
        url: 'https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326',
        identifier: 'empiar:10326',
      },
    ]);
    expect(dataset.sameAs).toEqual(['https://idr.openmicroscopy.org/search/?query=Name:idr0038']);
    expect(dataset.citation).toEqual([expect.objectContaining({ identifier: 'pubmed:34021280' })]);
  });

  it('oai_dc: the DOI is an identifier and each resource a relation', () => {
    const oaiDc = formats.find((f) => f.prefix === 'oai_dc')!.render(record, info);
    expect(oaiDc).toContain('<dc:identifier>https://doi.org/10.80000/BIC0000013</dc:identifier>');
    expect(oaiDc).toContain('<dc:relation>https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234</dc:relation>');
  });

  it('every citation format carries the DOI', () => {
    expect(renderBibtex(view, info)).toContain('doi = {10.80000/BIC0000013}');
    expect(renderRis(view, info)).toContain('DO  - 10.80000/BIC0000013\r\n');
    expect(toCslJson(view, info).DOI).toBe('10.80000/BIC0000013');
    expect(renderCitationText(view, info)).toMatch(/ https:\/\/doi\.org\/10\.80000\/BIC0000013$/);
  });
});
