// The RO-Crate of each record, held to the GIDE search profile's JSON Schema (every entity against the
// definition of its type, not only the schema's open "any entity" branch), to RO-Crate 1.2's own rules
// (ro-crate-rules.ts, itself checked on real crates and on broken ones) and to its JSON-LD context: every
// property and type is a term of the RO-Crate 1.2 context (a local copy: no network) or of the GIDE terms.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { toDatasetView, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { gideContextTerms, toRoCrate, type CrateFile } from '../../catalog/exports/ro-crate.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { roCrateProblems } from './ro-crate-rules.ts';

const fixtures = join(import.meta.dirname, 'fixtures/ro-crate');
const catalogue = join(import.meta.dirname, '../site/fixtures/valid/catalogue');
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const realCrates = readdirSync(join(fixtures, 'real')).map((name) => ({
  name,
  crate: readJson(join(fixtures, 'real', name)),
}));

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => void;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema(readJson(join(fixtures, 'gide-search-profile-schema.json')), 'gide');
const gide = ajv.getSchema('gide')!;
/** The profile's definition for each type this catalogue writes. */
const definitions: Record<string, ValidateFunction> = Object.fromEntries(
  [
    ['CreativeWork', 'ROCrateMetadataDescriptor'],
    ['Dataset', 'Dataset'],
    ['Person', 'Person'],
    ['Organization', 'Organisation'],
    ['Taxon', 'Taxon'],
    ['BioSample', 'BioSample'],
    ['DefinedTerm', 'DefinedTerm'],
    ['LabProtocol', 'LabProtocol'],
    ['Grant', 'Grant'],
    ['ScholarlyArticle', 'ScholarlyArticle'],
    ['QuantitativeValue', 'QuantitativeValue'],
  ].map(([type, definition]) => [type, ajv.getSchema(`gide#/$defs/${definition}`)!]),
);

type Crate = { '@context': unknown; '@graph': Record<string, unknown>[] };

/** Every entity checked against its type's definition in the profile; lines naming entity and error. */
function profileProblems(crate: Crate): string[] {
  const problems: string[] = [];
  if (!gide(crate)) problems.push(...gide.errors!.map((e) => `${e.instancePath} ${e.message}`));
  for (const entity of crate['@graph']) {
    // The root and the descriptor only: other Datasets and CreativeWorks are not the profile's.
    const types = [entity['@type']].flat() as string[];
    for (const type of types) {
      const check = definitions[type];
      if (!check) continue;
      if (type === 'CreativeWork' && entity['@id'] !== 'ro-crate-metadata.json') continue;
      if (!check(entity))
        problems.push(...check.errors!.map((e) => `${entity['@id']} (${type})${e.instancePath} ${e.message}`));
    }
  }
  return problems;
}

/** RO-Crate 1.2 context terms (the local copy of https://w3id.org/ro/crate/1.2/context) and the GIDE terms. */
const terms = new Set([
  ...Object.keys(readJson(join(fixtures, 'ro-crate-1.2-context.jsonld'))['@context']),
  ...Object.keys(gideContextTerms),
]);

const mirror = 'https://mirror.example.org/';
let records: CatalogueRecord[];
const live = () => records.filter((r) => r.status === 'live' && r.kind !== 'tombstone');
const filesWithUrls = (record: CatalogueRecord): CrateFile[] =>
  (record.manifest?.files ?? []).map((f) => ({
    ...f,
    url: new URL(f.path.split('/').map(encodeURIComponent).join('/'), `${mirror}${record.summary.accession}/`).href,
  }));
const crateOf = (record: CatalogueRecord, options = {}) =>
  toRoCrate(record, toDatasetView(record, info), info, { files: filesWithUrls(record), ...options }) as Crate;

beforeAll(async () => {
  ({ records } = await loadPublishedCatalogue(catalogue, { today: '2025-01-01' }));
}, 60_000);

