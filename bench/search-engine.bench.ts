// The search index two ways on the same generated catalogue in one run: Pagefind's Node API over custom records
// as the build makes it (site/lib/search-index.ts writeSearchIndex, all lanes), against the Pagefind CLI over HTML
// pages that carry the same words, meta, filters and sort as data-pagefind-* attributes (search-record-page.ts),
// its shards chosen by --glob over accession ranges, run as one process and as two at once (2 cores). Shard sizes:
// 25,000, and the 5,000 and 2,000 that an incremental build keeps (the API's shards are cut by content,
// search-shards.ts, so its sizes are averages).
// Then the CLI over the build's own entry pages as they are (no attributes: whole pages), and the hits of both
// bundles compared in Chromium.
// Sizes: 10k entries; --quick: 1k. SEARCH_ENGINE_BENCH_ENTRIES=N chooses.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The folder of the CLI's shard `i` (0-based), named as the build names its first shard. */
const shardFolder = (i: number) => (i === 0 ? 'pagefind' : `pagefind-s${i + 1}`);
import { compareHits, type SearchQuery } from './search-engine-hits.ts';
import { formatBytes, formatSeconds, removeAfterRun, type Benchmark, type BenchRow } from './harness.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'cli/catalogue.mjs');
const runner = join(root, 'bench/search-engine-run.ts');
const pagefindBin = join(root, 'node_modules/.bin/pagefind');
const section = 'Search index: Pagefind CLI against the Node API';
/** Processes or lanes at once: the benchmark machine's cores. */
const parallel = 2;

interface Timing {
  wallMs: number;
  /** User and system time of the process and every child it waited for, ms. */
  cpuMs: number;
  peakRssBytes: number | null;
}

