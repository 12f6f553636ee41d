// One view of a published record for every export (citation formats, schema.org, feeds): native entries and
// harvested records have the same study fields, but harvested ones may lack any of them, so each export reads
// this view instead of guessing at the raw document.
import type { Author, HarvestedRecord, Link, Publication } from '../../schemas/index.ts';
import { isPublishableUrl } from '../publishable-url.ts';
import type { CatalogueRecord } from '../records.ts';
import { relatedIdentifiersOf, type RelatedIdentifier } from './related-identifiers.ts';

/** Who publishes the catalogue, for citations and schema.org `includedInDataCatalog`. */
export interface CatalogueInfo {
  /** Name of the catalogue (default "Bioimage Catalogue"). */
  name: string;
  /** Absolute base URL of the published site, ending with a slash, e.g. https://example.org/. */
  baseUrl: string;
}

export const defaultCatalogueInfo: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'http://localhost:4321/' };

export interface DatasetAuthor {
  name: string;
  /** Full ORCID URL, https://orcid.org/0000-... */
  orcid?: string;
  affiliations: { name: string; ror?: string }[];
}

export interface DatasetView {
  accession: string;
  title: string;
  description: string;
  authors: DatasetAuthor[];
  /** SPDX id, when known. */
  license?: string;
  keywords: string[];
  /** YYYY-MM-DD of the first release, when known. */
  released?: string;
  /** YYYY-MM-DD of the newest version, when known. */
  modified?: string;
  version?: number;
  /** Canonical page of the record on this catalogue. */
  url: string;
  publications: Publication[];
  links: Link[];
  /** Partner and landing page of a harvested record. */
  origin?: { partner: string; identifier: string; url?: string };
  /** DOIs and other identifiers the record states (harvested records). */
  identifiers: string[];
  withdrawn?: { date: string; reason: string; replacedBy?: string };
  /** The DOI registered for the record (`10.x/y`, without https://doi.org/), when it has one. */
  doi?: string;
  /** Typed cross-references to other archives (study.related). */
  related?: RelatedIdentifier[];
}

const orcidPrefix = 'https://orcid.org/';
const orcidUrl = (orcid: string | undefined) =>
  orcid ? (orcid.startsWith(orcidPrefix) ? orcid : orcidPrefix + orcid) : undefined;
const rorUrl = (ror: string | undefined) =>
  ror ? (ror.startsWith('https://') ? ror : `https://ror.org/${ror}`) : undefined;

// `new URL('entries/', base)` per base URL: every export of every record asks for its page.
const entriesBase = new Map<string, string>();

/** The page of an accession: <baseUrl>entries/<ACCESSION>/ */
export function entryUrl(info: CatalogueInfo, accession: string): string {
  const segment = encodeURIComponent(accession);
  // A segment of dots would be resolved as a path step (WHATWG URL): only new URL gives that right.
  if (/^\.*$/.test(segment)) return new URL(`entries/${segment}/`, info.baseUrl).href;
  let base = entriesBase.get(info.baseUrl);
  if (base === undefined) {
    base = new URL('entries/', info.baseUrl).href;
    entriesBase.set(info.baseUrl, base);
  }
  // encodeURIComponent leaves nothing that a URL path would escape or resolve: the same text new URL would give.
  return `${base}${segment}/`;
}

function authorsOf(
  authors: Author[] | undefined,
  affiliations: { id: string; name: string; ror?: string }[] | undefined,
): DatasetAuthor[] {
  const byId = new Map((affiliations ?? []).map((a) => [a.id, a]));
  return (authors ?? []).map((a) => ({
    name: a.name,
    orcid: orcidUrl(a.orcid),
    affiliations: (a.affiliations ?? []).flatMap((id) => {
      const found = byId.get(id);
      return found ? [{ name: found.name, ror: rorUrl(found.ror) }] : [];
    }),
  }));
}

/** The view of a live or withdrawn record. */
export function toDatasetView(record: CatalogueRecord, info: CatalogueInfo): DatasetView {
  const accession = record.summary.accession;
  const url = entryUrl(info, accession);
  if (record.kind === 'tombstone') {
    const t = record.data;
    const versions = t.versions ?? [];
    return {
      accession,
      title: t.title,
      description: `Withdrawn on ${t.withdrawn.date}: ${t.withdrawn.reason}`,
      authors: [],
      keywords: [],
      url,
      released: versions[0]?.date,
      modified: t.withdrawn.date,
      version: versions[versions.length - 1]?.version,
      publications: [],
      links: [],
      identifiers: [],
      withdrawn: t.withdrawn,
      ...(t.doi ? { doi: t.doi } : {}),
    };
  }
  if (record.kind === 'harvested') {
    const h: HarvestedRecord = record.data;
    const s = h.study;
    return {
      accession,
      title: s.title,
      description: s.description ?? '',
      authors: authorsOf(s.authors, s.affiliations),
      license: s.license,
      keywords: s.keywords ?? [],
      released: s.releaseDate,
      modified: h.origin.datestamp.slice(0, 10),
      version: h.version,
      url,
      publications: s.publications ?? [],
      links: s.links ?? [],
      identifiers: s.identifiers ?? [],
      // Only an http(s) URL is published (a record written before the check may still hold another scheme).
      origin: {
        partner: h.origin.partner,
        identifier: h.origin.identifier,
        url: isPublishableUrl(h.origin.url) ? h.origin.url : undefined,
      },
      ...(h.deleted
        ? {
            withdrawn: {
              date: h.deleted.datestamp.slice(0, 10),
              reason: 'The partner archive reports this record deleted.',
            },
          }
        : {}),
    };
  }
  const e = record.data;
  const versions = e.versions ?? [];
  return {
    accession,
    title: e.study.title,
    description: e.study.description,
    authors: authorsOf(e.study.authors, e.study.affiliations),
    license: e.study.license,
    keywords: e.study.keywords,
    released: versions[0]?.date ?? e.study.releaseDate,
    modified: versions[versions.length - 1]?.date ?? e.study.releaseDate,
    version: e.version,
    url,
    publications: e.study.publications ?? [],
    links: e.study.links ?? [],
    identifiers: [],
    ...(e.doi ? { doi: e.doi } : {}),
    related: relatedIdentifiersOf(e),
  };
}

/** Year of first release, for citations; undefined when unknown. */
export const yearOf = (view: DatasetView): number | undefined =>
  view.released ? Number(view.released.slice(0, 4)) : undefined;

/** "Family, Given" from "Given Family" (citation formats want the family name first; a single word stays whole). */
export function splitName(name: string): { family: string; given: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { family: name.trim(), given: '' };
  return { family: parts[parts.length - 1], given: parts.slice(0, -1).join(' ') };
}
