// A detached RO-Crate 1.2 (https://w3id.org/ro/crate/1.2) of a record, shaped by the GIDE search input profile
// (BioImage-Archive/gide-search, resources/rocrate/example-target-detached-rocrate-v0.2/profile.md) so that image
// data search portals can harvest it: the root Dataset with the study, its authors and one publisher, the
// organisms (`about` Taxon), the imaging methods (`measurementMethod` FBbi DefinedTerm, LabProtocol per
// acquisition), the size as file count and bytes, and the files as web-based data entities in `hasPart`.
import type { RelatedIdentifier } from './related-identifiers.ts';
import type { Funding, Manifest, Publication } from '../../schemas/index.ts';
import type { CatalogueRecord } from '../records.ts';
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { licenceUrl } from './licence-url.ts';
import { mediaTypeOf } from './media-types.ts';
import { studyTerms, termSets } from './study-terms.ts';

/** RO-Crate 1.2 §Metadata: the descriptor's `conformsTo` and the context every crate uses by reference. */
export const roCrateSpec = 'https://w3id.org/ro/crate/1.2';
export const roCrateContext = 'https://w3id.org/ro/crate/1.2/context';
/** RO-Crate 1.2 §Root Data Entity: the descriptor's `@id`, also in detached crates. */
export const roCrateDescriptorId = 'ro-crate-metadata.json';
/** The name of the crate beside each entry page. */
export const roCrateFileName = 'ro-crate-metadata.json';

/**
 * The GIDE profile's context terms (gide-search-context.jsonld), inline: the profile says its terms MUST NOT be
 * pointed at other IRIs, and the published context has no resolvable address yet.
 */
export const gideContextTerms = {
  obo: 'http://purl.obolibrary.org/obo/',
  dwc: 'http://rs.tdwg.org/dwc/terms/',
  dwciri: 'http://rs.tdwg.org/dwc/iri/',
  bao: 'http://www.bioassayontology.org/bao#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  vernacularName: { '@id': 'dwc:vernacularName' },
  scientificName: { '@id': 'dwc:scientificName' },
  hasCellLine: { '@id': 'bao:BAO_0002004' },
  measurementMethod: { '@id': 'dwciri:measurementMethod' },
  seeAlso: { '@id': 'rdfs:seeAlso' },
  BioSample: { '@id': 'http://schema.org/BioSample' },
  LabProtocol: { '@id': 'http://schema.org/LabProtocol' },
  labEquipment: { '@id': 'http://schema.org/labEquipment' },
} as const;

/**
 * Two terms of the RO-Crate 1.2 context, with the IRIs it gives them, whose values the crate writes as URL strings
 * that name a resource. RO-Crate's context maps terms without coercing values, so read as RDF those strings would
 * be literals; coercing them to IRIs (JSON-LD 1.1, Type Coercion) keeps the JSON the GIDE schema asks for
 * (`license` a URI string) while the graph links the resource. `license`: RO-Crate 1.2 §Root Data Entity says it
 * SHOULD link to an entity, and schema.org's own context coerces it the same way. `cite-as`: RFC 8574, the
 * target of the relation is a URI. The GIDE profile forbids pointing its terms at other IRIs; neither IRI changes.
 */
export const linkTerms = {
  license: { '@id': 'http://schema.org/license', '@type': '@id' },
  'cite-as': { '@id': 'http://www.iana.org/assignments/relation/cite-as', '@type': '@id' },
} as const;

/** GIDE profile §QuantitativeValue: the two recommended sizes and their Units Ontology codes. */
export const sizeUnits = {
  files: { unitCode: 'http://purl.obolibrary.org/obo/UO_0000189', unitText: 'file count' },
  bytes: { unitCode: 'http://purl.obolibrary.org/obo/UO_0000233', unitText: 'bytes' },
} as const;

/** One file of the record, with its public address when a mirror serves it. */
export interface CrateFile {
  path: string;
  size: number;
  sha256: string;
  format: string;
  /** Absolute HTTP(S) address; files without one are counted in `size` but are not data entities. */
  url?: string;
}

/** A typed link to another resource (related-identifiers.ts): its DataCite relationType and its own page. */
export type CrateRelation = Pick<RelatedIdentifier, 'relationType' | 'url'>;

export interface RoCrateOptions {
  /** The files with their addresses (default: the manifest's files, without addresses). */
  files?: CrateFile[];
  /**
   * The record's DOI (`10.x/y`; a https://doi.org/ URL is accepted too); given, its https://doi.org/ URL is the
   * root's `identifier` and `cite-as`, and the accession its `alternateName`.
   */
  doi?: string;
  /** Addresses of thumbnails of an example image (GIDE `thumbnailUrl`). */
  thumbnailUrls?: string[];
  relatedIdentifiers?: CrateRelation[];
}

/**
 * schema.org properties for DataCite relation types (DataCite 4.6 Appendix 1). Relations without a schema.org
 * counterpart are left out of the crate: DataCite XML carries them all.
 */
