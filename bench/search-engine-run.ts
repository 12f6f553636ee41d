// The two halves of bench/search-engine.bench.ts that need the catalogue in memory, each run as its own process:
//   node bench/search-engine-run.ts api <catalogue> <out> <shard size> <lanes>
//     builds the search index through Pagefind's Node API as the build does (site/lib/index-worker.ts: the same
//     records, labels and mirrors) and prints one JSON line: wall and CPU time of writeSearchIndex alone, its
//     shards and bytes. CPU counts this process's threads and the Pagefind service processes it started and reaped.
//   node bench/search-engine-run.ts pages <catalogue> <site>
//     writes <site>/entries/<ACCESSION>/index.html for every listed record (search-record-page.ts), the pages the
//     Pagefind CLI indexes into the same records; prints one JSON line with the count.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultCatalogueInfo } from '../catalog/exports/dataset-view.ts';
import { readMirrors } from '../site/lib/downloads.ts';
import { labelFilters, readLabels } from '../site/lib/labels.ts';
import { isListed, type PublishedRecord } from '../site/lib/published.ts';
import { toIndexedRecord, writeSearchIndex, type SearchIndexOptions } from '../site/lib/search-index.ts';
import { publishedRecords } from '../site/lib/snapshot.ts';
import { renderSearchRecordPage } from './search-record-page.ts';

/** The release day the site benchmarks publish at (bench/site.bench.ts): every generated entry is released. */
const today = '2026-01-01';
const info = defaultCatalogueInfo;

/**
 * CPU time, ms, of the reaped child processes (proc(5) /proc/self/stat fields 16 and 17, cutime and cstime, in
 * clock ticks of 1/100 s on Linux): the Pagefind services, which run as processes of their own.
 */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // Field 3 (state) is the first after the command name: cutime is field 16, cstime 17.
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
}

async function indexOptions(catalog: string, records: PublishedRecord[]): Promise<SearchIndexOptions> {
  const { mirrors } = await readMirrors();
  const labels = await readLabels(catalog, records, today);
  return { mirrors, extra: (record) => labelFilters(labels, record.accession) };
}

async function runApi(catalog: string, out: string, shardSize: number, lanes: number) {
  const records = await publishedRecords({ catalog, info, today });
  const options = await indexOptions(catalog, records);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const children = childCpuMs();
  const result = await writeSearchIndex(out, records, info, { ...options, shardSize, lanes });
  const wallMs = performance.now() - started;
  const own = process.cpuUsage(cpu);
  // A closed service is reaped a moment after close() resolves: wait for its times to be added to this process's.
  await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  const cpuMs = (own.user + own.system) / 1000 + (childCpuMs() - children);
  return { wallMs, cpuMs, shards: result.shards.length, records: result.records, bytes: result.bytes };
}

async function runPages(catalog: string, site: string) {
  const records = await publishedRecords({ catalog, info, today });
  const options = await indexOptions(catalog, records);
  let pages = 0;
  for (const record of records.filter(isListed)) {
    const folder = join(site, 'entries', record.accession);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.html'), renderSearchRecordPage(toIndexedRecord(record, info, options)));
    pages++;
  }
  return { pages };
}

const [mode, catalog, out, shardSize, lanes] = process.argv.slice(2);
if (mode === 'api' && catalog && out && Number(shardSize) > 0 && Number(lanes) > 0) {
  console.log(JSON.stringify(await runApi(resolve(catalog), resolve(out), Number(shardSize), Number(lanes))));
} else if (mode === 'pages' && catalog && out) {
  console.log(JSON.stringify(await runPages(resolve(catalog), resolve(out))));
} else {
  console.error(
    'usage: node bench/search-engine-run.ts api <catalogue> <out> <shard size> <lanes>\n' +
      '       node bench/search-engine-run.ts pages <catalogue> <site>',
  );
  process.exit(2);
}
