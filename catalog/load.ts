// Loading the catalogue for what it publishes (site, OAI-PMH, exports). Embargoed entries and submissions are
// never returned here, so no published output can leak them; records with errors are left out and reported.
import { listRecords } from './layout.ts';
import type { Problem } from './problems.ts';
import { inspectRecord, type CatalogueRecord } from './records.ts';

export interface LoadOptions {
  /** Today's date, YYYY-MM-DD (UTC). */
  today: string;
  /** Records read at once (default 32). */
  concurrency?: number;
}

export interface LoadedCatalogue {
  /** Live and withdrawn records (native entries, tombstones, harvested), sorted by accession or id. */
  records: CatalogueRecord[];
  /** How many embargoed entries were held back. */
  embargoed: number;
  /** Records left out because they have errors. */
  problems: Problem[];
}

export async function loadPublishedCatalogue(root: string, options: LoadOptions): Promise<LoadedCatalogue> {
  const { records: locations } = await listRecords(root);
  const published = locations.filter((l) => l.kind !== 'submission');
  const records: CatalogueRecord[] = [];
  const problems: Problem[] = [];
  let embargoed = 0;
  let next = 0;
  const worker = async () => {
    while (next < published.length) {
      const result = inspectRecord(root, published[next++], options.today);
      if (!result.record) {
        problems.push(...result.problems.filter((p) => p.severity === 'error'));
        continue;
      }
      if (result.record.status === 'embargoed') embargoed++;
      else records.push(result.record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 32, published.length) }, worker));
  records.sort((a, b) => (a.summary.accession < b.summary.accession ? -1 : 1));
  return { records, embargoed, problems };
}

/** One record by accession (or harvested id), whatever its status; undefined when there is none. */
export async function findRecord(root: string, accession: string, today: string) {
  const { records } = await listRecords(root);
  const location = records.find((r) => r.id === accession && r.kind !== 'submission');
  return location ? inspectRecord(root, location, today) : undefined;
}