/** Runs a command under GNU time (`/usr/bin/time`, Debian package `time`): wall, CPU with children, peak RSS. */
async function timeCommand(command: string, args: string[]): Promise<Timing & { stdout: string }> {
  if (!existsSync('/usr/bin/time')) throw new Error('GNU time is missing: apt-get install -y time');
  const scratch = await mkdtemp(join(tmpdir(), 'search-engine-time-'));
  const report = join(scratch, 'time');
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', report, command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 2 ** 20,
  });
  const wallMs = performance.now() - started;
  const [user, system, rssKb] = (await readFile(report, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
  await rm(scratch, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ').slice(0, 200)} failed (exit ${run.status})`);
  return { wallMs, cpuMs: (user + system) * 1000, peakRssBytes: rssKb * 1024, stdout: run.stdout };
}

/** Bytes of every file under `folders`, and of the index files alone (no scripts, styles or wasm). */
async function bundleSize(folders: string[]): Promise<{ all: number; index: number }> {
  let all = 0;
  let index = 0;
  for (const folder of folders)
    for (const dirent of await readdir(folder, { withFileTypes: true, recursive: true })) {
      if (!dirent.isFile()) continue;
      const size = (await stat(join(dirent.parentPath, dirent.name))).size;
      all += size;
      if (/\.pf_(meta|index|fragment|filter)$/.test(dirent.name)) index += size;
    }
  return { all, index };
}

/**
 * The CLI's shards: accession serials in ranges of `size` (serial 0-999 is BIC000..., so a range of a multiple of
 * 1,000 is a set of 3-digit prefixes), the ranges that hold an accession only. Ranges stay put as entries are added,
 * unlike the Node API's shards of `size` records in a row.
 */
export function accessionRangeGlobs(accessions: string[], size: number): string[] {
  if (size % 1000 !== 0) throw new Error(`a shard by accession range holds a multiple of 1,000 serials, not ${size}`);
  const ranges = new Map<number, Set<string>>();
  for (const accession of accessions) {
    const match = /^([A-Z]+)(\d{3})\d{3}\d$/.exec(accession);
    if (!match) throw new Error(`'${accession}' is not an accession of the generated catalogue`);
    const range = Math.floor((Number(match[2]) * 1000) / size);
    if (!ranges.has(range)) ranges.set(range, new Set());
    ranges.get(range)!.add(`${match[1]}${match[2]}`);
  }
  return [...ranges.keys()]
    .sort((a, b) => a - b)
    .map((range) => {
      const prefixes = [...ranges.get(range)!].sort();
      return `entries/${prefixes.length === 1 ? prefixes[0] : `{${prefixes.join(',')}}`}*/index.html`;
    });
}

/**
 * The shell command that runs the CLI over `site` for each glob, in `processes` lanes (lane j: shards j, j+n...),
 * with `options` added to each run.
 */
function cliCommand(site: string, globs: string[], subdir: string, processes: number, options = ''): string {
  const one = (glob: string, i: number) =>
    `${pagefindBin} --site ${site} --glob '${glob}' --output-subdir ${subdir}/${shardFolder(i)} ` +
    `--force-language en --silent${options}`;
  const lanes = Array.from({ length: Math.min(processes, globs.length) }, (_, lane) =>
    globs.map((glob, i) => ({ glob, i })).filter(({ i }) => i % processes === lane),
  );
  if (lanes.length === 1) return lanes[0].map(({ glob, i }) => one(glob, i)).join(' && ');
  // Each lane in the background; the command fails when any lane does.
  const started = lanes.map((lane, j) => `(${lane.map(({ glob, i }) => one(glob, i)).join(' && ')}) & p${j}=$!`);
  return `${started.join('; ')}; ${lanes.map((_, j) => `wait $p${j}`).join(' && ')}`;
}

const seconds = (t: Timing) => `${formatSeconds(t.wallMs)} wall, ${formatSeconds(t.cpuMs)} CPU`;
const perShard = (t: Timing, shards: number) => `${(t.wallMs / 1000 / shards).toFixed(2)} s per shard`;

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const entries = Number(process.env.SEARCH_ENGINE_BENCH_ENTRIES ?? (quick ? 1_000 : 10_000));
  const label = `${entries / 1000}k`;
  const catalog = join(workDir, 'catalogue');
  const generated = spawnSync(process.execPath, [cli, 'generate', '--entries', String(entries), '--out', catalog], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (generated.status !== 0) throw new Error(`catalogue generate --entries ${entries} failed`);
  // The pages the CLI reads, written from the same records (not timed: in a build, Astro writes the pages).
  const pages = join(workDir, 'pages');
  const written = JSON.parse(
    (await timeCommand(process.execPath, [runner, 'pages', catalog, pages])).stdout.trim().split('\n').pop()!,
  ) as Timing & { pages: number };
  const accessions = (await readdir(join(pages, 'entries'))).sort();
  const pagesCommand =
    `npx catalogue generate --entries ${entries} --out /tmp/c && ` +
    'npx node bench/search-engine-run.ts pages /tmp/c /tmp/p';
  const shown = (command: string) => command.replaceAll(`${root}/`, '');
  // What the CLI's input costs when the index process writes it rather than Astro (which runs beside it).
  rows.push({
    section,
    what: `writing the CLI's pages from the records (search-record-page.ts), ${written.pages} pages`,
    result: seconds(written),
    command: pagesCommand,
  });

  const bundles = new Map<string, string[]>();
  for (const size of [25_000, 5_000, 2_000]) {
    const sizeLabel = `shards of ${size.toLocaleString('en')}`;
    const apiShards = Math.max(1, Math.ceil(accessions.length / size));
    const laneCounts = apiShards > 1 ? [1, parallel] : [1];
    for (const lanes of laneCounts) {
      const out = join(workDir, `api-${size}-${lanes}`);
      const measured = await timeCommand(process.execPath, [runner, 'api', catalog, out, String(size), String(lanes)]);
      const api = JSON.parse(measured.stdout.trim().split('\n').pop()!) as Timing & {
        serviceCpuMs: number;
        shards: string[];
        records: number;
      };
      const folders = api.shards.map((folder) => join(out, folder));
      const bundle = await bundleSize(folders);
      if (lanes === 1)
        bundles.set(
          `api-${size}`,
          folders.map((f) => `${f.slice(workDir.length + 1)}/`),
        );
      rows.push({
        section,
        what:
          `Node API (writeSearchIndex), ${label} records, ${sizeLabel}: ${api.shards.length} shard(s), ` +
          `${lanes} lane(s)`,
        result:
          `${seconds(api)}, of it ${formatSeconds(api.serviceCpuMs)} in the Pagefind services ` +
          `(${perShard(api, api.shards.length)}); process peak RSS ${formatBytes(measured.peakRssBytes)}; ` +
          `bundle ${formatBytes(bundle.all)} (index files ${formatBytes(bundle.index)})`,
        command:
          `npx catalogue generate --entries ${entries} --out /tmp/c && npx node bench/search-engine-run.ts api ` +
          `/tmp/c /tmp/a ${size} ${lanes}`,
      });
      removeAfterRun(out);
    }
    const globs = accessionRangeGlobs(accessions, size);
    for (const processes of globs.length > 1 ? [1, parallel] : [1]) {
      const subdir = `cli-${size}-${processes}`;
      const command = cliCommand(pages, globs, subdir, processes);
      const timing = await timeCommand('sh', ['-c', command]);
      const folders = globs.map((_, i) => join(pages, subdir, shardFolder(i)));
      const bundle = await bundleSize(folders);
      if (processes === 1)
        bundles.set(
          `cli-${size}`,
          folders.map((f) => `${f.slice(workDir.length + 1)}/`),
        );
      rows.push({
        section,
        what:
          `Pagefind CLI over pages with data-pagefind-* attributes, ${label} pages, ${sizeLabel} by accession ` +
          `range: ${globs.length} shard(s), ${processes} process(es) at once`,
        result:
          `${seconds(timing)} (${perShard(timing, globs.length)}); peak RSS ${formatBytes(timing.peakRssBytes)} ` +
          `(largest process); bundle ${formatBytes(bundle.all)} (index files ${formatBytes(bundle.index)})`,
        command: `${pagesCommand} && time (${shown(cliCommand('/tmp/p', globs, subdir, processes))})`,
      });
    }
  }

  // The build's own entry pages, as Astro writes them. With no data-pagefind-body, Pagefind indexes each whole
  // page (navigation, file tables, citations too); with --root-selector, the entry's article alone, as a
  // data-pagefind-body on it would. What the CLI costs on real markup; not the same words as the custom records.
  const site = join(workDir, 'site');
  const built = spawnSync(process.execPath, [cli, 'build', '--catalog', catalog, '--out', site], {
    env: { ...process.env, CATALOGUE_TODAY: '2026-01-01' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error(`catalogue build failed at ${label}`);
  const realGlobs = ['entries/*/index.html'];
  const variants = [
    { name: 'whole pages', subdir: 'cli-whole', options: '' },
    {
      name: "the entry's article alone, --root-selector article.entry",
      subdir: 'cli-article',
      options: " --root-selector 'article.entry'",
    },
  ];
  for (const variant of variants) {
    const command = cliCommand(site, realGlobs, variant.subdir, 1, variant.options);
    const real = await timeCommand('sh', ['-c', command]);
    const realSize = await bundleSize([join(site, variant.subdir, 'pagefind')]);
    rows.push({
      section,
      what: `Pagefind CLI over this build's own entry pages as built (no attributes; ${variant.name}), ${label} pages`,
      result:
        `${seconds(real)}; peak RSS ${formatBytes(real.peakRssBytes)}; bundle ${formatBytes(realSize.all)} ` +
        `(index files ${formatBytes(realSize.index)})`,
      command:
        `CATALOGUE_TODAY=2026-01-01 npx catalogue build --catalog /tmp/c --out /tmp/s && time ` +
        `(${shown(cliCommand('/tmp/s', realGlobs, variant.subdir, 1, variant.options))})`,
    });
  }
  removeAfterRun(site);

  // The same hits from both: common words, words together, filters alone and with a word, and (on one shard) an
  // accession. Across several shards an accession is left out: its part 'BIC' is a word of every entry, and a
  // shard that lacks the accession may answer with all its entries, so the hits depend on where shards begin,
  // which differs (records in a row against accession ranges). That count is a row of its own.
  const accession = accessions[Math.floor(accessions.length / 2)];
  const queries: SearchQuery[] = [
    { term: 'zebrafish' },
    { term: 'Krios' },
    { term: 'apoptosis mitochondria' },
    { term: null, filters: { organism: 'Danio rerio' } },
    { term: 'tracking', filters: { year: '2020' } },
  ];
  const describe = (q: SearchQuery) => `${q.term ?? '(no words)'}${q.filters ? ` ${JSON.stringify(q.filters)}` : ''}`;
  for (const size of [25_000, 2_000]) {
    const [api, cliBundles] = [bundles.get(`api-${size}`)!, bundles.get(`cli-${size}`)!];
    const oneShard = api.length === 1 && cliBundles.length === 1;
    const compared = await compareHits(
      workDir,
      api,
      cliBundles,
      oneShard ? [...queries, { term: accession }] : queries,
    );
    rows.push({
      section,
      what:
        `same hits, Node API bundle against CLI bundle, ${label} records, shards of ${size.toLocaleString('en')} ` +
        `(${api.length} / ${cliBundles.length} shards; hits API / CLI)`,
      result: compared
        .map((c) => `${describe(c.query)}: ${c.counts[0]} / ${c.counts[1]}${c.same ? '' : ' DIFFERENT'}`)
        .join('; '),
      target: 'the same URLs and meta',
      verdict: compared.every((c) => c.same) ? 'met' : 'missed',
      command: 'npm run bench -- --only search-engine',
    });
    if (!oneShard) {
      const [counted] = await compareHits(workDir, api, cliBundles, [{ term: accession }]);
      rows.push({
        section,
        what:
          `one accession (${accession}) searched over shards of ${size.toLocaleString('en')}, ${label} records: ` +
          'hits API / CLI',
        result:
          `${counted.counts[0]} / ${counted.counts[1]} (1 on one shard): a shard without it may answer with all ` +
          "its entries, which share the part 'BIC'",
        command: 'npm run bench -- --only search-engine',
      });
    }
  }
  removeAfterRun(pages);
  removeAfterRun(catalog);
  return rows;
};
export default benchmark;
