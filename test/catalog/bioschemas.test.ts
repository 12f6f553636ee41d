// The schema.org JSON-LD of each entry against the Bioschemas Dataset profile 1.0-RELEASE
// (https://bioschemas.org/profiles/Dataset/1.0-RELEASE): the conformance statement, the minimum properties, the
// recommended ones the catalogue holds, and the ontology terms as DefinedTerms with their IRIs.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toDatasetView, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { bioschemasDatasetProfile, toJsonLd } from '../../catalog/exports/json-ld.ts';
import { studyTerms } from '../../catalog/exports/study-terms.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';

const catalogue = join(import.meta.dirname, '../site/fixtures/valid/catalogue');
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
/** Bioschemas Dataset 1.0-RELEASE, "Minimum" marginality (dct:conformsTo checked on its own). */
const minimum = ['@context', '@type', '@id', 'description', 'identifier', 'keywords', 'license', 'name', 'url'];
/** "Recommended" properties that every native entry has the data for. */
const recommended = [
  'creator',
  'datePublished',
  'includedInDataCatalog',
  'isAccessibleForFree',
  'measurementTechnique',
  'publisher',
  'version',
];

let entries: CatalogueRecord[];
const jsonLdOf = (record: CatalogueRecord) => {
  const terms = studyTerms(record);
  return toJsonLd(toDatasetView(record, info), info, [], terms.methods, 100, terms.taxa);
};

beforeAll(async () => {
  const { records } = await loadPublishedCatalogue(catalogue, { today: '2025-01-01' });
  entries = records.filter((r) => r.kind === 'entry' && r.status === 'live');
}, 60_000);

describe('Bioschemas Dataset profile', () => {
  it('declares conformance with the full Dublin Core IRI and the versioned profile URL', () => {
    for (const record of entries)
      expect(jsonLdOf(record)['http://purl.org/dc/terms/conformsTo']).toEqual({
        '@id': bioschemasDatasetProfile,
        '@type': 'CreativeWork',
      });
  });

  it('carries the minimum properties and the recommended ones the entry has the data for', () => {
    expect(entries.length).toBeGreaterThan(10);
    for (const record of entries) {
      const jsonLd = jsonLdOf(record);
      for (const property of [...minimum, ...recommended])
        expect(jsonLd[property], `${record.summary.accession} ${property}`).toBeDefined();
    }
  });

  it('gives each FBbi method and NCBITaxon organism as a DefinedTerm with its OBO IRI', () => {
    for (const record of entries) {
      const jsonLd = jsonLdOf(record);
      const methods = jsonLd.measurementTechnique as Record<string, string>[];
      const taxa = jsonLd.about as Record<string, string>[];
      const terms = studyTerms(record);
      expect(methods.length, record.summary.accession).toBe(terms.methods.length);
      expect(taxa.length, record.summary.accession).toBe(terms.taxa.length);
      for (const term of methods) {
        expect(term['@type']).toBe('DefinedTerm');
        expect(term['@id']).toMatch(/^http:\/\/purl\.obolibrary\.org\/obo\/FBbi_\d{8}$/);
        expect(term['@id']).toBe(`http://purl.obolibrary.org/obo/${term.termCode.replace(':', '_')}`);
        expect(term.inDefinedTermSet).toBe('http://purl.obolibrary.org/obo/fbbi.owl');
        expect(term.name.length).toBeGreaterThan(1);
      }
      for (const term of taxa) {
        expect(term['@type']).toBe('DefinedTerm');
        expect(term['@id']).toMatch(/^http:\/\/purl\.obolibrary\.org\/obo\/NCBITaxon_\d+$/);
        expect(term['@id']).toBe(`http://purl.obolibrary.org/obo/${term.termCode.replace(':', '_')}`);
        expect(term.inDefinedTermSet).toBe('http://purl.obolibrary.org/obo/ncbitaxon.owl');
      }
    }
  });

  it('keeps a method without an FBbi id as its label rather than invent an IRI', () => {
    const record = structuredClone(entries[0]);
    if (record.kind !== 'entry') throw new Error('an entry was expected');
    record.data.components[0].imagingMethod = { id: 'not-a-curie', label: 'home-made microscopy' };
    for (const acquisition of record.data.acquisitions) acquisition.imagingMethod = { id: '', label: '' };
    const jsonLd = jsonLdOf(record);
    expect(jsonLd.measurementTechnique).toContain('home-made microscopy');
  });
});
