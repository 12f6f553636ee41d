// The pieces of the PageTab converter on their own: reading sections, and each value it derives with its note.
import { describe, expect, it } from 'vitest';
import { readSection, valueOf, valuesOf, type Section } from '../../catalog/pagetab/sections.ts';
import {
  localId,
  methodFromLabel,
  methodFromTerm,
  organismFromName,
  organismFromSection,
  spdxLicence,
  stripDoi,
} from '../../catalog/pagetab/terms.ts';

const section = (attributes: Record<string, string>): Section =>
  readSection({ type: 'x', attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })) })!;

describe('readSection', () => {
  it('flattens subsection and link tables and skips items of the wrong shape', () => {
    const read = readSection({
      type: 'Study',
      subsections: [[{ type: 'Author' }, null], { type: 'Funding' }, 7],
      links: [[{ url: 'https://a.example' }, { url: 3 }], { url: 'https://b.example' }],
    })!;
    expect(read.subsections.map((s) => s.type)).toEqual(['Author', 'Funding']);
    expect(read.links.map((l) => l.url)).toEqual(['https://a.example', 'https://b.example']);
  });

  it('reads attribute names case-insensitively and skips blank values', () => {
    const s = readSection({
      type: 'x',
      attributes: [
        { name: 'title', value: ' ' },
        { name: 'TITLE', value: ' A ' },
        { name: 'Keywords', value: 'k1' },
        { name: 'keywords', value: 'k2' },
        { name: 'Year', value: 2024 },
      ],
    })!;
    expect(valueOf(s.attributes, 'Title')).toBe('A');
    expect(valuesOf(s.attributes, 'Keywords')).toEqual(['k1', 'k2']);
    expect(valueOf(s.attributes, 'Year')).toBe('2024');
  });
});

describe('derived values', () => {
  it('makes local ids that match entry.schema.json LocalId and are unique', () => {
    const taken = new Set<string>();
    expect(localId('Biosample 1', 'biosample', taken)).toBe('biosample-1');
    expect(localId('Biosample 1', 'biosample', taken)).toBe('biosample-1-2');
    expect(localId('42', 'biosample', taken)).toBe('biosample-42');
  });

  it('gives an FBbi id to a known method label and says so; an unknown label keeps no id', () => {
    const notes: string[] = [];
    expect(methodFromLabel('confocal microscopy', notes)).toEqual({
      id: 'FBbi:00000251',
      label: 'confocal microscopy',
    });
    expect(methodFromLabel('telepathy', notes)).toEqual({ label: 'telepathy' });
    expect(notes).toHaveLength(2);
    expect(methodFromTerm(section({ 'Ontology Term ID': 'http://purl.obolibrary.org/obo/FBbi_00000251' }), [])).toEqual(
      { id: 'FBbi:00000251', label: 'confocal microscopy' },
    );
  });

  it('looks a taxon id up by scientific name, and rewrites other spellings of a given id', () => {
    const notes: string[] = [];
    expect(organismFromName('Mus musculus (mouse)', notes)).toEqual({
      scientificName: 'Mus musculus',
      commonName: 'mouse',
      taxonId: 'NCBITaxon:10090',
    });
    expect(
      organismFromSection(section({ 'Scientific name': 'Danio rerio', 'NCBI taxon ID': 'NCBI:txid7955' }), notes),
    ).toEqual({ scientificName: 'Danio rerio', taxonId: 'NCBITaxon:7955' });
    expect(notes).toContain("The taxon id 'NCBI:txid7955' was written as NCBITaxon:7955.");
  });

  it('writes Creative Commons licences as SPDX ids and keeps any other text', () => {
    const notes: string[] = [];
    const licence = (value: string) => spdxLicence(section({ License: value }).attributes[0], notes);
    expect(licence('CC BY 4.0')).toBe('CC-BY-4.0');
    expect(licence('cc0')).toBe('CC0-1.0');
    expect(licence('All rights reserved')).toBe('All rights reserved');
    expect(spdxLicence(undefined, notes)).toBeUndefined();
    expect(notes).toEqual([
      "The licence 'CC BY 4.0' was written as the SPDX id CC-BY-4.0.",
      "The licence 'cc0' was written as the SPDX id CC0-1.0.",
    ]);
  });

  it('strips resolver prefixes from DOIs', () => {
    for (const doi of ['https://doi.org/10.1/x', 'http://dx.doi.org/10.1/x', 'doi: 10.1/x', '10.1/x']) {
      expect(stripDoi(doi)).toBe('10.1/x');
    }
  });
});
