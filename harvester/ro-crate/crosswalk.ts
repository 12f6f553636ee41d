// A GIDE search RO-Crate (profile v0.2, the shape the BioImage Archive, IDR and this catalogue publish) -> a
// harvested record. Every value is the partner's: text is cleaned and cut, URLs must be publishable, ids are
// checked against their patterns, and anything that does not fit is left out rather than guessed.
import type { HarvestedRecord } from '../../schemas/index.ts';
import { calendarDate, compact, doiOf, harvestedId, httpUrl, toSpdx, unique } from '../crosswalks/common.ts';
import { CrosswalkError } from '../crosswalks/errors.ts';
import { cleanPartnerText } from '../partner-text.ts';
import { idOf, typesOf, type Crate, type CrateEntity } from './read-crate.ts';

type Study = HarvestedRecord['study'];
type Author = NonNullable<Study['authors']>[number];
type Affiliation = NonNullable<Study['affiliations']>[number];
type Biosample = NonNullable<HarvestedRecord['biosamples']>[number];
type Organism = Biosample['organisms'][number];
type Acquisition = NonNullable<HarvestedRecord['acquisitions']>[number];

export interface CrateOrigin {
  partner: string;
  /** Where the metadata file was read (the URL, or the file's address in the repository). */
  crateUrl: string;
  /** The repository commit it was read at, for a GitHub folder. */
  commit?: string;
  /** Last-Modified of the response, as an ISO date-time, when the server sent one. */
  lastModified?: string;
  harvestedAt: string;
  defaultLicense?: string;
}

/** Values as a list: JSON-LD allows one value or an array of them. */
const list = (value: unknown): unknown[] => (value === undefined || value === null ? [] : [value].flat());

/** A text value, cleaned of control characters and cut (partner-text.ts). */
function text(value: unknown, max = 20_000): string | undefined {
  const first = list(value).find((v) => typeof v === 'string' || typeof v === 'number');
  if (first === undefined) return undefined;
  const cleaned = cleanPartnerText(String(first), max);
  return cleaned || undefined;
}

/** The entities a property refers to ({ "@id": ... } references resolved in the graph). */
function refs(crate: Crate, value: unknown): CrateEntity[] {
  return list(value)
    .map((v) => crate.entities.get(idOf(v) ?? ''))
    .filter((e): e is CrateEntity => e !== undefined);
}

const orcidPattern = /^https?:\/\/orcid\.org\/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;
// OBO Foundry ids, written as CURIE (obo:NCBITaxon_9606, NCBITaxon:9606) or PURL
// (http://purl.obolibrary.org/obo/NCBITaxon_9606).
const oboId = (id: string, prefix: string, digits: string) => {
  const match = new RegExp(`^(?:(?:obo:|https?://purl\\.obolibrary\\.org/obo/)${prefix}_|${prefix}:)(${digits})$`).exec(
    id,
  );
  return match?.[1];
};

function toAuthors(crate: Crate): { authors: Author[]; affiliations: Affiliation[] } {
  const affiliations: Affiliation[] = [];
  const localIdOf = new Map<string, string>();
  const authors: Author[] = [];
  for (const person of refs(crate, crate.root.author)) {
    // schema.org Person: `name`, or `givenName` and `familyName`.
    const name =
      text(person.name, 300) ??
      text(unique([text(person.givenName) ?? '', text(person.familyName) ?? '']).join(' '), 300);
    if (!name) continue;
    const orcid = orcidPattern.exec(person['@id'])?.[1];
    const ids: string[] = [];
    // An affiliation is a reference to an Organization, or (schema.org allows text) its name.
    const organisations = [
      ...refs(crate, person.affiliation).map((o) => ({ key: o['@id'], name: text(o.name, 500) })),
      ...list(person.affiliation)
        .filter((a) => typeof a === 'string')
        .map((a) => ({ key: `text:${a}`, name: text(a, 500) })),
    ];
    for (const { key, name: orgName } of organisations) {
      if (!orgName || orgName.length < 2) continue;
      let local = localIdOf.get(key);
      if (!local) {
        local = `organisation-${affiliations.length + 1}`;
        localIdOf.set(key, local);
        affiliations.push({ id: local, name: orgName });
      }
      if (!ids.includes(local)) ids.push(local);
    }
    authors.push(compact({ name, orcid, affiliations: ids.length ? ids : undefined }) as Author);
  }
  return { authors, affiliations };
}

