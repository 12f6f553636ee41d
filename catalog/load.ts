// Loading the catalogue for what it publishes (site, OAI-PMH, exports). Embargoed entries and submissions are
// never returned here, so no published output can leak them; records with errors are left out and reported.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { inSlices, threadsFor } from './slices.ts';
import { listRecords, type RecordLocation } from './layout.ts';
import type { Problem } from './problems.ts';
import { inspectRecord, statusOf, type CatalogueRecord, type Status } from './records.ts';

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
  /** What this load found for each record without errors, by its document's path relative to the catalogue. */
  sources: Record<string, KnownSource>;
}

/**
 * What a load found for the files of one record, so that a later load (an incremental build, site/lib/
 * build-cache.ts) takes the record's line from its own earlier output instead of reading and validating the
 * record again, while its files have the same bytes. Records with errors are never known: they are checked again.
 */
export interface KnownSource {
  /** SHA-256 of the record's document and manifest (sourceDigest). */
  digest: string;
  accession: string;
  status: Status;
  /** An entry's release date: its status depends on the day of the load (records.ts statusOf). */
  releaseDate?: string;
}

/** An earlier load's findings, and its lines by accession (the lines of live and withdrawn records). */
export interface LoadMemo {
  sources: Readonly<Record<string, KnownSource>>;
  lineOf: (accession: string) => string | undefined;
}

/** SHA-256 of a record's document and manifest, each with its length so that bytes cannot move between them. */
function sourceDigest(location: RecordLocation): string {
  const hash = createHash('sha256');
  for (const file of [location.file, location.manifest]) {
    if (!file) continue;
    const bytes = readFileSync(file);
    hash.update(`${bytes.length}:`).update(bytes);
  }
  return hash.digest('hex');
}

/** A record of a slice: its line, or (known unchanged) only its accession, whose line the memo holds. */
type SliceLine = PublishedLine | { accession: string; status: Status; reused: true; location: RecordLocation };

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

interface SliceResult extends Omit<LoadedLines, 'lines'> {
  lines: SliceLine[];
}

/**
 * Inspects a slice of locations on this thread; what a load worker runs. A record whose files hash as in `known`
 * and whose status on `today` is the one known is not inspected again.
 */
export function inspectPublishedSlice(
  root: string,
  today: string,
  locations: readonly RecordLocation[],
  known: Readonly<Record<string, KnownSource>> = {},
): SliceResult {
  const lines: SliceLine[] = [];
  const problems: Problem[] = [];
  const sources: Record<string, KnownSource> = {};
  let embargoed = 0;
  for (const location of locations) {
    if (location.kind === 'submission') continue;
    const path = relative(root, location.file);
    let digest: string | undefined;
    try {
      digest = sourceDigest(location);
    } catch {
      // Unreadable: inspectRecord says why.
    }
    const before = known[path];
    if (digest && before?.digest === digest) {
      const status = before.releaseDate === undefined ? before.status : statusOf('entry', { study: before }, today);
      if (status === before.status) {
        sources[path] = before;
        if (status === 'embargoed') embargoed++;
        else lines.push({ accession: before.accession, status, reused: true, location });
        continue;
      }
    }
    const result = inspectRecord(root, location, today);
    if (!result.record) {
      problems.push(...result.problems.filter((p) => p.severity === 'error'));
      continue;
    }
    const { record } = result;
    const releaseDate = record.kind === 'entry' ? record.data.study.releaseDate : undefined;
    if (digest)
      sources[path] = {
        digest,
        accession: record.summary.accession,
        status: record.status,
        ...(releaseDate ? { releaseDate } : {}),
      };
    if (record.status === 'embargoed') embargoed++;
    else
      lines.push({
        accession: record.summary.accession,
        status: record.status,
        json: toPublishedJson(record),
        location,
      });
  }
  return { lines, embargoed, problems, sources };
}

export async function loadPublishedLines(
  root: string,
  options: { today: string; threads?: number; memo?: LoadMemo },
): Promise<LoadedLines> {
  const { records: locations } = await listRecords(root);
  const published = locations.filter((l) => l.kind !== 'submission');
  const count = threadsFor(published.length, options.threads);
  const known = options.memo?.sources ?? {};
  const slices =
    count <= 1
      ? [inspectPublishedSlice(root, options.today, published, known)]
      : await inSlices<RecordLocation, SliceResult>(new URL('./load-worker.ts', import.meta.url), published, count, {
          root,
          today: options.today,
          known,
        });
  const lines: PublishedLine[] = [];
  const sources: Record<string, KnownSource> = {};
  const problems: Problem[] = [];
  let embargoed = 0;
  for (const slice of slices) {
    for (const line of slice.lines) {
      if (!('reused' in line)) {
        lines.push(line);
        continue;
      }
      const json = options.memo?.lineOf(line.accession);
      // A memo without the line (its snapshot was lost): the record is read again.
      if (json !== undefined)
        lines.push({ accession: line.accession, status: line.status, json, location: line.location });
      else {
        const again = inspectPublishedSlice(root, options.today, [line.location]);
        lines.push(...(again.lines as PublishedLine[]));
        problems.push(...again.problems);
        Object.assign(sources, again.sources);
        continue;
      }
    }
    Object.assign(sources, slice.sources);
    problems.push(...slice.problems);
    embargoed += slice.embargoed;
  }
  lines.sort((a, b) => (a.accession < b.accession ? -1 : a.accession > b.accession ? 1 : 0));
  return { lines, embargoed, problems, sources };
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
