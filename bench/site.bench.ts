// Site benchmarks: this pipeline (catalogue to pages and search index) against Hugo (Debian's
// package) building one page per entry plus the Pagefind CLI indexing it, on the same generated entries in the
// same run; then search in Chromium on our site: last keystroke to first result, and bytes transferred as
// counted by the static server (bench/site-search.ts: Pagefind's worker fetches are invisible to the page).
// Sizes: 10k and 100k entries; --quick: 1k and 2k; SITE_BENCH_SIZES=10000,100000 chooses them.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { formatAccession } from '../catalog/accession.ts';
import { generateEntries } from '../catalog/generate.ts';
import { entriesDir, entryFile } from '../catalog/layout.ts';
import { renderYaml } from '../catalog/write.ts';
import type { Entry } from '../schemas/index.ts';
import type { BuildPhases } from '../site/lib/build-site.ts';
import {
  formatBytes,
  formatSeconds,
  measureCommand,
  removeAfterRun,
  type Benchmark,
  type BenchRow,
} from './harness.ts';
import { debounceMs, timeSearches } from './site-search.ts';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'cli/catalogue.mjs');
const pagefindBin = join(root, 'node_modules/.bin/pagefind');
const section = 'Site: build and search';

/** A Hugo site with one page per entry, fed the same fields our pages show. Not timed. */
async function writeHugoSite(dir: string, count: number): Promise<void> {
  await mkdir(join(dir, 'content/entries'), { recursive: true });
  await mkdir(join(dir, 'layouts/_default'), { recursive: true });
  await writeFile(
    join(dir, 'hugo.toml'),
    'baseURL = "http://localhost/"\ntitle = "peer"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n',
  );
  await writeFile(
    join(dir, 'layouts/index.html'),
    '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><h1>peer</h1></body></html>\n',
  );
  await writeFile(
    join(dir, 'layouts/_default/list.html'),
    '<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body></body></html>\n',
  );
  await writeFile(
    join(dir, 'layouts/_default/single.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><main ' +
      'data-pagefind-body>' +
      '<h1 data-pagefind-meta="title">{{ .Title }}</h1><p>{{ .Params.accession }}</p><p>{{ .Params.description }}</p>' +
      '<p>Organism: <span data-pagefind-filter="organism">{{ .Params.organism }}</span></p><p>Method: <span ' +
      'data-pagefind-filter="method">{{ .Params.method }}</span></p>' +
      '<p>Scale: <span data-pagefind-filter="scale">{{ .Params.scale }}</span></p><p>Licence: <span ' +
      'data-pagefind-filter="licence">{{ .Params.licence }}</span></p>' +
      '<p>Keywords: {{ delimit .Params.keywords ", " }}</p><p>Authors: {{ delimit .Params.authors ", " }}</p>' +
      '<p>{{ .Params.preparation }}</p><p>{{ .Params.instrument }}</p>' +
      '</main></body></html>\n',
  );
  let i = 0;
  const batch: Promise<void>[] = [];
  for (const { entry } of generateEntries(count)) {
    const front = {
      title: entry.study.title,
      accession: entry.accession,
      description: entry.study.description,
      organism: entry.biosamples[0].organisms[0].scientificName,
      method: entry.components[0].imagingMethod.label,
      scale: entry.study.scales[0],
      licence: entry.study.license,
      keywords: entry.study.keywords,
      authors: entry.study.authors.map((a) => a.name),
      preparation: entry.specimens[0].preparationProtocol,
      instrument: entry.acquisitions[0].instrument,
    };
    batch.push(writeFile(join(dir, 'content/entries', `${entry.accession}.md`), JSON.stringify(front) + '\n'));
    if (++i % 500 === 0) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

/** A word found in about a tenth of the generated entries, and how many entries hold it. */
function tenthWord(count: number): { word: string; hits: number } {
  const candidates = [
    'zebrafish',
    'Drosophila',
    'yeast',
    'Krios',
    'mesoSPIM',
    'HeLa',
    'kidney',
    'Xradia',
    'tonsil',
    'elegans',
    'Glacios',
  ];
  const counts = new Map(candidates.map((w) => [w, 0]));
  for (const { entry } of generateEntries(count)) {
    const text = JSON.stringify(entry);
    for (const w of candidates) if (text.includes(w)) counts.set(w, counts.get(w)! + 1);
  }
  const [word, hits] = [...counts].sort((a, b) => Math.abs(a[1] - count / 10) - Math.abs(b[1] - count / 10))[0];
  return { word, hits };
}

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  // SITE_BENCH_SIZES=10000 runs one size alone (a comma-separated list of entry counts).
  const sizes = process.env.SITE_BENCH_SIZES
    ? process.env.SITE_BENCH_SIZES.split(',').map(Number)
    : quick
      ? [1_000, 2_000]
      : [10_000, 100_000];
  const hugoAvailable = spawnSync('sh', ['-c', 'command -v hugo'], { stdio: 'ignore' }).status === 0;
  for (const size of sizes) {
    const label = `${size / 1000}k`;
    const catalog = join(workDir, `catalogue-${label}`);
    const generated = spawnSync(process.execPath, [cli, 'generate', '--entries', String(size), '--out', catalog], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (generated.status !== 0) throw new Error(`catalogue generate --entries ${size} failed`);
    const out = join(workDir, `site-${label}`);
    // Everything released by the generator's last date is published.
    const env = { ...process.env, CATALOGUE_TODAY: '2026-01-01' };
    const cache = join(workDir, `cache-${label}`);
    const build = () =>
      measureCommand(process.execPath, [cli, 'build', '--catalog', catalog, '--out', out, '--cache', cache, '--json'], {
        env,
      });
    const ours = await build();
    if (ours.exitCode !== 0) throw new Error(`catalogue build failed at ${label}`);
    const target100k =
      size >= 100_000
        ? {
            target: '<= 300 s, <= 6 GB peak RSS',
            verdict: (ours.wallMs <= 300_000 && (ours.peakRssBytes ?? Infinity) <= 6 * 2 ** 30 ? 'met' : 'missed') as
              | 'met'
              | 'missed',
          }
        : {};
    rows.push({
      section,
      what: `catalogue build (Astro pages + Pagefind shards + data files), ${label} entries`,
      result: `${formatSeconds(ours.wallMs)} wall, ${formatBytes(ours.peakRssBytes)} peak RSS (largest process)`,
      ...target100k,
      command:
        `npx catalogue generate --entries ${size} --out /tmp/c && CATALOGUE_TODAY=2026-01-01 /usr/bin/time -v ` +
        `npx catalogue build --catalog /tmp/c --out /tmp/s`,
    });
    // Where the build's time went (site/lib/build-site.ts BuildPhases): both processes start with the catalogue
    // load, so each "done at" counts from the start of the build.
    const phases = (JSON.parse(ours.stdout) as { phases?: BuildPhases }).phases;
    if (phases) {
      rows.push({
        section,
        what: `catalogue build, ${label} entries: where the time went`,
        result:
          `catalogue read and snapshot ${formatSeconds(phases.loadMs)}; Astro pages done at ` +
          `${formatSeconds(phases.astroMs)}; index process done at ${formatSeconds(phases.indexMs)} (after the ` +
          `snapshot: search shards ${formatSeconds(phases.searchMs)}, data files ${formatSeconds(phases.dataMs)} ` +
          `on a thread beside them); finish (OAI file, page count, swap) ${formatSeconds(phases.finishMs)}`,
        command: 'npx catalogue build --json (its "phases"), or the [build] line of its log',
      });
    }

    if (hugoAvailable) {
      const hugoDir = join(workDir, `hugo-${label}`);
      await writeHugoSite(hugoDir, size);
      const hugo = await measureCommand('hugo', [
        '--quiet',
        '--source',
        hugoDir,
        '--destination',
        join(hugoDir, 'public'),
      ]);
      const indexed = await measureCommand(pagefindBin, ['--site', join(hugoDir, 'public'), '--silent']);
      const peerMs = hugo.wallMs + indexed.wallMs;
      const ratio = ours.wallMs / peerMs;
      rows.push({
        section,
        what: `Hugo (Debian) + Pagefind CLI, ${label} entries`,
        result:
          `${formatSeconds(hugo.wallMs)} + ${formatSeconds(indexed.wallMs)} = ${formatSeconds(peerMs)} wall; ` +
          `peak RSS ${formatBytes(hugo.peakRssBytes)} / ${formatBytes(indexed.peakRssBytes)}`,
        command: 'npm run bench -- --only site',
      });
      rows.push({
        section,
        what: `this pipeline vs Hugo + Pagefind, ${label} entries`,
        result: `${ratio.toFixed(2)}x`,
        ...(size === 10_000 ? { target: '<= 1.3x', verdict: ratio <= 1.3 ? 'met' : 'missed' } : {}),
        command: 'npm run bench -- --only site',
      });
      removeAfterRun(hugoDir);
    } else {
      rows.push({
        section,
        what: `Hugo + Pagefind CLI, ${label} entries`,
        result: 'not run: Hugo is not installed (apt-get install -y --no-install-recommends hugo)',
        verdict: '',
        command: 'npm run bench -- --only site',
      });
    }

    const common = tenthWord(size);
    const rareAccession = formatAccession(Math.floor(size / 2));
    const [first, later] = await timeSearches(out, [rareAccession, common.word]);
    const is100k = size >= 100_000;
    rows.push({
      section,
      what: `search in Chromium, ${label} entries, a rare word (${rareAccession}, 1 hit), first query`,
      result:
        `${first.latencyMs.toFixed(0)} ms from last keystroke (${(first.latencyMs - debounceMs).toFixed(0)} ms ` +
        `after the ${debounceMs} ms debounce); ${(first.bytes / 1024).toFixed(0)} KB sent by the server since ` +
        `page load (${first.requests} requests)`,
      ...(is100k
        ? {
            target: '<= 150 ms after debounce, <= 1 MB',
            verdict: first.latencyMs - debounceMs <= 150 && first.bytes <= 1024 * 1024 ? 'met' : 'missed',
          }
        : {}),
      command:
        `npm run bench -- --only site, or on a built site: npx node bench/site-search.ts /tmp/s ${rareAccession} ` +
        `${common.word}`,
    });
    rows.push({
      section,
      what: `search in Chromium, ${label} entries, '${common.word}' (${common.hits} hits, about a tenth), later query`,
      result:
        `${later.latencyMs.toFixed(0)} ms from last keystroke; ${(later.bytes / 1024).toFixed(0)} KB sent by the ` +
        `server (${later.requests} requests)`,
      ...(is100k
        ? {
            target: '<= 1 s, <= 100 KB',
            verdict: later.latencyMs <= 1000 && later.bytes <= 100 * 1024 ? 'met' : 'missed',
          }
        : {}),
      command:
        `npm run bench -- --only site, or on a built site: npx node bench/site-search.ts /tmp/s ${rareAccession} ` +
        `${common.word}`,
    });
    rows.push(...(await incrementalRows(label, size, catalog, ours.wallMs, build)));
    removeAfterRun(out);
    removeAfterRun(catalog);
    removeAfterRun(cache);
  }
  return rows;
};

/** Adds a sentence to the description of each entry named. */
async function editEntries(catalog: string, accessions: readonly string[], word: string): Promise<void> {
  for (const accession of accessions) {
    const file = join(catalog, entriesDir, accession, entryFile);
    const entry = parse(await readFile(file, 'utf8')) as Entry;
    entry.study.description = `${entry.study.description} Revised: ${word}.`;
    await writeFile(file, renderYaml(entry));
  }
}

/** `count` accessions spread evenly over a catalogue of `size` generated entries. */
const spread = (size: number, count: number) =>
  Array.from({ length: count }, (_, i) => formatAccession(1 + Math.floor(((i + 0.5) * size) / count)));
/** The newest `count` accessions, as a batch of submissions or a harvest adds them. */
const newest = (size: number, count: number) =>
  Array.from({ length: count }, (_, i) => formatAccession(size - count + 1 + i));

/**
 * Rebuilds into the cold build's folder with its cache (site/lib/build-cache.ts): nothing changed, one entry
 * changed, 100 entries changed (the newest, then 100 spread over the catalogue, which touch nearly every search
 * shard). Each must be incremental and write exactly the entries changed.
 */
async function incrementalRows(
  label: string,
  size: number,
  catalog: string,
  coldMs: number,
  build: () => ReturnType<typeof measureCommand>,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const is100k = size >= 100_000;
  const within30 = (ms: number): [string, boolean] => ['<= 30 s', ms <= 30_000];
  const cases: { what: string; edits: string[]; target: (ms: number) => [string, boolean] }[] = [
    { what: 'nothing changed', edits: [], target: (ms) => ['<= 10% of the cold build', ms <= coldMs / 10] },
    { what: 'one entry changed', edits: spread(size, 1), target: (ms) => ['<= 15 s', ms <= 15_000] },
    { what: 'the newest 100 entries changed', edits: newest(size, 100), target: within30 },
    { what: '100 entries changed, spread over the catalogue', edits: spread(size, 100), target: within30 },
  ];
  for (const [n, { what, edits, target }] of cases.entries()) {
    await editEntries(catalog, edits, `round ${n}`);
    const run = await build();
    const result = JSON.parse(run.stdout) as { cold?: string; entriesWritten: number; shardsBuilt: number };
    if (run.exitCode !== 0 || result.cold || result.entriesWritten !== edits.length)
      throw new Error(
        `the rebuild with ${what} at ${label} was not incremental (exit ${run.exitCode}, cold: ${result.cold}, ` +
          `${result.entriesWritten} entries written)`,
      );
    const [goal, met] = target(run.wallMs);
    rows.push({
      section,
      what: `incremental rebuild, ${label} entries, ${what}`,
      result:
        `${formatSeconds(run.wallMs)} wall (${((100 * run.wallMs) / coldMs).toFixed(1)}% of the cold build), ` +
        `${result.entriesWritten} entries and ${result.shardsBuilt} search shard(s) written, ` +
        `${formatBytes(run.peakRssBytes)} peak RSS`,
      ...(is100k ? { target: goal, verdict: met ? 'met' : 'missed' } : {}),
      command:
        `npm run bench -- --only site (after the cold build, ${edits.length} entry.yaml file(s) edited, then the ` +
        `same npx catalogue build --catalog /tmp/c --out /tmp/s, its cache in node_modules/.cache/catalogue-build)`,
    });
  }
  return rows;
}
export default benchmark;
