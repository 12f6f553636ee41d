// The second half of a build, run as its own process beside `astro build` (the other core): the machine-readable
// files and the search index, both from the build's snapshot of the catalogue. The data files are written on a
// worker thread (data-files-worker.ts) while this thread feeds the Pagefind service (its own process). Prints one
// JSON line with what it wrote. In an incremental build (build-cache.ts) it writes only the data files of the
// records whose key changed, and builds only the search shards whose records changed.
// Usage (by build-site.ts): node site/lib/index-worker.ts <out dir>, with SITE_* in the environment.
import { Worker } from 'node:worker_threads';
import { readMergedCounts } from '../../storage/usage/merged-counts.ts';
import { siteDigestFromEnv } from './build-keys.ts';
import { reportKeys, unchanged } from './build-step-keys.ts';
import { entryKeys } from './entry-keys.ts';
import { shardTargetFromEnv } from './search-shards.ts';
import type { DataFilesResult } from './data-files.ts';
import { readMirrors } from './downloads.ts';
import { countPreviews, previewSummaryLine } from './images.ts';
import { publishedRecords } from './snapshot.ts';
import { writeSearchIndex } from './search-index.ts';
import { settingsFromEnv } from './site-config.ts';
import { labelFilters, readLabels } from './labels.ts';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node site/lib/index-worker.ts <out dir>\n');
  process.exit(2);
}
const settings = settingsFromEnv();
const started = performance.now();
const records = await publishedRecords(settings);
// The process starts with the catalogue load and waits for the snapshot (snapshot.ts): its times count from here.
const ready = performance.now();
const { mirrors, warning } = await readMirrors();
if (warning) process.stderr.write(`warning: ${warning}\n`);
// A missing preview never fails the build: the page shows the image's metadata without a picture.
process.stderr.write(`${previewSummaryLine(countPreviews(records, mirrors))}\n`);
const labels = await readLabels(settings.catalog, records, settings.today);
const siteDigest = siteDigestFromEnv();
const keys = entryKeys(records, {
  siteDigest,
  labels,
  counts: (await readMergedCounts(settings.catalog)).counts,
  today: settings.today,
});
const changed = records.filter((r) => !unchanged('entries', r.accession, keys.get(r.accession)!));
let dataMs = 0;
const dataFiles = new Promise<DataFilesResult>((resolve, reject) => {
  const worker = new Worker(new URL('./data-files-worker.ts', import.meta.url), {
    workerData: {
      out,
      settings,
      mirrors,
      only: changed.length === records.length ? undefined : changed.map((r) => r.accession),
    },
  });
  worker.once('message', (result: DataFilesResult) => {
    dataMs = performance.now() - ready;
    resolve(result);
  });
  worker.once('error', reject);
  worker.once('exit', (code) => reject(new Error(`the data files worker stopped (exit ${code}) before it finished`)));
});
let searchMs = 0;
// SITE_SEARCH_LANES=N builds N shards at once (default: one per core, at most 4; search-index.ts); 1 builds them
// one after the other, for comparisons.
const lanes = /^[1-9]\d*$/.test(process.env.SITE_SEARCH_LANES ?? '')
  ? Number(process.env.SITE_SEARCH_LANES)
  : undefined;
const searched = writeSearchIndex(out, records, settings.info, {
  lanes,
  extra: (record) => labelFilters(labels, record.accession),
  mirrors,
  shardTarget: shardTargetFromEnv(),
  keyOf: (record) => keys.get(record.accession)!,
  siteDigest,
  log: (line) => process.stderr.write(`${line}\n`),
}).then((result) => {
  searchMs = performance.now() - ready;
  return result;
});
const [search, data] = await Promise.all([searched, dataFiles]);
reportKeys('index', { entries: Object.fromEntries(keys), shards: search.keys, sitemap: data.sitemap });
process.stdout.write(
  JSON.stringify({
    records: records.length,
    changed: changed.length,
    dataFiles: data.files,
    dataMs: Math.round(dataMs),
    searchMs: Math.round(searchMs),
    search: { records: search.records, shards: search.shards, built: search.built, bytes: search.bytes },
    ms: Math.round(performance.now() - started),
  }) + '\n',
);
