// schema.org Dataset as JSON-LD, for Google Dataset Search
// (https://developers.google.com/search/docs/appearance/structured-data/dataset):
// required name and description (50 to 5000 characters); recommended url, identifier, creator, license,
// keywords, distribution, includedInDataCatalog, datePublished, dateModified, version, isAccessibleForFree.
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { licenceUrl } from './licence-url.ts';
import { schemaOrgProperty } from './related-identifiers.ts';
import { termSets, type MethodTerm, type TaxonTerm } from './study-terms.ts';

/** One downloadable file, for `distribution`. */
export interface Download {
  name: string;
  contentUrl: string;
  encodingFormat?: string;
  /** Size in bytes. */
  contentSize?: number;
}

/**
 * Pictures of the dataset, made by the site from its representative image: schema.org CreativeWork
 * `thumbnailUrl` (a small picture) and `image` (a larger one).
 */
export interface DatasetPictures {
  thumbnailUrl?: string;
  image?: string;
}

/** Google: "a description must be between 50 and 5000 characters". */
const descriptionLimits = { min: 50, max: 5000 };

function description(view: DatasetView): string {
  let text = view.description.trim();
  if (text.length < descriptionLimits.min) text = `${text} ${view.title}. Bioimage dataset ${view.accession}.`.trim();
  if (text.length < descriptionLimits.min) text = text.padEnd(descriptionLimits.min, '.');
  return text.length > descriptionLimits.max ? text.slice(0, descriptionLimits.max - 1) + '…' : text;
}

/**
 * Bioschemas Dataset profile (https://bioschemas.org/profiles/Dataset/1.0-RELEASE): the markup states the
 * profile it follows with dct:conformsTo, written as the full Dublin Core IRI.
 */
export const bioschemasDatasetProfile = 'https://bioschemas.org/profiles/Dataset/1.0-RELEASE';

/** An ontology term as a schema.org DefinedTerm with its IRI (Bioschemas: terms from ontologies, with their id). */
function definedTerm(iri: string, name: string, curie: string, termSet: string) {
  return { '@type': 'DefinedTerm', '@id': iri, name, termCode: curie, inDefinedTermSet: termSet, url: iri };
}

const methodNode = (m: string | MethodTerm) =>
  typeof m === 'string' ? m : m.iri ? definedTerm(m.iri, m.label, m.curie, termSets.FBbi) : m.label;

/**
 * The Dataset node. `downloads` are capped at `maxDownloads` (default 100) to keep the page light; the
 * complete list stays in the page and in <ACCESSION>.json.
 */
export function toJsonLd(
  view: DatasetView,
  info: CatalogueInfo,
  downloads: Download[] = [],
  measurementTechniques: (string | MethodTerm)[] = [],
  maxDownloads = 100,
  taxa: TaxonTerm[] = [],
  pictures: DatasetPictures = {},
): Record<string, unknown> {
  const identifiers = [...(view.doi ? [`https://doi.org/${view.doi}`] : []), view.accession, ...view.identifiers];
  const dataset: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'Dataset',
    '@id': view.url,
    'http://purl.org/dc/terms/conformsTo': { '@id': bioschemasDatasetProfile, '@type': 'CreativeWork' },
    name: view.title,
    description: description(view),
    url: view.url,
    identifier: identifiers.length === 1 ? identifiers[0] : identifiers,
    ...(view.origin?.url ? { sameAs: view.origin.url } : {}),
    creator: view.authors.length
      ? view.authors.map((a) => ({
          '@type': 'Person',
          name: a.name,
          ...(a.orcid ? { '@id': a.orcid, sameAs: a.orcid, identifier: a.orcid } : {}),
          ...(a.affiliations.length
            ? {
                affiliation: a.affiliations.map((f) => ({
                  '@type': 'Organization',
                  name: f.name,
                  ...(f.ror ? { sameAs: f.ror } : {}),
                })),
              }
            : {}),
        }))
      : [{ '@type': 'Organization', name: info.name, url: info.baseUrl }],
    ...(view.license ? { license: licenceUrl(view.license) } : {}),
    isAccessibleForFree: true,
    ...(view.keywords.length ? { keywords: view.keywords } : {}),
    ...(pictures.thumbnailUrl ? { thumbnailUrl: pictures.thumbnailUrl } : {}),
    ...(pictures.image ? { image: pictures.image } : {}),
    ...(measurementTechniques.length ? { measurementTechnique: measurementTechniques.map(methodNode) } : {}),
    ...(taxa.some((t) => t.iri)
      ? {
          about: taxa
            .filter((t) => t.iri)
            .map((t) => definedTerm(t.iri!, t.scientificName, t.curie, termSets.NCBITaxon)),
        }
      : {}),
    includedInDataCatalog: { '@type': 'DataCatalog', name: info.name, url: info.baseUrl },
    publisher: { '@type': 'Organization', name: info.name, url: info.baseUrl },
    ...(view.released ? { datePublished: view.released } : {}),
    ...(view.modified ? { dateModified: view.modified } : {}),
    ...(view.version ? { version: String(view.version) } : {}),
    ...(downloads.length
      ? {
          distribution: downloads.slice(0, maxDownloads).map((d) => ({
            '@type': 'DataDownload',
            name: d.name,
            contentUrl: d.contentUrl,
            ...(d.encodingFormat ? { encodingFormat: d.encodingFormat } : {}),
            ...(d.contentSize !== undefined ? { contentSize: `${d.contentSize} B` } : {}),
          })),
        }
      : {}),
    ...(view.publications.some((p) => p.doi)
      ? { citation: view.publications.filter((p) => p.doi).map((p) => `https://doi.org/${p.doi}`) }
      : {}),
  };
  addRelated(dataset, view);
  return dataset;
}

/**
 * study.related as schema.org properties (isBasedOn, isPartOf, ...), each resource by its page. A property the
 * Dataset already has (`sameAs`, `citation`) keeps its values, and the resources are added after them.
 */
function addRelated(dataset: Record<string, unknown>, view: DatasetView): void {
  for (const r of view.related ?? []) {
    const property = schemaOrgProperty(r.relationType);
    // schema.org: the range of sameAs is URL, so the page alone; the other properties take a described node.
    const node =
      property === 'sameAs'
        ? r.url
        : {
            '@id': r.url,
            url: r.url,
            identifier: r.identifier,
            ...(r.description ? { name: r.description } : {}),
          };
    const present = dataset[property];
    dataset[property] = present === undefined ? [node] : [...(Array.isArray(present) ? present : [present]), node];
  }
}

/**
 * JSON for a <script type="application/ld+json"> element. HTML ends a script element at the first "</script"
 * whatever the JSON around it (HTML Living Standard §4.12.1.3, restrictions for contents of script elements),
 * and "<!--" changes how it is parsed; escaping every <, > and & as \u003c, \u003e, \u0026 (valid JSON string
 * escapes) means no value can do either. U+2028/2029 are escaped too for older JavaScript parsers.
 */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