const relationProperties: Record<string, string> = {
  IsPartOf: 'isPartOf',
  IsDerivedFrom: 'isBasedOn',
  IsIdenticalTo: 'sameAs',
  Cites: 'citation',
  References: 'citation',
  IsSupplementTo: 'citation',
  IsDescribedBy: 'subjectOf',
};

type Node = Record<string, unknown> & { '@id': string; '@type': string | string[] };
const ref = (id: string) => ({ '@id': id });
const doiUrl = (doi: string) => `https://doi.org/${doi.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')}`;
/** A local identifier (RO-Crate 1.2 §Contextual entities: `#`-based ids), from a local id or a counter. */
const localId = (kind: string, name: string | number) => `#${kind}-${encodeURIComponent(String(name))}`;

/** GIDE §ScholarlyArticle: a resolvable id, the DOI first, then PubMed, then the publication's own page. */
function articleId(publication: Publication): string | undefined {
  if (publication.doi) return doiUrl(publication.doi);
  if (publication.pubmedId && /^[0-9]+$/.test(publication.pubmedId))
    return `https://pubmed.ncbi.nlm.nih.gov/${publication.pubmedId}/`;
  return undefined;
}

function filesOf(manifest: Manifest | undefined): CrateFile[] {
  return (manifest?.files ?? []).map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, format: f.format }));
}

function fundingNodes(funding: Funding[]): Node[] {
  return funding.map((f, index) => ({
    '@id': localId('grant', index + 1),
    '@type': 'Grant',
    name: f.grantId ? `${f.funder} ${f.grantId}` : f.funder,
    ...(f.grantId ? { identifier: f.grantId } : {}),
  }));
}