function toOrganism(taxon: CrateEntity): Organism | undefined {
  if (!typesOf(taxon).includes('Taxon')) return undefined;
  const id = oboId(taxon['@id'], 'NCBITaxon', '\\d{1,9}');
  const scientificName = text(taxon.scientificName ?? taxon.name, 300);
  if (!id || !scientificName || scientificName.length < 3) return undefined;
  // NCBI Taxonomy ids are integers: a zero-padded one (NCBITaxon_07227 in an SSBD crate) is written without padding.
  const taxonId = `NCBITaxon:${Number(id)}`;
  return compact({ scientificName, commonName: text(taxon.vernacularName, 300), taxonId });
}

/** GIDE profile: the root is `about` Taxon and BioSample entities; a BioSample names its taxa in taxonomicRange. */
function toBiosamples(crate: Crate): Biosample[] {
  const biosamples: Biosample[] = [];
  const covered = new Set<string>();
  const about = refs(crate, crate.root.about);
  for (const sample of about.filter((e) => typesOf(e).includes('BioSample'))) {
    const taxa = refs(crate, sample.taxonomicRange);
    const organisms = taxa.map(toOrganism).filter((o): o is Organism => o !== undefined);
    if (!organisms.length) continue;
    taxa.forEach((t) => covered.add(t['@id']));
    biosamples.push(
      compact({
        id: `biosample-${biosamples.length + 1}`,
        organisms,
        biologicalEntity: text(sample.name, 500) ?? organisms.map((o) => o.scientificName).join(', '),
        description: text(sample.description),
      }) as Biosample,
    );
  }
  const rest = about
    .filter((e) => !covered.has(e['@id']))
    .map(toOrganism)
    .filter((o): o is Organism => o !== undefined);
  if (rest.length)
    biosamples.push({
      id: `biosample-${biosamples.length + 1}`,
      organisms: rest as Biosample['organisms'],
      biologicalEntity: rest.map((o) => o.scientificName).join(', '),
    });
  return biosamples;
}

/**
 * GIDE profile: measurementMethod names FBbi DefinedTerms directly (BioImage Archive) or LabProtocols whose
 * measurementTechnique does (IDR). One acquisition per FBbi term.
 */
function toAcquisitions(crate: Crate): Acquisition[] {
  const seen = new Set<string>();
  const acquisitions: Acquisition[] = [];
  const terms = refs(crate, crate.root.measurementMethod).flatMap((e) =>
    typesOf(e).includes('LabProtocol') ? refs(crate, e.measurementTechnique) : [e],
  );
  for (const term of terms) {
    const id = oboId(term['@id'], 'FBbi', '\\d{8}');
    const label = text(term.name, 300);
    if (!id || !label || seen.has(id)) continue;
    seen.add(id);
    acquisitions.push({ id: `acquisition-${acquisitions.length + 1}`, imagingMethod: { id: `FBbi:${id}`, label } });
  }
  return acquisitions;
}

