// The site's linked data read by a JSON-LD processor no one here wrote, digitalbazaar's jsonld.js: every listed
// record's ro-crate-metadata.json and dataset.jsonld as the site's data-file writer (site/lib/data-files.ts) leaves
// them, expanded in jsonld.js safe mode and converted to RDF. Safe mode fails where the JSON-LD 1.1 algorithms would
// drop data without a word: a property or type that maps to no IRI, a relative reference with no base to resolve
// it. The contexts the documents name are served from byte-for-byte local copies (RO-Crate 1.2's and schema.org's);
// any other URL fails the test, which uses no network.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld, { type Quad, type RemoteDocument } from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEntryDoi } from '../../catalog/doi.ts';
import type { CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { bioschemasDatasetProfile } from '../../catalog/exports/json-ld.ts';
import { roCrateContext } from '../../catalog/exports/ro-crate.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import type { Mirror } from '../../schemas/index.ts';
import { writeDataFiles } from '../../site/lib/data-files.ts';
import { linkedDataFiles } from '../../site/lib/linked-data.ts';
import { toPublished } from '../../site/lib/published.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const today = '2025-01-01';
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
/** A public mirror, so that files have addresses (the crate's data entities) and previews give pictures. */
const mirrors: Mirror[] = [
  { id: 'local', kind: 'folder', role: 'primary', path: 'unused', publicBaseUrl: 'https://mirror.example.org/bic/' },
];

const schemaOrgContextDocument = readJson(join(fixtures, 'schema-org/schemaorg-30.0-context.jsonld'));
const schemaOrgTerms: Record<string, { '@id'?: string } | string> = schemaOrgContextDocument['@context'];
/** The documents behind the context URLs the outputs name: the only URLs the processor may load. */
const localDocuments = new Map<string, unknown>([
  [roCrateContext, readJson(join(fixtures, 'ro-crate/ro-crate-1.2-context.jsonld'))],
  // https://schema.org/ sends JSON-LD readers to docs/jsonldcontext.jsonld (fixtures/schema-org/README.md).
  ['https://schema.org/', schemaOrgContextDocument],
]);

async function documentLoader(url: string): Promise<RemoteDocument> {
  const document = localDocuments.get(url);
  if (document === undefined) throw new Error(`${url}: no local copy, and the test uses no network`);
  return { contextUrl: null, documentUrl: url, document };
}

const iri = {
  rdfType: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type',
  schema: (term: string) => `http://schema.org/${term}`,
  citeAs: 'http://www.iana.org/assignments/relation/cite-as',
  conformsTo: 'http://purl.org/dc/terms/conformsTo',
  measurementMethod: 'http://rs.tdwg.org/dwc/iri/measurementMethod',
  seeAlso: 'http://www.w3.org/2000/01/rdf-schema#seeAlso',
};
/** One N-Quads line (RDF 1.1 N-Quads) of a statement in the default graph. */
const statement = (subject: string, predicate: string, object: string) => `<${subject}> <${predicate}> ${object} .`;
const named = (value: string) => `<${value}>`;
const literal = (value: string) => JSON.stringify(value);

type Entity = Record<string, unknown> & { '@id': string };
interface Published {
  accession: string;
  kind: CatalogueRecord['kind'];
  /** The entry page: the root's @id in the crate and the Dataset's in the JSON-LD. */
  page: string;
  crate: { '@context': unknown; '@graph': Entity[] };
  crateUrl: string;
  jsonLd: Record<string, unknown>;
  jsonLdUrl: string;
}

let work: string | undefined;
let out: string;
let published: Published[];
let withdrawn: string;
let withDoi: Published;
const doiOf = (accession: string) => `10.80000/${accession}`;
const rootOf = (p: Published) => p.crate['@graph'].find((e) => e['@id'] === p.page)!;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'json-ld-processor-'));
  const catalog = join(work, 'catalogue');
  await cp(join(import.meta.dirname, '../site/fixtures/valid/catalogue'), catalog, { recursive: true });
  // An entry with nine typed cross-references and a publication, given a DOI once minted.
  await cp(
    join(fixtures, 'submissions/valid/cross-references-annotations'),
    join(catalog, 'submissions/cross-references-annotations'),
    { recursive: true },
  );
  const { minted } = await mintAccessions(catalog, { today });
  await writeEntryDoi(catalog, minted[0].accession, doiOf(minted[0].accession));
  const { records } = await loadPublishedCatalogue(catalog, { today });
  out = join(work, 'site');
  await writeDataFiles(out, records.map(toPublished), info, mirrors);

  withdrawn = records.find((r) => r.kind === 'tombstone')!.summary.accession;
  published = records.flatMap((record) => {
    const accession = record.summary.accession;
    const folder = join(out, 'entries', accession);
    if (!existsSync(join(folder, linkedDataFiles.roCrate))) return [];
    const page = `${info.baseUrl}entries/${accession}/`;
    return [
      {
        accession,
        kind: record.kind,
        page,
        crate: readJson(join(folder, linkedDataFiles.roCrate)),
        crateUrl: page + linkedDataFiles.roCrate,
        jsonLd: readJson(join(folder, linkedDataFiles.jsonLd)),
        jsonLdUrl: page + linkedDataFiles.jsonLd,
      },
    ];
  });
  withDoi = published.find((p) => p.accession === minted[0].accession)!;
}, 120_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** The document as RDF, read as published at `url` (its base IRI, as when a harvester fetches it). */
const quadsOf = (document: unknown, url: string): Promise<Quad[]> =>
  jsonld.toRDF(document, { safe: true, documentLoader, base: url });
