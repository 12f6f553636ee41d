// The linked-data documents of a live entry, computed once for the page (JSON-LD, <link> elements) and the data
// files beside it (dataset.jsonld, ro-crate-metadata.json, linkset.json), so that the two always agree.
import { entryUrl, type CatalogueInfo, type DatasetView } from '../../catalog/exports/dataset-view.ts';
import { bioschemasDatasetProfile, toJsonLd, type DatasetPictures } from '../../catalog/exports/json-ld.ts';
import {
  entrySignposts,
  linksetFileName,
  toLinkset,
  type Linkset,
  type Signpost,
} from '../../catalog/exports/linkset.ts';
import { relatedIdentifiersOf } from '../../catalog/exports/related-identifiers.ts';
import { roCrateFileName, toRoCrate, type CrateRelation } from '../../catalog/exports/ro-crate.ts';
import { studyTerms } from '../../catalog/exports/study-terms.ts';
import { citationFiles } from './citation-files.ts';
import type { Mirror } from '../../schemas/index.ts';
import type { Downloads } from './downloads.ts';
import { recordImages } from './images.ts';
import { asCatalogueRecord, type PublishedRecord } from './published.ts';

/** Names of the linked-data files in each entry's folder. */
export const linkedDataFiles = {
  jsonLd: 'dataset.jsonld',
  roCrate: roCrateFileName,
  linkset: linksetFileName,
} as const;

/** What a record adds to its linked data besides its view: a DOI, its pictures, typed related identifiers. */
export interface LinkedDataExtras {
  doi?: string;
  thumbnailUrls?: string[];
  /** The representative image's thumbnail and preview (JSON-LD `thumbnailUrl` and `image`). */
  pictures?: DatasetPictures;
  relatedIdentifiers?: CrateRelation[];
}

/**
 * The extras a record carries: its DOI and typed cross-references (entries only), and the pictures of its
 * representative image on the first public mirror (when its previews exist).
 */
export function linkedDataExtras(record: PublishedRecord, mirrors: readonly Mirror[] = []): LinkedDataExtras {
  if (record.kind === 'tombstone') return {};
  const picture = recordImages(record, mirrors).representative;
  const pictures: DatasetPictures = {
    ...(picture?.thumbnail ? { thumbnailUrl: picture.thumbnail.url } : {}),
    ...(picture?.preview ? { image: picture.preview.url } : {}),
  };
  return {
    ...(record.kind === 'entry' && record.data.doi ? { doi: record.data.doi } : {}),
    ...(pictures.thumbnailUrl ? { thumbnailUrls: [pictures.thumbnailUrl] } : {}),
    pictures,
    ...(record.kind === 'entry' ? { relatedIdentifiers: relatedIdentifiersOf(record.data) } : {}),
  };
}

export interface EntryLinkedData {
  jsonLd: Record<string, unknown>;
  roCrate: ReturnType<typeof toRoCrate>;
  signposts: Signpost[];
  linkset: Linkset;
}

/** The address of a file in an entry's folder. */
export const entryFileUrl = (info: CatalogueInfo, accession: string, name: string): string =>
  entryUrl(info, accession) + name;

export function entryLinkedData(
  record: PublishedRecord,
  view: DatasetView,
  info: CatalogueInfo,
  downloads: Downloads,
  extras: LinkedDataExtras = linkedDataExtras(record),
): EntryLinkedData {
  const catalogueRecord = asCatalogueRecord(record);
  const terms = studyTerms(catalogueRecord);
  const files = downloads.files.map((f) => ({
    path: f.path,
    size: f.size,
    sha256: f.sha256,
    format: f.format,
    url: f.url,
  }));
  const jsonLd = toJsonLd(
    view,
    info,
    files
      .filter((f) => f.url)
      .map((f) => ({ name: f.path, contentUrl: f.url!, encodingFormat: f.format, contentSize: f.size })),
    terms.methods,
    100,
    terms.taxa,
    extras.pictures,
  );
  const roCrate = toRoCrate(catalogueRecord, view, info, { files, ...extras });
  const url = (name: string) => entryFileUrl(info, record.accession, name);
  const signposts = entrySignposts({
    view,
    info,
    doi: extras.doi,
    metadata: [
      { href: url(linkedDataFiles.jsonLd), type: 'application/ld+json', profile: bioschemasDatasetProfile },
      { href: url(linkedDataFiles.roCrate), type: 'application/ld+json', profile: 'https://w3id.org/ro/crate' },
      {
        href: url(citationFiles.datacite),
        type: 'application/vnd.datacite.datacite+xml',
        profile: 'http://datacite.org/schema/kernel-4',
      },
    ],
    files,
    linkset: url(linkedDataFiles.linkset),
  });
  return { jsonLd, roCrate, signposts, linkset: toLinkset(view.url, signposts) };
}
