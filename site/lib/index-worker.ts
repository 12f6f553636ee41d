// The second half of a build, run as its own process beside `astro build` (the other core): the machine-readable
// files and the search index, both straight from the catalogue. Prints one JSON line with what it wrote.
// Usage (by build-site.ts): node site/lib/index-worker.ts <out dir>, with SITE_* in the environment.
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { writeDataFiles } from './data-files.ts';
import { readMirrors } from './downloads.ts';
import { toPublished } from './published.ts';
import { writeSearchIndex } from './search-index.ts';
import { settingsFromEnv } from './site-config.ts';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node site/lib/index-worker.ts <out dir>\n');
  process.exit(2);
}
const settings = settingsFromEnv();
const started = performance.now();
const loaded = await loadPublishedCatalogue(settings.catalog, { today: settings.today });
const records = loaded.records.map(toPublished);
const { mirrors, warning } = await readMirrors();
if (warning) process.stderr.write(`warning: ${warning}\n`);
const data = await writeDataFiles(out, records, settings.info, mirrors);
const dataMs = performance.now() - started;
const search = await writeSearchIndex(out, records, settings.info, { log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(JSON.stringify({ records: records.length, dataFiles: data.files, dataMs: Math.round(dataMs), search, ms: Math.round(performance.now() - started) }) + '\n');
