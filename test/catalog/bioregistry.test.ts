// The Bioregistry records copied into catalog/checks/bioregistry-subset.json give each prefix a pattern, a page and
// an example; compact identifiers are checked against them, with the identifier meant offered for a slip.
import { fc, it as fuzz } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  identifierSchemes,
  nearestPrefix,
  parseCompactIdentifier,
} from '../../catalog/checks/bioregistry.ts';
import { relatedIdentifiersOf, schemaOrgProperty } from '../../catalog/exports/related-identifiers.ts';
import type { Entry } from '../../schemas/index.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 300 };

describe('bioregistry-subset.json', () => {
  it('has a pattern, a page and an example for every prefix the entries may use', () => {
    expect([...identifierSchemes.keys()].sort()).toEqual(
      ['biostudies', 'doi', 'emdb', 'empiar', 'ensembl', 'idr', 'pdb', 'pubmed', 'uniprot'].sort(),
    );
  });

  for (const scheme of identifierSchemes.values()) {
    it(`${scheme.prefix}: its own example matches its pattern and its page has a place for the id`, () => {
      expect(scheme.pattern.test(scheme.example), `${scheme.example} against ${scheme.pattern.source}`).toBe(true);
      expect(scheme.uriFormat).toMatch(/^https?:\/\/[^$]+\$1/);
    });
  }
});

describe('parseCompactIdentifier', () => {
  it.each([
    ['emdb:EMD-1234', 'https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234'],
    ['emdb:EMD-50000', 'https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-50000'],
    ['empiar:10326', 'https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326'],
    ['pdb:6xyz', 'https://www.wwpdb.org/pdb?id=6xyz'],
    ['uniprot:P12345', 'http://purl.uniprot.org/uniprot/P12345'],
    ['biostudies:S-BIAD609', 'https://www.ebi.ac.uk/biostudies/studies/S-BIAD609'],
    ['idr:0038', 'https://idr.openmicroscopy.org/search/?query=Name:idr0038'],
    ['doi:10.1038/s41592-021-01166-8', 'https://doi.org/10.1038/s41592-021-01166-8'],
    ['pubmed:34021280', 'https://www.ncbi.nlm.nih.gov/pubmed/34021280'],
  ])('%s is the page %s', (curie, url) => {
    const verdict = parseCompactIdentifier(curie);
    expect(verdict.ok && verdict.url).toBe(url);
  });

  it.each([
    ['empair:10326', 'prefix', 'empiar:10326'],
    ['EMDB:EMD-1234', 'prefix', 'emdb:EMD-1234'],
    ['PMID:34021280', 'prefix', 'pubmed:34021280'],
    ['uniprotkb:P12345', 'prefix', 'uniprot:P12345'],
    ['zenodo:123', 'prefix', undefined],
    ['emdb:1234', 'localId', 'emdb:EMD-1234'],
    ['emdb:emd-1234', 'localId', 'emdb:EMD-1234'],
    ['idr:idr0038', 'localId', 'idr:0038'],
    ['biostudies:s-biad609', 'localId', 'biostudies:S-BIAD609'],
    ['pdb:6xyzz', 'localId', undefined],
    ['EMD-1234', 'shape', 'emdb:EMD-1234'],
    ['S-BIAD609', 'shape', 'biostudies:S-BIAD609'],
    ['0038', 'shape', undefined],
  ])('%s is refused for its %s, with %s offered', (curie, reason, suggestion) => {
    const verdict = parseCompactIdentifier(curie);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toBe(reason);
    expect(verdict.suggestion).toBe(suggestion);
  });

  it('keeps the slash of a DOI and escapes what would end the path', () => {
    const verdict = parseCompactIdentifier('doi:10.1000/a#b?c');
    expect(verdict.ok && verdict.url).toBe('https://doi.org/10.1000/a%23b%3Fc');
  });

  fuzz.prop([fc.string({ maxLength: 200 })], runs)('any text gives a verdict quickly (no pattern backtracks)', (s) => {
    for (const curie of [s, `ensembl:${s}`, `uniprot:${s}`, `emdb:${s}`]) {
      const started = performance.now();
      const verdict = parseCompactIdentifier(curie);
      expect(performance.now() - started).toBeLessThan(50);
      if (verdict.ok) expect(verdict.url).toMatch(/^https?:\/\/\S+$/);
    }
  });
});

describe('nearestPrefix and editDistance', () => {
  it('finds a prefix within two edits, and none further away', () => {
    expect(editDistance('empair', 'empiar')).toBe(2);
    expect(nearestPrefix('pbd')).toBe('pdb');
    expect(nearestPrefix('ensemble')).toBe('ensembl');
    expect(nearestPrefix('flickr')).toBeUndefined();
  });
});

describe('relatedIdentifiersOf', () => {
  const entry = {
    study: {
      related: [
        { id: 'emdb:EMD-1234', relation: 'IsSupplementTo', description: 'Map' },
        { id: 'doi:10.1038/x', relation: 'IsDescribedBy' },
        { id: 'pubmed:34021280', relation: 'References' },
        { id: 'emdb:bad', relation: 'References' },
      ],
    },
  } as unknown as Entry;

  it('types each valid reference for DataCite (DOI and PMID as themselves, others by page)', () => {
    expect(relatedIdentifiersOf(entry)).toEqual([
      {
        identifier: 'emdb:EMD-1234',
        prefix: 'emdb',
        localId: 'EMD-1234',
        archive: 'Electron Microscopy Data Bank',
        url: 'https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234',
        relationType: 'IsSupplementTo',
        description: 'Map',
        datacite: {
          type: 'URL',
          value: 'https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234',
          resourceTypeGeneral: 'Dataset',
        },
      },
      expect.objectContaining({ datacite: { type: 'DOI', value: '10.1038/x' } }),
      expect.objectContaining({ datacite: { type: 'PMID', value: '34021280', resourceTypeGeneral: 'JournalArticle' } }),
    ]);
  });

  it('maps relations to schema.org properties', () => {
    expect(schemaOrgProperty('IsDerivedFrom')).toBe('isBasedOn');
    expect(schemaOrgProperty('IsPartOf')).toBe('isPartOf');
    expect(schemaOrgProperty('IsIdenticalTo')).toBe('sameAs');
    expect(schemaOrgProperty('IsSupplementTo')).toBe('mentions');
  });
});
