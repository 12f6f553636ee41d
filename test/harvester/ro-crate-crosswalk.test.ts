// The crosswalk of real RO-Crates (BioImage Archive and IDR, GIDE search profile) into harvested records: every one
// gives a record that passes the catalogue's checks, and the fields land where the catalogue shows them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { harvestedFindings } from '../../catalog/validate.ts';
import { crateToHarvestedRecord } from '../../harvester/ro-crate/crosswalk.ts';
import { readCrate } from '../../harvester/ro-crate/read-crate.ts';
import { harvestedId } from '../../harvester/crosswalks/common.ts';

const folder = new URL('./fixtures/ro-crate/', import.meta.url);
const crateFiles = ['bia', 'idr', 'gide-search'].flatMap((kind) =>
  readdirSync(new URL(`${kind}/`, folder)).map((name) => `${kind}/${name}`),
);
const read = (path: string) => readCrate(readFileSync(new URL(path, folder)));
const origin = (crateUrl: string) => ({ partner: 'bia', crateUrl, harvestedAt: '2026-12-07T05:00:00Z' });

describe('RO-Crate crosswalk on the real crates', () => {
  it.each(crateFiles)('%s gives a record without errors', (path) => {
    const record = crateToHarvestedRecord(read(path), origin(`https://crates.example.org/${path}`));
    const errors = harvestedFindings(record).filter((f) => f.severity === 'error');
    expect(errors).toEqual([]);
    expect(record.study.title.length).toBeGreaterThan(3);
    // idr0043 names the Human Protein Atlas's own licence page, which has no SPDX id.
    if (!path.includes('idr0043')) expect(record.study.license).toMatch(/^CC/);
  });

  it('maps a BioImage Archive crate field by field', () => {
    const url = 'https://crates.example.org/S-BIAD1405-ro-crate-metadata.json';
    const record = crateToHarvestedRecord(read('bia/S-BIAD1405-ro-crate-metadata.json'), origin(url));
    const root = 'https://www.ebi.ac.uk/biostudies/bioimages/studies/S-BIAD1405';
    expect(record.id).toBe(harvestedId('bia', root));
    expect(record.origin).toEqual({
      partner: 'bia',
      identifier: root,
      datestamp: '2026-12-07T05:00:00Z',
      metadataFormat: 'ro-crate',
      harvestedAt: '2026-12-07T05:00:00Z',
      url: root,
      crate: url,
    });
    expect(record.study.title).toBe(
      'Whole-organism imaging of zebrafish development focussing on cadherin expression and tissue diversity',
    );
    expect(record.study.license).toBe('CC-BY-4.0');
    expect(record.study.releaseDate).toBe('2024-10-03');
    expect(record.study.identifiers).toEqual(['S-BIAD1405']);
    expect(record.study.authors).toHaveLength(5);
    expect(record.study.authors![0]).toEqual({
      name: 'Max Brambach',
      orcid: '0000-0001-6194-9568',
      affiliations: ['organisation-1'],
    });
    expect(record.study.affiliations).toEqual([{ id: 'organisation-1', name: 'University of Zurich' }]);
    expect(record.study.links).toContainEqual({
      url: 'https://www.ebi.ac.uk/bioimage-archive/',
      description: 'Publisher: BioImage Archive',
    });
    expect(record.study.links!.filter((l) => l.description === 'Thumbnail')).toHaveLength(1);
    expect(record.biosamples!.flatMap((b) => b.organisms)).toContainEqual({
      scientificName: 'Danio rerio',
      taxonId: 'NCBITaxon:7955',
    });
    expect(record.acquisitions).toEqual([
      { id: 'acquisition-1', imagingMethod: { id: 'FBbi:00000369', label: 'SPIM' } },
    ]);
    expect(record.size).toEqual({ bytes: 459188990883, files: 297 });
  });

  it('maps an IDR crate: PURL taxa, FBbi through LabProtocol, QuantitativeValue sizes', () => {
    const record = crateToHarvestedRecord(read('idr/idr0018-ro-crate-metadata.json'), origin('https://x.org/c.json'));
    expect(record.origin.identifier).toBe('https://idr.openmicroscopy.org/study/idr0018/');
    expect(record.biosamples).toEqual([
      {
        id: 'biosample-1',
        organisms: [{ scientificName: 'Mus musculus', taxonId: 'NCBITaxon:10090' }],
        biologicalEntity: 'tissue',
        description:
          'Histopathology raw images and annotated tiff files of tissues from mice with 10 different single gene ' +
          'knockouts.',
      },
    ]);
    expect(record.acquisitions).toEqual([
      { id: 'acquisition-1', imagingMethod: { id: 'FBbi:00000243', label: 'bright-field microscopy' } },
    ]);
    expect(record.size).toEqual({ bytes: 296868139499, files: 899 });
  });

  it('reads the GIDE search examples: a descriptor about an array of one, a zero-padded taxon id', () => {
    const bia = read('gide-search/S-BIAD2482-ro-crate-metadata.json');
    expect(bia.root['@id']).toBe('https://www.ebi.ac.uk/biostudies/bioimages/studies/S-BIAD2482');
    const ssbd = crateToHarvestedRecord(
      read('gide-search/ssbd-repos-000490-ro-crate-metadata.json'),
      origin('https://x.org/c.json'),
    );
    expect(ssbd.biosamples!.flatMap((b) => b.organisms).map((o) => o.taxonId)).toContain('NCBITaxon:7227');
  });

  it('reads a Person by givenName and familyName, and an affiliation written as text', () => {
    const crate = readCrate(
      JSON.stringify({
        '@graph': [
          { '@id': 'ro-crate-metadata.json', about: { '@id': './' } },
          { '@id': './', '@type': 'Dataset', name: 'A study', author: [{ '@id': '#p' }] },
          { '@id': '#p', '@type': 'Person', givenName: 'Ada', familyName: 'Lovelace', affiliation: 'EMBL' },
        ],
      }),
    );
    const record = crateToHarvestedRecord(crate, origin('https://x.org/ro-crate-metadata.json'));
    expect(record.study.authors).toEqual([{ name: 'Ada Lovelace', affiliations: ['organisation-1'] }]);
    expect(record.study.affiliations).toEqual([{ id: 'organisation-1', name: 'EMBL' }]);
  });

  it('falls back to the default licence when the crate names none SPDX knows', () => {
    const crate = read('idr/idr0043-ro-crate-metadata.json');
    const record = crateToHarvestedRecord(crate, { ...origin('https://x.org/c.json'), defaultLicense: 'CC-BY-4.0' });
    expect(record.study.license).toBe('CC-BY-4.0');
  });

  it('keeps a DOI identifier as the DOI alone, written as a URL, a doi: URI or a PropertyValue reference', () => {
    const withIdentifier = (identifier: unknown, more: Record<string, unknown>[] = []) =>
      crateToHarvestedRecord(
        readCrate(
          JSON.stringify({
            '@graph': [
              { '@id': 'ro-crate-metadata.json', about: { '@id': 'https://x.org/study/1' } },
              { '@id': 'https://x.org/study/1', '@type': 'Dataset', name: 'A study', identifier },
              ...more,
            ],
          }),
        ),
        origin('https://x.org/study/1/ro-crate-metadata.json'),
      ).study.identifiers;
    expect(withIdentifier('https://doi.org/10.80000/BIC-000123')).toEqual(['10.80000/BIC-000123']);
    expect(withIdentifier('doi:10.80000/BIC-000123')).toEqual(['10.80000/BIC-000123']);
    // RO-Crate 1.2 §Root Data Entity identifier, the minimal example's form.
    const propertyValue = {
      '@id': 'https://doi.org/10.4225/59/59672c09f4a4b',
      '@type': 'PropertyValue',
      propertyID: 'https://registry.identifiers.org/registry/doi',
      value: 'doi:10.4225/59/59672c09f4a4b',
      url: 'https://doi.org/10.4225/59/59672c09f4a4b',
    };
    expect(withIdentifier({ '@id': propertyValue['@id'] }, [propertyValue])).toEqual(['10.4225/59/59672c09f4a4b']);
    expect(withIdentifier(['S-BIAD1405', 'https://x.org/other'])).toEqual(['S-BIAD1405', 'https://x.org/other']);
  });

  it('keeps the crate URL as identifier when the root is not a URL, and counts hasPart', () => {
    const crate = readCrate(
      JSON.stringify({
        '@graph': [
          { '@id': 'ro-crate-metadata.json', about: { '@id': './' } },
          { '@id': './', '@type': 'Dataset', name: 'Attached', hasPart: [{ '@id': 'a.tif' }, { '@id': 'b.tif' }] },
        ],
      }),
    );
    const record = crateToHarvestedRecord(crate, origin('https://x.org/a/ro-crate-metadata.json'));
    expect(record.origin.identifier).toBe('https://x.org/a/ro-crate-metadata.json');
    expect(record.size).toEqual({ parts: 2 });
  });
});
