// The build's one reading of the catalogue, handed to both processes of a build (Astro and the index worker):
// a JSON Lines file of the published records in accession order, written once by build-site.ts from catalog/'s
// loadPublishedLines (validation on worker threads; embargoed entries and submissions are never in it) and
// parsed by each process, instead of each reading and validating the YAML again.
import { hash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { loadPublishedCatalogue, type PublishedLine } from '../../catalog/load.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { rememberRecordDigest } from './build-keys.ts';
import { toPublished, type PublishedRecord } from './published.ts';
import type { SiteSettings } from './site-config.ts';

/**
 * Writes the lines (already sorted) to `file`, in blocks of about 4 MB, through a temporary name renamed at the
 * end: the build's two processes start before the snapshot exists and wait for it (waitForSnapshot), so they
 * must never see it half-written.
 */
export function writeSnapshot(file: string, lines: readonly PublishedLine[]): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let block: string[] = [];
    let size = 0;
    for (const line of lines) {
      block.push(line.json);
      size += line.json.length;
      if (size >= 4_000_000) {
        writeSync(fd, block.join('\n') + '\n');
        block = [];
        size = 0;
      }
    }
    if (block.length) writeSync(fd, block.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}

/** How often a waiting process looks for the snapshot, in milliseconds. */
const snapshotPollMs = 20;

/**
 * Waits until the snapshot exists. `catalogue build` starts Astro and the index worker while it still reads the
 * catalogue, so that their start-up (Vite's build of the site, about 2 s of CPU) overlaps the reading; they wait
 * here for the records. The build kills them if reading fails; should the build itself die, this process is
 * reparented (its parent id changes) and gives up rather than waiting forever.
 */
export async function waitForSnapshot(file: string): Promise<void> {
  const parent = process.ppid;
  while (!existsSync(file)) {
    if (process.ppid !== parent) throw new Error(`the build that was to write ${file} has stopped`);
    await new Promise((resolve) => setTimeout(resolve, snapshotPollMs));
  }
}

/**
 * The records of a snapshot. A record that is not live or withdrawn is refused: the snapshot is a temporary
 * file, and this check keeps anything else from ever reaching a page even if it were tampered with.
 */
export function readSnapshot(file: string): PublishedRecord[] {
  // As bytes, one line decoded at a time: at 100k records the whole file as one string would come near V8's
  // limit on string length (about 512 MB).
  const bytes = readFileSync(file);
  const records: PublishedRecord[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      const line = bytes.subarray(start, end);
      const record = JSON.parse(line.toString('utf8')) as PublishedRecord;
      if (record.status !== 'live' && record.status !== 'withdrawn')
        throw new Error(
          `the build snapshot holds ${record.accession} as ${String(record.status)}, which is never published`,
        );
      rememberRecordDigest(record, hash('sha256', line, 'hex'));
      records.push(record);
    }
    start = end + 1;
  }
  return records;
}

/**
 * The published records of a build: the snapshot when `catalogue build` made one, else (Astro run by hand)
 * the catalogue itself through loadPublishedCatalogue. Problems go to `warn`.
 */
export async function publishedRecords(
  settings: SiteSettings,
  warn: (line: string) => void = () => {},
): Promise<PublishedRecord[]> {
  if (settings.snapshot) {
    if (settings.snapshotPending) await waitForSnapshot(settings.snapshot);
    return readSnapshot(settings.snapshot);
  }
  const loaded = await loadPublishedCatalogue(settings.catalog, { today: settings.today });
  for (const problem of loaded.problems.slice(0, 50)) warn(formatProblem(problem));
  return loaded.records.map(toPublished);
}