// UO_0000233 is "byte", UO_0000189 "count unit" (Units of Measurement Ontology), as the GIDE profile uses them.
function toSize(crate: Crate): HarvestedRecord['size'] {
  let bytes: number | undefined;
  let files: number | undefined;
  for (const value of refs(crate, crate.root.size)) {
    const amount = typeof value.value === 'number' && Number.isSafeInteger(value.value) ? value.value : undefined;
    if (amount === undefined || amount < 0) continue;
    const unit = String(value.unitCode ?? '');
    if (unit.endsWith('UO_0000233')) bytes = amount;
    else if (unit.endsWith('UO_0000189')) files = amount;
  }
  const parts = Array.isArray(crate.root.hasPart) ? crate.root.hasPart.length : undefined;
  const size = compact({ bytes, files, parts });
  return Object.keys(size).length ? size : undefined;
}

function licenceOf(crate: Crate, fallback: string | undefined): string | undefined {
  const candidates = list(crate.root.license).flatMap((l) => {
    if (typeof l === 'string') return [l];
    const entity = crate.entities.get(idOf(l) ?? '');
    return [idOf(l), text(entity?.identifier), text(entity?.url)].filter((v): v is string => v !== undefined);
  });
  return toSpdx(...candidates) ?? fallback;
}

function toLinks(crate: Crate): NonNullable<Study['links']> {
  const links: NonNullable<Study['links']> = [];
  for (const publisher of refs(crate, crate.root.publisher)) {
    const url = httpUrl(text(publisher.url) ?? publisher['@id']);
    if (url)
      links.push(compact({ url, description: text(publisher.name, 300) && `Publisher: ${text(publisher.name, 300)}` }));
  }
  for (const thumbnail of list(crate.root.thumbnailUrl)) {
    const url = httpUrl(typeof thumbnail === 'string' ? thumbnail : idOf(thumbnail));
    if (url) links.push({ url, description: 'Thumbnail' });
  }
  return links;
}

/**
 * The root's `identifier`s: strings, or references (RO-Crate 1.2 §Root Data Entity identifier: a PropertyValue
 * whose @id is the identifier's URL). A DOI is kept as the DOI alone (`10.x/y`), as the other crosswalks keep it.
 */
function identifiersOf(crate: Crate): string[] {
  return unique(
    list(crate.root.identifier).map((i) => {
      const value = text(typeof i === 'object' ? idOf(i) : i, 300);
      return doiOf(value) ?? value ?? '';
    }),
  );
}

/** The stable identifier of the record at the partner: the root's @id when it is a URL, else the crate's URL. */
export function crateIdentifier(crate: Crate, crateUrl: string): string {
  return httpUrl(crate.root['@id']) ?? crateUrl;
}

/** One crate -> one harvested record (not yet validated). Throws CrosswalkError when the root has no name. */
export function crateToHarvestedRecord(crate: Crate, origin: CrateOrigin): HarvestedRecord {
  const title = text(crate.root.name, 1000);
  if (!title) throw new CrosswalkError('CROSSWALK_NO_TITLE', 'the root Dataset of the crate has no "name"');
  const identifier = crateIdentifier(crate, origin.crateUrl);
  const { authors, affiliations } = toAuthors(crate);
  const landing = httpUrl(crate.root['@id']) ?? httpUrl(text(crate.root.url));
  const study: Study = compact({
    title,
    description: text(crate.root.description),
    authors,
    affiliations,
    license: licenceOf(crate, origin.defaultLicense),
    keywords: unique(list(crate.root.keywords).map((k) => text(k, 200) ?? '')),
    releaseDate: calendarDate(text(crate.root.datePublished, 40)),
    links: toLinks(crate),
    identifiers: identifiersOf(crate),
  });
  return compact({
    schemaVersion: 1 as const,
    id: harvestedId(origin.partner, identifier),
    origin: compact({
      partner: origin.partner,
      identifier,
      datestamp: origin.lastModified ?? origin.harvestedAt,
      metadataFormat: 'ro-crate',
      harvestedAt: origin.harvestedAt,
      url: landing,
      crate: origin.crateUrl,
      commit: origin.commit,
    }),
    study,
    biosamples: toBiosamples(crate),
    acquisitions: toAcquisitions(crate),
    size: toSize(crate),
  }) as HarvestedRecord;
}
