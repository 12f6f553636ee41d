// The PageTab converter's mapping of BioImage Archive links to EMPIAR, EMDB, PDB and IDR into typed
// cross-references, by the link's Type or by the archive's page; other links stay links.
import { describe, expect, it } from 'vitest';
import { toRelatedFromLink } from '../../catalog/pagetab/annotations.ts';
import { convertPageTab } from '../../catalog/pagetab/convert.ts';

const link = (url: string, type?: string, description?: string) => ({
  url,
  attributes: [
    ...(type ? [{ name: 'Type', value: type, reference: false, valqual: [] }] : []),
    ...(description ? [{ name: 'Description', value: description, reference: false, valqual: [] }] : []),
  ],
});

describe('toRelatedFromLink', () => {
  it.each([
    [link('EMD-1234', 'EMDB'), 'emdb:EMD-1234'],
    [link('EMPIAR-10326', 'EMPIAR'), 'empiar:10326'],
    [link('6xyz', 'PDB'), 'pdb:6xyz'],
    [link('idr0038', 'IDR'), 'idr:0038'],
    [link('https://www.ebi.ac.uk/empiar/EMPIAR-10326/'), 'empiar:10326'],
    [link('https://www.ebi.ac.uk/emdb/EMD-1234'), 'emdb:EMD-1234'],
    [link('https://www.rcsb.org/structure/6XYZ'), 'pdb:6xyz'],
    [link('https://idr.openmicroscopy.org/webclient/?show=project-idr0038'), 'idr:0038'],
  ])('%o is %s', (pagetabLink, curie) => {
    const notes: string[] = [];
    expect(toRelatedFromLink(pagetabLink, notes)).toEqual({ id: curie, relation: 'References' });
    expect(notes[0]).toMatch(/check the relation/);
  });

  it.each([
    link('https://github.com/guiwitz/napari-convpaint'),
    link('10.17632/8gcncg6zkt.3', 'doi'),
    link('report.pdf', 'PDF'),
  ])('%o stays a link', (pagetabLink) => {
    expect(toRelatedFromLink(pagetabLink, [])).toBeUndefined();
  });
});

describe('convertPageTab', () => {
  it('puts archive links under study.related and keeps the others as links', () => {
    const study = {
      accno: 'S-BIADTEST',
      section: {
        type: 'Study',
        attributes: [{ name: 'Title', value: 'A study with a deposited map' }],
        links: [link('EMD-1234', 'EMDB', 'The map'), link('https://github.com/example/code', undefined, 'Code')],
        subsections: [],
      },
    };
    const { entry } = convertPageTab(study);
    expect(entry.study?.related).toEqual([{ id: 'emdb:EMD-1234', relation: 'References', description: 'The map' }]);
    expect(entry.study?.links).toEqual([{ url: 'https://github.com/example/code', description: 'Code' }]);
  });
});
