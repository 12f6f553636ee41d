// A worker thread of the index worker: writes the data files (data-files.ts) from the build's snapshot, so that
// the index worker's main thread stays free to keep the Pagefind service fed. Its file writes are synchronous
// and would otherwise hold up the pipe to the service between event-loop turns.
import { parentPort, workerData } from 'node:worker_threads';
import type { Mirror } from '../../schemas/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexDumpLines, writeDataFiles, type EarlierDataFiles } from './data-files.ts';
import { previousKeys } from './build-step-keys.ts';
import { publishedRecords } from './snapshot.ts';
import type { SiteSettings } from './site-config.ts';

const { out, settings, mirrors, only } = workerData as {
  out: string;
  settings: SiteSettings;
  mirrors: Mirror[];
  /** The accessions whose own files are written (undefined: all). */
  only?: string[];
};
const records = await publishedRecords(settings);
parentPort!.postMessage(
  await writeDataFiles(out, records, settings.info, mirrors, only && new Set(only), earlierDataFiles()),
);

/** The previous build's dump and sitemap entries (SITE_PREVIOUS_SITE: the site an incremental build updates). */
function earlierDataFiles(): EarlierDataFiles | undefined {
  const site = process.env.SITE_PREVIOUS_SITE;
  const sitemap = previousKeys()?.sitemap;
  if (!site || !sitemap) return undefined;
  try {
    return { lineOf: indexDumpLines(readFileSync(join(site, 'catalogue.jsonl'))), sitemap };
  } catch {
    return undefined;
  }
}
