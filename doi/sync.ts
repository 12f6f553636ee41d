// Keeps the DOIs of entries in step with the catalogue: an entry without a DOI gets one (a draft first, recorded in
// entry.yaml, then made findable once the entry is public); an entry with one has its metadata and landing page
// sent again. A withdrawn entry keeps its DOI findable, resolving to the tombstone page (DataCite: a DOI is never
// deleted once findable; its metadata says the resource was withdrawn).
import { doiFor, writeEntryDoi } from '../catalog/doi.ts';
import { renderDataciteXml } from '../catalog/exports/datacite-xml.ts';
import { toDatasetView, type CatalogueInfo } from '../catalog/exports/dataset-view.ts';
import { listRecords, type RecordLocation } from '../catalog/layout.ts';
import { inspectRecord } from '../catalog/records.ts';
import type { DataciteClient } from './datacite-client.ts';

export interface DoiSyncOptions {
  client: DataciteClient;
  /** The repository's DOI prefix, e.g. `10.80000`. */
  prefix: string;
  /** The published site: its base URL makes each landing page. */
  info: CatalogueInfo;
  /** YYYY-MM-DD in UTC: an entry released later (embargoed) stays a draft. */
  today: string;
}

export interface DoiSyncResult {
  accession: string;
  doi: string;
  /** What was done: a DOI created (and made findable, or left a draft under embargo), or its metadata sent again. */
  action: 'created' | 'created-draft' | 'updated' | 'skipped';
  state?: string;
}

/** Registers or updates the DOI of each accession, one after the other; a DataCite refusal stops at that one. */
export async function syncDois(root: string, accessions: readonly string[], options: DoiSyncOptions) {
  // The catalogue is listed once: a sync of every entry reads each folder once, not once per entry.
  const { records } = await listRecords(root);
  const locations = new Map(records.filter((r) => r.kind !== 'submission').map((r) => [r.id, r]));
  const results: DoiSyncResult[] = [];
  for (const accession of accessions) results.push(await syncDoi(root, accession, locations.get(accession), options));
  return results;
}

async function syncDoi(
  root: string,
  accession: string,
  location: RecordLocation | undefined,
  options: DoiSyncOptions,
): Promise<DoiSyncResult> {
  const record = location ? inspectRecord(root, location, options.today).record : undefined;
  if (!record || record.kind === 'harvested') return { accession, doi: '', action: 'skipped' };
  const existing = record.data.doi;
  const doi = existing ?? doiFor(options.prefix, accession);
  const view = { ...toDatasetView(record, options.info), doi };
  const metadata = { url: view.url, xml: renderDataciteXml(view, options.info) };
  const isPublic = record.status !== 'embargoed';
  if (!existing) {
    // A tombstone without a DOI never had one: nothing to keep resolvable.
    if (record.kind === 'tombstone') return { accession, doi: '', action: 'skipped' };
    const draft = await options.client.createDraft(doi, metadata);
    // Recorded as soon as DataCite holds it: a failure below leaves a draft that the next run makes findable.
    await writeEntryDoi(root, accession, doi);
    if (!isPublic) return { accession, doi, action: 'created-draft', state: draft.state };
    const published = await options.client.publish(doi, metadata);
    return { accession, doi, action: 'created', state: published.state };
  }
  const sent = isPublic ? await options.client.publish(doi, metadata) : await options.client.update(doi, metadata);
  return { accession, doi, action: 'updated', state: sent.state };
}