/** The crate of a live record (entry or harvested). Pure: same inputs, same crate. */
export function toRoCrate(
  record: CatalogueRecord,
  view: DatasetView,
  info: CatalogueInfo,
  options: RoCrateOptions = {},
): { '@context': unknown[]; '@graph': Node[] } {
  // Authors and their organisations, each once, in the order the authors are listed.
  const people: Node[] = [];
  const add = (node: Node) => {
    if (!people.some((p) => p['@id'] === node['@id'])) people.push(node);
  };
  const terms = studyTerms(record);

  // Authors: ORCID as @id when known (GIDE §Person), affiliations by ROR when known.
  const authorRefs = view.authors.map((author, index) => {
    const id = author.orcid ?? localId('author', index + 1);
    const affiliations = author.affiliations.map((a) => {
      const orgId = a.ror ?? localId('organization', a.name);
      add({ '@id': orgId, '@type': 'Organization', name: a.name });
      return ref(orgId);
    });
    add({
      '@id': id,
      '@type': 'Person',
      name: author.name,
      ...(affiliations.length ? { affiliation: affiliations } : {}),
    });
    return ref(id);
  });
  const publisher: Node = { '@id': info.baseUrl, '@type': 'Organization', name: info.name, url: info.baseUrl };

  // GIDE §Taxon: every organism is `about` the Dataset, also when a BioSample names it.
  const taxonIds = new Map<string, string>();
  const taxa = terms.taxa.map((taxon, index) => {
    const id = taxon.iri ?? localId('taxon', index + 1);
    taxonIds.set(taxon.curie || taxon.scientificName, id);
    return {
      '@id': id,
      '@type': 'Taxon',
      scientificName: taxon.scientificName,
      ...(taxon.commonName ? { vernacularName: taxon.commonName } : {}),
      ...(taxon.iri ? { identifier: taxon.curie, inDefinedTermSet: termSets.NCBITaxon } : {}),
    } satisfies Node;
  });
  const biosamples = terms.biosamples.map((b) => ({
    '@id': localId('biosample', b.id),
    '@type': 'BioSample',
    name: b.biologicalEntity,
    description: b.description?.trim() || b.biologicalEntity,
    taxonomicRange: (b.organisms ?? []).flatMap((o) => {
      const id = taxonIds.get(o.taxonId?.trim() || o.scientificName.trim());
      return id ? [ref(id)] : [];
    }),
  }));

  // GIDE §DefinedTerm: a DefinedTerm's @id MUST be an absolute URI, so only FBbi terms with a PURL become one.
  const methodTerms = terms.methods
    .filter((m) => m.iri)
    .map((m) => ({
      '@id': m.iri!,
      '@type': 'DefinedTerm',
      name: m.label,
      termCode: m.curie,
      inDefinedTermSet: termSets.FBbi,
    }));
  const protocols = terms.acquisitions.map((a) => {
    const iri = methodTerms.find((t) => t.termCode === a.imagingMethod?.id?.trim())?.['@id'];
    return {
      '@id': localId('acquisition', a.id),
      '@type': 'LabProtocol',
      name: a.imagingMethod?.label ?? a.id,
      description: a.parameters?.trim() || a.instrument?.trim() || a.imagingMethod?.label || a.id,
      ...(a.instrument?.trim() ? { labEquipment: a.instrument.trim() } : {}),
      ...(iri ? { measurementTechnique: [ref(iri)] } : {}),
    };
  });

  const files = options.files ?? filesOf(record.manifest);
  const dataEntities = files
    // RO-Crate 1.2 §Detached RO-Crate Package: data entities MUST be web-based (absolute URIs).
    .filter((f) => f.url && /^https?:\/\//i.test(f.url))
    .map((f) => ({
      '@id': f.url!,
      '@type': 'File',
      name: f.path,
      // RO-Crate 1.2 §Web-based Data Entities: where the file goes when the crate is downloaded.
      localPath: f.path,
      contentSize: String(f.size),
      encodingFormat: mediaTypeOf(f.format),
      sha256: f.sha256,
    }));
  const sizes = record.manifest
    ? [
        { '@id': '#size-files', '@type': 'QuantitativeValue', value: files.length, ...sizeUnits.files },
        {
          '@id': '#size-bytes',
          '@type': 'QuantitativeValue',
          value: files.reduce((sum, f) => sum + f.size, 0),
          ...sizeUnits.bytes,
        },
      ]
    : [];

  const articles = view.publications.flatMap((p) => {
    const id = articleId(p);
    if (!id) return [];
    return [
      {
        '@id': id,
        '@type': 'ScholarlyArticle',
        name: p.title,
        ...(p.year ? { datePublished: String(p.year) } : {}),
      },
    ];
  });
  const grants = record.kind === 'entry' ? fundingNodes(record.data.study.funding ?? []) : [];
  const related = (options.relatedIdentifiers ?? []).filter(
    (r) => Object.hasOwn(relationProperties, r.relationType) && /^https?:\/\//i.test(r.url),
  );
  const relatedProperties: Record<string, { '@id': string }[]> = {};
  for (const r of related) (relatedProperties[relationProperties[r.relationType]] ??= []).push(ref(r.url));

  const released = view.released ?? view.modified;
  const doi = options.doi ? doiUrl(options.doi) : undefined;
  const root: Node = {
    '@id': view.url,
    '@type': 'Dataset',
    name: view.title,
    description: view.description.trim() || view.title,
    ...(released ? { datePublished: released } : {}),
    ...(view.modified ? { dateModified: view.modified } : {}),
    ...(view.license ? { license: licenceUrl(view.license) } : {}),
    // RO-Crate 1.2 §Root Data Entity identifier: a crate with a persistent identifier (a DOI) MAY state it in
    // `identifier` and SHOULD then give it as `cite-as`. RO-Crate 1.2 suggests a PropertyValue there and asks
    // consumers to accept a plain string URI as well; the GIDE profile's JSON Schema allows only one string, so the
    // DOI's URL is that string and the accession, the other identifier, becomes the `alternateName`.
    ...(doi ? { identifier: doi, alternateName: view.accession } : { identifier: view.accession }),
    url: view.url,
    ...(doi ? { 'cite-as': doi } : {}),
    ...(view.version ? { version: String(view.version) } : {}),
    author: authorRefs.length ? authorRefs : [ref(publisher['@id'])],
    publisher: ref(publisher['@id']),
    about: [...taxa, ...biosamples].map((n) => ref(n['@id'])),
    measurementMethod: [...methodTerms, ...protocols].map((n) => ref(n['@id'])),
    ...(view.keywords.length ? { keywords: view.keywords } : {}),
    ...(options.thumbnailUrls?.length ? { thumbnailUrl: options.thumbnailUrls } : {}),
    ...(sizes.length ? { size: sizes.map((s) => ref(s['@id'])) } : {}),
    ...(grants.length ? { funder: grants.map((g) => ref(g['@id'])) } : {}),
    ...relatedProperties,
    // GIDE names the publications `seeAlso`; RO-Crate 1.2 §Contextual entities names them `citation`.
    ...(articles.length
      ? {
          seeAlso: articles.map((a) => ref(a['@id'])),
          citation: [...articles.map((a) => ref(a['@id'])), ...(relatedProperties.citation ?? [])],
        }
      : {}),
    ...(dataEntities.length ? { hasPart: dataEntities.map((f) => ref(f['@id'])) } : {}),
  };

  const descriptor: Node = {
    '@id': roCrateDescriptorId,
    '@type': 'CreativeWork',
    conformsTo: ref(roCrateSpec),
    about: ref(view.url),
  };
  const nodes: Node[] = [
    descriptor,
    root,
    publisher,
    ...people,
    ...taxa,
    ...biosamples,
    ...methodTerms,
    ...protocols,
    ...sizes,
    ...grants,
    ...articles,
    ...related.map((r) => ({ '@id': r.url, '@type': 'CreativeWork', name: r.url })),
    ...dataEntities,
  ];
  // One entity per @id (RO-Crate 1.2 §Metadata: the graph is flattened): the first description wins.
  const seen = new Set<string>();
  return {
    '@context': [roCrateContext, gideContextTerms, linkTerms],
    '@graph': nodes.filter((n) => (seen.has(n['@id']) ? false : (seen.add(n['@id']), true))),
  };
}