const nQuadsCache = new Map<string, Promise<string[]>>();
/** The document's statements as N-Quads lines, from jsonld.js's own serializer. */
function statementsOf(document: unknown, url: string): Promise<string[]> {
  if (!nQuadsCache.has(url))
    nQuadsCache.set(
      url,
      jsonld
        .toRDF(document, { safe: true, documentLoader, base: url, format: 'application/n-quads' })
        .then((nQuads) => nQuads.split('\n').filter((line) => line !== '')),
    );
  return nQuadsCache.get(url)!;
}
const namedNodes = (quads: Quad[]) =>
  quads.flatMap((q) => [q.subject, q.predicate, q.object]).filter((t) => t.termType === 'NamedNode');

describe('the linked data the site writes', () => {
  it('covers entries with and without a DOI, with files, pictures and cross-references, and a harvested record', () => {
    expect(published.length).toBeGreaterThan(10);
    expect(rootOf(withDoi)['cite-as']).toBe(`https://doi.org/${doiOf(withDoi.accession)}`);
    expect(rootOf(withDoi).isBasedOn).toBeDefined();
    expect(published.some((p) => rootOf(p)['cite-as'] === undefined && p.kind === 'entry')).toBe(true);
    expect(published.some((p) => rootOf(p).hasPart)).toBe(true);
    expect(published.some((p) => p.jsonLd.thumbnailUrl && p.jsonLd.image)).toBe(true);
    expect(published.some((p) => p.kind === 'harvested')).toBe(true);
  });

  it('writes none for a withdrawn entry, whose tombstone has no crate or JSON-LD', () => {
    expect(withdrawn).toBeDefined();
    expect(existsSync(join(out, 'entries', withdrawn, linkedDataFiles.roCrate))).toBe(false);
    expect(existsSync(join(out, 'entries', withdrawn, linkedDataFiles.jsonLd))).toBe(false);
  });
});