describe('the RO-Crate 1.2 checker', () => {
  // The IDR crates and the GIDE example name their descriptor after the file, as the GIDE profile's schema allows;
  // RO-Crate 1.2 §Root Data Entity: "Even in Detached RO-Crate Packages ... ro-crate-metadata.json MUST be used".
  const namedAfterFile = (crate: Crate) => crate['@graph'][0]['@id'] !== 'ro-crate-metadata.json';

  it('accepts every real crate of the BioImage Archive', () => {
    const bia = realCrates.filter((c) => !namedAfterFile(c.crate));
    expect(bia.length).toBeGreaterThanOrEqual(4);
    for (const { name, crate } of bia) expect(roCrateProblems(crate), name).toEqual([]);
  });

  it('rejects the crates whose descriptor is named after the file for that alone', () => {
    const named = realCrates.filter((c) => namedAfterFile(c.crate));
    expect(named.length).toBeGreaterThanOrEqual(4);
    for (const { name, crate } of named) {
      expect(roCrateProblems(crate), name).toEqual(['no RO-Crate Metadata Descriptor with @id ro-crate-metadata.json']);
      const renamed = structuredClone(crate);
      renamed['@graph'][0]['@id'] = 'ro-crate-metadata.json';
      expect(roCrateProblems(renamed), name).toEqual([]);
    }
  });

  const base = () => crateOf(live().find((r) => r.kind === 'entry' && r.manifest)!);
  const broken: [string, (crate: Crate) => void, RegExp][] = [
    ['no RO-Crate context', (c) => (c['@context'] = ['https://schema.org/']), /@context/],
    ['no descriptor', (c) => c['@graph'].splice(0, 1), /no RO-Crate Metadata Descriptor/],
    ['descriptor without conformsTo', (c) => delete c['@graph'][0].conformsTo, /conformsTo/],
    ['descriptor about nothing', (c) => (c['@graph'][0].about = { '@id': '#nowhere' }), /not in @graph/],
    ['root without licence', (c) => delete c['@graph'][1].license, /no license/],
    ['root without name', (c) => delete c['@graph'][1].name, /no name/],
    ['date not ISO 8601', (c) => (c['@graph'][1].datePublished = '5 March 2024'), /ISO 8601/],
    ['nested entity', (c) => (c['@graph'][1].publisher = { '@id': 'x', name: 'y' }), /nested object/],
    ['dangling local reference', (c) => (c['@graph'][1].about = [{ '@id': '#missing' }]), /references #missing/],
    ['file not in hasPart', (c) => delete c['@graph'][1].hasPart, /not listed in hasPart/],
    [
      'relative file in a detached crate',
      (c) => {
        const file = c['@graph'].find((e) => e['@type'] === 'File')!;
        (c['@graph'][1].hasPart as { '@id': string }[]).push({ '@id': 'images/a.tif' });
        file['@id'] = 'images/a.tif';
      },
      /needs an absolute URI/,
    ],
    ['an entity twice', (c) => c['@graph'].push({ ...c['@graph'][2] }), /described twice/],
    ['an entity without @type', (c) => delete c['@graph'][2]['@type'], /no @type/],
  ];
  it.each(broken)('rejects a crate with %s', (_name, breakIt, problem) => {
    const crate = base();
    expect(roCrateProblems(crate)).toEqual([]);
    breakIt(crate);
    expect(roCrateProblems(crate).join('\n')).toMatch(problem);
  });
});

describe('the GIDE profile check', () => {
  it('accepts the real crates the profile was written for (each entity against its type)', () => {
    // The IDR crates; the BioImage Archive's write `funder: []`, which the profile's own schema rejects (minItems).
    for (const { name, crate } of realCrates.filter((c) => c.name.startsWith('idr')))
      expect(profileProblems(crate), name).toEqual([]);
  });

  it('rejects a Taxon without scientificName and a root without measurementMethod', () => {
    const crate = crateOf(live().find((r) => r.kind === 'entry')!);
    delete crate['@graph'].find((e) => e['@type'] === 'Taxon')!.scientificName;
    delete crate['@graph'][1].measurementMethod;
    const problems = profileProblems(crate).join('\n');
    expect(problems).toMatch(/Taxon.*scientificName/);
    expect(problems).toMatch(/Dataset.*measurementMethod/);
  });
});

describe('toRoCrate', () => {
  it('gives every live record a crate that follows RO-Crate 1.2, the GIDE profile and the context', () => {
    expect(live().length).toBeGreaterThan(10);
    for (const record of live()) {
      const crate = crateOf(record, { doi: '10.1234/abc', thumbnailUrls: ['https://data.example.org/t.png'] });
      const accession = record.summary.accession;
      expect(roCrateProblems(crate), accession).toEqual([]);
      expect(profileProblems(crate), accession).toEqual([]);
      for (const entity of crate['@graph']) {
        for (const key of Object.keys(entity).filter((k) => !k.startsWith('@')))
          expect(terms.has(key), `${accession} ${entity['@id']}: ${key}`).toBe(true);
        for (const type of [entity['@type']].flat() as string[])
          expect(terms.has(type), `${accession}: ${type}`).toBe(true);
      }
      // Stricter than RO-Crate's SHOULD: every entity referenced (but the specification itself) is described.
      const described = new Set(crate['@graph'].map((e) => e['@id']));
      for (const entity of crate['@graph'])
        for (const [key, value] of Object.entries(entity))
          for (const reference of [value].flat() as { '@id'?: string }[])
            if (key !== 'conformsTo' && reference?.['@id'] !== undefined)
              expect(described.has(reference['@id']), `${accession} ${entity['@id']} ${key}`).toBe(true);
    }
  });

  it('states the taxon, the FBbi method, one publisher, the sizes and every file with its checksum', () => {
    const record = live().find((r) => r.kind === 'entry' && r.manifest)!;
    const crate = crateOf(record, { doi: '10.1234/abc', thumbnailUrls: ['https://data.example.org/t.png'] });
    const byId = new Map(crate['@graph'].map((e) => [e['@id'] as string, e]));
    const root = crate['@graph'][1];
    const about = (root.about as { '@id': string }[]).map((r) => byId.get(r['@id'])!);
    expect(
      about.some(
        (e) =>
          e['@type'] === 'Taxon' && /^http:\/\/purl\.obolibrary\.org\/obo\/NCBITaxon_\d+$/.test(e['@id'] as string),
      ),
    ).toBe(true);
    const methods = (root.measurementMethod as { '@id': string }[]).map((r) => byId.get(r['@id'])!);
    expect(methods.some((e) => e['@type'] === 'DefinedTerm' && /obo\/FBbi_\d{8}$/.test(e['@id'] as string))).toBe(true);
    expect(byId.get((root.publisher as { '@id': string })['@id'])!['@type']).toBe('Organization');
    expect(root.thumbnailUrl).toEqual(['https://data.example.org/t.png']);
    const sizes = (root.size as { '@id': string }[]).map((r) => byId.get(r['@id'])!);
    const files = record.manifest!.files;
    expect(sizes.find((s) => s.unitText === 'file count')!.value).toBe(files.length);
    expect(sizes.find((s) => s.unitText === 'bytes')!.value).toBe(files.reduce((n, f) => n + f.size, 0));
    const parts = (root.hasPart as { '@id': string }[]).map((r) => byId.get(r['@id'])!);
    expect(parts.map((p) => p.sha256).sort()).toEqual(files.map((f) => f.sha256).sort());
    expect(parts.every((p) => p['@type'] === 'File' && p.contentSize && p.encodingFormat)).toBe(true);
  });

  it("states the DOI as the root's identifier and cite-as, and the accession as its alternateName", () => {
    const record = live().find((r) => r.kind === 'entry')!;
    const accession = record.summary.accession;
    for (const doi of ['10.1234/abc', 'https://doi.org/10.1234/abc']) {
      const crate = crateOf(record, { doi });
      const root = crate['@graph'][1];
      expect(root.identifier, doi).toBe('https://doi.org/10.1234/abc');
      expect(root['cite-as'], doi).toBe('https://doi.org/10.1234/abc');
      expect(root.alternateName, doi).toBe(accession);
      expect(profileProblems(crate), doi).toEqual([]);
      expect(roCrateProblems(crate), doi).toEqual([]);
    }
  });

  it("states the accession as the root's identifier when the record has no DOI", () => {
    const record = live().find((r) => r.kind === 'entry')!;
    const root = crateOf(record)['@graph'][1];
    expect(root.identifier).toBe(record.summary.accession);
    expect(root['cite-as']).toBeUndefined();
    expect(root.alternateName).toBeUndefined();
  });

  it('lists only files with a public address as data entities, but counts them all', () => {
    const record = live().find((r) => r.kind === 'entry' && r.manifest)!;
    const crate = toRoCrate(record, toDatasetView(record, info), info) as Crate;
    expect(crate['@graph'][1].hasPart).toBeUndefined();
    expect(crate['@graph'].find((e) => e.unitText === 'file count')!.value).toBe(record.manifest!.files.length);
    expect(roCrateProblems(crate)).toEqual([]);
  });

  it('lists the publications as ScholarlyArticles by DOI, else PubMed, under seeAlso and citation', () => {
    const record = structuredClone(live().find((r) => r.kind === 'entry')!);
    if (record.kind !== 'entry') throw new Error('an entry was expected');
    record.data.study.publications = [
      { title: 'With a DOI', doi: '10.1038/s41592-021-01166-8', year: 2021 },
      { title: 'With a PubMed id', pubmedId: '34556866' },
      { title: 'With neither' },
    ];
    const crate = crateOf(record);
    const root = crate['@graph'][1];
    const ids = ['https://doi.org/10.1038/s41592-021-01166-8', 'https://pubmed.ncbi.nlm.nih.gov/34556866/'];
    expect(root.seeAlso).toEqual(ids.map((id) => ({ '@id': id })));
    expect(root.citation).toEqual(root.seeAlso);
    const articles = crate['@graph'].filter((e) => e['@type'] === 'ScholarlyArticle');
    expect(articles.map((a) => [a['@id'], a.name, a.datePublished])).toEqual([
      [ids[0], 'With a DOI', '2021'],
      [ids[1], 'With a PubMed id', undefined],
    ]);
    expect(profileProblems(crate)).toEqual([]);
    expect(roCrateProblems(crate)).toEqual([]);
  });

  it('maps related identifiers onto schema.org properties and leaves unknown relations out', () => {
    const record = live().find((r) => r.kind === 'entry')!;
    const crate = crateOf(record, {
      relatedIdentifiers: [
        { relationType: 'IsPartOf', url: 'https://doi.org/10.1/collection' },
        { relationType: 'IsDerivedFrom', url: 'https://example.org/raw' },
        { relationType: 'Cites', url: 'https://doi.org/10.1/cited' },
        { relationType: 'HasMetadata', url: 'https://example.org/meta' },
        { relationType: 'IsPartOf', url: 'javascript:alert(1)' },
      ],
    });
    const root = crate['@graph'][1];
    expect(root.isPartOf).toEqual([{ '@id': 'https://doi.org/10.1/collection' }]);
    expect(root.isBasedOn).toEqual([{ '@id': 'https://example.org/raw' }]);
    expect(root.citation).toContainEqual({ '@id': 'https://doi.org/10.1/cited' });
    expect(JSON.stringify(crate)).not.toContain('example.org/meta');
    expect(JSON.stringify(crate)).not.toContain('javascript:');
    expect(roCrateProblems(crate)).toEqual([]);
  });
});
