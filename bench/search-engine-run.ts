// The two halves of bench/search-engine.bench.ts that need the catalogue in memory, each run as its own process:
//   node bench/search-engine-run.ts api <catalogue> <out> <shard size> <lanes>
//     builds the search index through Pagefind's Node API as the build does (site/lib/index-worker.ts: the same
//     records, labels and mirrors) and prints one JSON line: wall and CPU time of writeSearchIndex alone, its
//     shards and bytes. CPU counts this process's threads and the Pagefind service processes it started
//     (serviceCpuMs: those alone).
//   node bench/search-engine-run.ts pages <catalogue> <site>
//     writes <site>/entries/<ACCESSION>/index.html for every listed record (search-record-page.ts), the pages the
//     Pagefind CLI indexes into the same records; prints one JSON line with the count and the time of the writing.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Clock ticks per second of proc(5)'s times: USER_HZ, 100 on Linux. */
const ticksPerSecond = 100;

/** Fields 3 on of a proc(5) stat line: the command name before them may hold spaces, but ends with ') '. */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
/** Field `n` (1-based, as proc(5) numbers them) of a stat line's fields 3 on, in ms when it is a time. */
const ticksMs = (fields: string[], n: number) => (Number(fields[n - 3]) * 1000) / ticksPerSecond;

const readOrEmpty = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/**
 * CPU time, ms, of the child processes (the Pagefind services): those reaped (this process's cutime and cstime,
 * fields 16 and 17) and those not (yet: their utime, stime, cutime and cstime). A service started by a lane's
 * worker thread stays unreaped once that thread has ended, until this process exits; its stat stays readable.
 */
function childCpuMs(): number {
  const own = statFields(readFileSync('/proc/self/stat', 'utf8'));
  let ms = ticksMs(own, 16) + ticksMs(own, 17);
  for (const thread of readdirSync('/proc/self/task'))
    for (const pid of readOrEmpty(`/proc/self/task/${thread}/children`).split(' ').filter(Boolean)) {
      const stat = readOrEmpty(`/proc/${pid}/stat`);
      if (stat) ms += [14, 15, 16, 17].reduce((sum, n) => sum + ticksMs(statFields(stat), n), 0);
    }
  return ms;
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
  const result = await writeSearchIndex(out, records, info, { ...options, shardTarget: shardSize, lanes });
  const wallMs = performance.now() - started;
  const own = process.cpuUsage(cpu);
  // A closed service ends a moment after close() resolves: wait for its last times.
  await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  const serviceCpuMs = childCpuMs() - children;
  const cpuMs = (own.user + own.system) / 1000 + serviceCpuMs;
  return { wallMs, cpuMs, serviceCpuMs, shards: result.shards, records: result.records, bytes: result.bytes };
}

async function runPages(catalog: string, site: string) {
  const records = await publishedRecords({ catalog, info, today });
  const options = await indexOptions(catalog, records);
  let pages = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (const record of records.filter(isListed)) {
    const folder = join(site, 'entries', record.accession);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'index.html'), renderSearchRecordPage(toIndexedRecord(record, info, options)));
    pages++;
  }
  const used = process.cpuUsage(cpu);
  return { pages, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
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
