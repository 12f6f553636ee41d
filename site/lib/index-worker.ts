// The second half of a build, run as its own process beside `astro build` (the other core): the machine-readable
// files and the search index, both from the build's snapshot of the catalogue. The Pagefind service (its own
// process) indexes while this one writes the data files. Prints one JSON line with what it wrote.
// Usage (by build-site.ts): node site/lib/index-worker.ts <out dir>, with SITE_* in the environment.
import { writeDataFiles } from './data-files.ts';
import { readMirrors } from './downloads.ts';
import { publishedRecords } from './snapshot.ts';
import { writeSearchIndex } from './search-index.ts';
import { settingsFromEnv } from './site-config.ts';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node site/lib/index-worker.ts <out dir>\n');
  process.exit(2);
}
const settings = settingsFromEnv();
const started = performance.now();
const records = await publishedRecords(settings);
const { mirrors, warning } = await readMirrors();
if (warning) process.stderr.write(`warning: ${warning}\n`);
let dataMs = 0;
const [search, data] = await Promise.all([
  writeSearchIndex(out, records, settings.info, { log: (line) => process.stderr.write(`${line}\n`) }),
  writeDataFiles(out, records, settings.info, mirrors).finally(() => (dataMs = performance.now() - started)),
]);
process.stdout.write(JSON.stringify({ records: records.length, dataFiles: data.files, dataMs: Math.round(dataMs), search, ms: Math.round(performance.now() - started) }) + '\n');
