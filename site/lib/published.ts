// What the site gets of each published record: the document, its manifest and its status, without the
// machine-specific file locations that CatalogueRecord carries (they must never reach the output).
import type { Entry, HarvestedRecord, Manifest, Tombstone } from '../../schemas/index.ts';
import type { CatalogueRecord, RecordSummary } from '../../catalog/records.ts';
import type { LastGood } from './released.ts';

export type PublishedRecord = (
  | { kind: 'entry'; data: Entry }
  | { kind: 'tombstone'; data: Tombstone }
  | { kind: 'harvested'; data: HarvestedRecord }
) & {
  accession: string;
  status: 'live' | 'withdrawn';
  summary: RecordSummary;
  manifest?: Manifest;
  /** Set when the current entry has errors and an earlier version is published instead (released.ts). */
  lastGood?: LastGood;
};

export function toPublished(record: CatalogueRecord): PublishedRecord {
  if (record.status === 'embargoed' || record.kind === 'submission') {
    // loadPublishedCatalogue never returns these; the check stays so that no other caller can leak one.
    throw new Error(`${record.summary.accession} is not published (${record.status})`);
  }
  return {
    kind: record.kind,
    data: record.data,
    accession: record.summary.accession,
    status: record.status,
    summary: record.summary,
    manifest: record.manifest,
  } as PublishedRecord;
}

/** Back to the shape catalog/exports reads (location is not used by exports). */
export function asCatalogueRecord(record: PublishedRecord): CatalogueRecord {
  return {
    kind: record.kind,
    data: record.data,
    manifest: record.manifest,
    status: record.status,
    summary: record.summary,
    location: { kind: record.kind, id: record.accession, file: '', folder: '' },
  } as CatalogueRecord;
}

/** A live record with content: a native entry or a harvested record that is not deleted. */
export const isListed = (record: PublishedRecord): boolean => record.status === 'live' && record.kind !== 'tombstone';
