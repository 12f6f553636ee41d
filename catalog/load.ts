// Loading the catalogue for what it publishes (site, OAI-PMH, exports). Embargoed entries and submissions are
// never returned here, so no published output can leak them; records with errors are left out and reported.
import { inSlices, threadsFor } from './slices.ts';
import { listRecords, type RecordLocation } from './layout.ts';
import type { Problem } from './problems.ts';
import { inspectRecord, type CatalogueRecord, type Status } from './records.ts';

export interface LoadOptions {
  /** Today's date, YYYY-MM-DD (UTC). */
  today: string;
  /**
   * Worker threads that read and validate records (default 1: the calling thread). With more, each thread
   * takes a contiguous slice of the records.
   */
  threads?: number;
}

export interface LoadedCatalogue {
  /** Live and withdrawn records (native entries, tombstones, harvested), sorted by accession or id. */
  records: CatalogueRecord[];
  /** How many embargoed entries were held back. */
  embargoed: number;
  /** Records left out because they have errors. */
  problems: Problem[];
}

/**
 * One published record as a line of JSON: `{kind, accession, status, summary, manifest?, data}`, without the
 * record's location on disk (machine-specific paths never belong in a published file).
 */
export interface PublishedLine {
  accession: string;
  /** 'live' or 'withdrawn' (never 'embargoed'). */
  status: Status;
  /** JSON of the record, no line break inside. */
  json: string;
  location: RecordLocation;
}

export interface LoadedLines {
  /** Live and withdrawn records, sorted by accession or id (the same order as loadPublishedCatalogue's). */
  lines: PublishedLine[];
  embargoed: number;
  problems: Problem[];
}

/** The JSON line of a published record (see PublishedLine). */
export function toPublishedJson(record: CatalogueRecord): string {
  if (record.status === 'embargoed' || record.kind === 'submission')
    throw new Error(`${record.summary.accession} is not published (${record.status})`);
  return JSON.stringify({
    kind: record.kind,
    accession: record.summary.accession,
    status: record.status,
    summary: record.summary,
    manifest: record.manifest,
    data: record.data,
  });
}

/** Inspects a slice of locations on this thread; what a load worker runs. */
export function inspectPublishedSlice(root: string, today: string, locations: readonly RecordLocation[]): LoadedLines {
  const lines: PublishedLine[] = [];
  const problems: Problem[] = [];
  let embargoed = 0;
  for (const location of locations) {
    if (location.kind === 'submission') continue;
    const result = inspectRecord(root, location, today);
    if (!result.record) {
      problems.push(...result.problems.filter((p) => p.severity === 'error'));
      continue;
    }
    if (result.record.status === 'embargoed') embargoed++;
    else
      lines.push({
        accession: result.record.summary.accession,
        status: result.record.status,
        json: toPublishedJson(result.record),
        location,
      });
  }
  return { lines, embargoed, problems };
}

export async function loadPublishedLines(
  root: string,
  options: { today: string; threads?: number },
): Promise<LoadedLines> {
  const { records: locations } = await listRecords(root);
  const published = locations.filter((l) => l.kind !== 'submission');
  const count = threadsFor(published.length, options.threads);
  const slices =
    count <= 1
      ? [inspectPublishedSlice(root, options.today, published)]
      : await inSlices<RecordLocation, LoadedLines>(new URL('./load-worker.ts', import.meta.url), published, count, {
          root,
          today: options.today,
        });
  const lines = slices
    .flatMap((s) => s.lines)
    .sort((a, b) => (a.accession < b.accession ? -1 : a.accession > b.accession ? 1 : 0));
  return { lines, embargoed: slices.reduce((n, s) => n + s.embargoed, 0), problems: slices.flatMap((s) => s.problems) };
}

export async function loadPublishedCatalogue(root: string, options: LoadOptions): Promise<LoadedCatalogue> {
  const loaded = await loadPublishedLines(root, { today: options.today, threads: options.threads ?? 1 });
  const records = loaded.lines.map((line) => {
    const { accession: _accession, ...record } = JSON.parse(line.json) as CatalogueRecord & { accession: string };
    return { ...record, location: line.location } as CatalogueRecord;
  });
  return { records, embargoed: loaded.embargoed, problems: loaded.problems };
}

/** One record by accession (or harvested id), whatever its status; undefined when there is none. */
export async function findRecord(root: string, accession: string, today: string) {
  const { records } = await listRecords(root);
  const location = records.find((r) => r.id === accession && r.kind !== 'submission');
  return location ? inspectRecord(root, location, today) : undefined;
}