describe('the RO-Crate metadata read by jsonld.js', () => {
  it('expands in safe mode with the RO-Crate 1.2 context and the inline terms, keeping every entity', async () => {
    for (const p of published) {
      const expanded = jsonld.expand(p.crate, { safe: true, documentLoader, base: p.crateUrl });
      await expect(expanded, p.accession).resolves.toHaveLength(p.crate['@graph'].length);
    }
  });

  it('gives RDF with absolute http(s) IRIs, every entity a subject and the local ids inside the crate', async () => {
    for (const p of published) {
      const quads = await quadsOf(p.crate, p.crateUrl);
      const subjects = new Set(quads.map((q) => q.subject.value));
      // RO-Crate 1.2 appendix, Handling relative URI references: local ids resolve against the metadata file.
      for (const entity of p.crate['@graph'])
        expect(subjects.has(new URL(entity['@id'], p.crateUrl).href), `${p.accession} ${entity['@id']}`).toBe(true);
      for (const { value } of namedNodes(quads)) {
        expect(value, p.accession).toMatch(/^https?:\/\/[^/]+\//);
        // Under the entry's folder only the page, the crate and its #local ids: a bare ORCID or a relative file
        // path would resolve there too, without an error, to an address that names nothing.
        if (value.startsWith(p.page))
          expect([p.page, p.crateUrl], `${p.accession}: ${value}`).toContain(value.replace(/#.*$/, ''));
      }
    }
  });

  it("states the root's licence as an IRI", async () => {
    for (const p of published) {
      const license = rootOf(p).license as string;
      expect(license, p.accession).toMatch(/^https:\/\/spdx\.org\/licenses\//);
      expect(await statementsOf(p.crate, p.crateUrl), p.accession).toContain(
        statement(p.page, iri.schema('license'), named(license)),
      );
    }
  });

  it("states a DOI as the root's cite-as IRI and its identifier, with the accession as alternateName", async () => {
    const doiUrl = `https://doi.org/${doiOf(withDoi.accession)}`;
    const statements = await statementsOf(withDoi.crate, withDoi.crateUrl);
    expect(statements).toContain(statement(withDoi.page, iri.citeAs, named(doiUrl)));
    expect(statements).toContain(statement(withDoi.page, iri.schema('identifier'), literal(doiUrl)));
    expect(statements).toContain(statement(withDoi.page, iri.schema('alternateName'), literal(withDoi.accession)));
  });

  it('states the accession as the identifier of a record without a DOI, and no cite-as', async () => {
    for (const p of published.filter((p) => p !== withDoi)) {
      const statements = await statementsOf(p.crate, p.crateUrl);
      expect(statements, p.accession).toContain(statement(p.page, iri.schema('identifier'), literal(p.accession)));
      expect(
        statements.filter((s) => s.includes(iri.citeAs)),
        p.accession,
      ).toEqual([]);
    }
  });

  it('links the author, organism, imaging method, publication and cross-references by their IRIs', async () => {
    const statements = await statementsOf(withDoi.crate, withDoi.crateUrl);
    const about = (predicate: string, object: string) => statement(withDoi.page, predicate, named(object));
    for (const expected of [
      about(iri.schema('author'), 'https://orcid.org/0000-0002-1825-0097'),
      about(iri.schema('about'), 'http://purl.obolibrary.org/obo/NCBITaxon_9606'),
      about(iri.measurementMethod, 'http://purl.obolibrary.org/obo/FBbi_00000251'),
      about(iri.schema('citation'), 'https://doi.org/10.5555/example.2024.1'),
      about(iri.seeAlso, 'https://doi.org/10.5555/example.2024.1'),
      about(iri.schema('isBasedOn'), 'https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326'),
      about(iri.schema('isPartOf'), 'https://idr.openmicroscopy.org/search/?query=Name:idr0038'),
      about(iri.schema('sameAs'), 'https://www.ebi.ac.uk/biostudies/studies/S-BIAD609'),
      about(iri.schema('citation'), 'https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234'),
    ])
      expect(statements).toContain(expected);
  });

  it('lists every file as a hasPart IRI with its checksum', async () => {
    for (const p of published.filter((p) => rootOf(p).hasPart)) {
      const statements = await statementsOf(p.crate, p.crateUrl);
      const files = p.crate['@graph'].filter((e) => e['@type'] === 'File');
      expect(files.length, p.accession).toBeGreaterThan(0);
      for (const file of files) {
        expect(statements, p.accession).toContain(statement(p.page, iri.schema('hasPart'), named(file['@id'])));
        expect(statements, p.accession).toContain(
          statement(file['@id'], iri.schema('sha256'), literal(file.sha256 as string)),
        );
      }
    }
  });
});

describe("the schema.org JSON-LD read by jsonld.js with schema.org's own context", () => {
  it('expands in safe mode to one Dataset node per record', async () => {
    for (const p of published) {
      const expanded = jsonld.expand(p.jsonLd, { safe: true, documentLoader, base: p.jsonLdUrl });
      await expect(expanded, p.accession).resolves.toMatchObject([{ '@id': p.page, '@type': [iri.schema('Dataset')] }]);
    }
  });

  it('uses only properties and types that schema.org defines, and IRIs that are absolute', async () => {
    // schema.org's context sets @vocab, so safe mode maps a misspelt term to an IRI rather than failing on it: each
    // schema.org IRI must be a term the context itself defines.
    const defined = (value: string) =>
      !value.startsWith(iri.schema('')) ||
      (schemaOrgTerms[value.slice(iri.schema('').length)] as { '@id'?: string } | undefined)?.['@id'] ===
        `schema:${value.slice(iri.schema('').length)}`;
    for (const p of published) {
      const quads = await quadsOf(p.jsonLd, p.jsonLdUrl);
      for (const q of quads) {
        expect(defined(q.predicate.value), `${p.accession}: ${q.predicate.value}`).toBe(true);
        if (q.predicate.value === iri.rdfType)
          expect(defined(q.object.value), `${p.accession}: type ${q.object.value}`).toBe(true);
      }
      for (const { value } of namedNodes(quads)) expect(value, p.accession).toMatch(/^https?:\/\/[^/]+\//);
    }
  });

  it('states the licence and the Bioschemas profile as IRIs, for every record', async () => {
    for (const p of published) {
      const statements = await statementsOf(p.jsonLd, p.jsonLdUrl);
      expect(statements, p.accession).toContain(
        statement(p.page, iri.schema('license'), named(p.jsonLd.license as string)),
      );
      expect(statements, p.accession).toContain(statement(p.page, iri.conformsTo, named(bioschemasDatasetProfile)));
    }
  });

  it('states the DOI and the accession as identifiers, the author and the ontology terms by their IRIs', async () => {
    const statements = await statementsOf(withDoi.jsonLd, withDoi.jsonLdUrl);
    const page = withDoi.page;
    for (const expected of [
      statement(page, iri.schema('identifier'), literal(`https://doi.org/${doiOf(withDoi.accession)}`)),
      statement(page, iri.schema('identifier'), literal(withDoi.accession)),
      statement(page, iri.schema('creator'), named('https://orcid.org/0000-0002-1825-0097')),
      statement(page, iri.schema('measurementTechnique'), named('http://purl.obolibrary.org/obo/FBbi_00000251')),
      statement(page, iri.schema('about'), named('http://purl.obolibrary.org/obo/NCBITaxon_9606')),
      statement(page, iri.schema('isBasedOn'), named('https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326')),
    ])
      expect(statements).toContain(expected);
  });

  it("links an entry's pictures and a harvested record's origin as IRIs", async () => {
    const pictured = published.find((p) => p.jsonLd.thumbnailUrl)!;
    const statements = await statementsOf(pictured.jsonLd, pictured.jsonLdUrl);
    for (const property of ['thumbnailUrl', 'image'])
      expect(statements).toContain(
        statement(pictured.page, iri.schema(property), named(pictured.jsonLd[property] as string)),
      );
    const harvested = published.find((p) => p.kind === 'harvested')!;
    expect(await statementsOf(harvested.jsonLd, harvested.jsonLdUrl)).toContain(
      statement(harvested.page, iri.schema('sameAs'), named(harvested.jsonLd.sameAs as string)),
    );
  });
});

describe('the checks themselves', () => {
  const crate = () => structuredClone(withDoi.crate);

  it("accept the BioImage Archive's and the IDR's real crates", async () => {
    const real = join(fixtures, 'ro-crate/real');
    for (const name of readdirSync(real)) {
      // Any base will do: it only resolves their #local ids, as the address they are published at would.
      const expanded = jsonld.expand(readJson(join(real, name)), {
        safe: true,
        documentLoader,
        base: `https://crates.example.org/${name}`,
      });
      await expect(expanded, name).resolves.not.toHaveLength(0);
    }
  });

  it('fail on a property that no context maps to an IRI', async () => {
    const broken = crate();
    broken['@graph'].find((e) => e['@id'] === withDoi.page)!.unmappedProperty = 'dropped without safe mode';
    await expect(jsonld.expand(broken, { safe: true, documentLoader, base: withDoi.crateUrl })).rejects.toMatchObject({
      name: 'jsonld.ValidationError',
      details: { event: { code: 'invalid property' } },
    });
  });

  it("fail on the crate's local ids when nothing gives them a base", async () => {
    await expect(jsonld.expand(crate(), { safe: true, documentLoader })).rejects.toMatchObject({
      name: 'jsonld.ValidationError',
      details: { event: { code: 'relative @id reference' } },
    });
  });

  it('load no context they have no local copy of', async () => {
    const broken = { ...crate(), '@context': ['https://example.org/other-context'] };
    await expect(jsonld.expand(broken, { safe: true, documentLoader, base: withDoi.crateUrl })).rejects.toMatchObject({
      details: { code: 'loading remote context failed', url: 'https://example.org/other-context' },
    });
  });
});
