// `catalogue build`: the catalogue to a static site. The catalogue is read and validated once, on worker threads
// (catalog/load.ts loadPublishedLines), into a JSON Lines snapshot (snapshot.ts); two processes share the two
// cores: Astro renders the pages while the index worker writes the data files and the Pagefind index, both from
// the snapshot. Both are started at once and wait for the snapshot (their start-up overlaps the reading of the
// catalogue). Both write into a staging folder beside
// the destination, which replaces the destination only when everything succeeded (a failed build leaves the
// previous site as it was).
//
// A build into a folder that an earlier build made is incremental (build-cache.ts): the staging folder gets only
// the outputs whose key changed and the aggregates, which then replace their old versions in the site
// (apply-build.ts). `force` builds cold.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { loadPublishedLines, type KnownSource, type LoadMemo, type PublishedLine } from '../../catalog/load.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { renderStaticRepository, staticRepositoryMaxRecords } from '../../harvester/static-repository.ts';
import { entriesDir, versionsDir } from '../../catalog/layout.ts';
import { formatProblem, type Problem } from '../../catalog/problems.ts';
import { heldBackReleases, lastGoodLine, lastGoodVersion } from './released.ts';
import { aggregateFiles, applyIncrementalBuild } from './apply-build.ts';
import {
  defaultCacheDir,
  fingerprintOf,
  memoFiles,
  readLoadMemo,
  removeLoadMemo,
  removeOtherLoadMemos,
  siteDigestOf,
  usableState,
  writeLoadSources,
  writeState,
  type BuildState,
} from './build-cache.ts';
import { noKeys, type BuildKeys } from './build-step-keys.ts';
import { readMirrors } from './downloads.ts';
import { shardTargetFromEnv } from './search-shards.ts';
import { writeSnapshot } from './snapshot.ts';
import { normaliseBaseUrl } from './site-config.ts';
import { ReleasedEntryError, SiteBuildError } from './errors.ts';
import { lockSite } from './site-lock.ts';

const siteRoot = fileURLToPath(new URL('..', import.meta.url));
const repositoryRoot = resolve(siteRoot, '..');
/** Where each build's Astro runs (see buildSite); inside the ignored site/.astro/. */
const astroBuilds = join(siteRoot, '.astro/builds');

export { ReleasedEntryError, SiteBuildError } from './errors.ts';

/**
 * V8's heap limit for each build process. Its default (about 4 GB on this kind of machine) is too tight for
 * 100k records held in memory while Astro renders; the target is 6 GB peak RSS per build (BENCHMARKS.md).
 */
const heapLimit = '--max-old-space-size=5120';

/** The Astro process's nice value (see buildSite). */
const astroNiceness = 10;

export interface BuildOptions {
  catalog: string;
  /** Destination folder (replaced whole at the end). */
  out: string;
  /** Absolute base URL of the published site (default http://localhost:4321/). */
  baseUrl?: string;
  /** Name of the catalogue on the pages (default "Bioimage Catalogue"). */
  name?: string;
  /** YYYY-MM-DD; embargoes end on their release date. */
  today: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Threads that read and validate the catalogue (default: one per core, up to 4). */
  threads?: number;
  /**
   * A released entry with errors is published from its newest saved version that passes the checks
   * (versions/<N>.yaml), with a notice on its page and a line in the log (default false: the build fails).
   */
  publishLastGood?: boolean;
  /** The cache of incremental builds (default build-cache.ts defaultCacheDir). */
  cacheDir?: string;
  /** Build every output, whatever the cache holds (the cache is written afresh). */
  force?: boolean;
}

/** Where the time of a build went, in milliseconds of wall time since the build started or for each step. */
export interface BuildPhases {
  /** Reading and validating the catalogue and writing the snapshot. */
  loadMs: number;
  /** The Astro process, from its start (with the load) to its exit. */
  astroMs: number;
  /** The index process, from its start (with the load) to its exit. */
  indexMs: number;
  /** Inside the index process, from the snapshot read: the Pagefind shards written, and the data files written. */
  searchMs: number;
  dataMs: number;
  /** After both processes: the OAI-PMH file, counting the pages, the swap into place. */
  finishMs: number;
}

export interface BuildResult {
  out: string;
  records: number;
  pages: number;
  searchShards: string[];
  searchBytes: number;
  ms: number;
  phases: BuildPhases;
  /** Why the build was cold, or undefined when it built on the previous one. */
  cold?: string;
  /** Entries whose outputs were written (all of them in a cold build). */
  entriesWritten: number;
  /** Search shards built. */
  shardsBuilt: number;
}

interface StepResult {
  stdout: string;
  tail: string;
}

/**
 * Runs one process of the build; aborting `signal` kills it (the other step or the catalogue load failed).
 * `niceness` lowers its CPU priority (setpriority(2); raising the nice value needs no privilege).
 */
function runStep(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  cwd: string,
  signal: AbortSignal,
  niceness = 0,
): Promise<StepResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (niceness && child.pid !== undefined) {
      try {
        setPriority(child.pid, niceness);
      } catch {
        // A system that refuses (or lacks) priorities builds as fast as it would have without them.
      }
    }
    const kill = () => child.kill('SIGTERM');
    signal.addEventListener('abort', kill, { once: true });
    let stdout = '';
    let tail = '';
    const keep = (chunk: string) => {
      tail = (tail + chunk).slice(-4000);
      for (const line of chunk.split('\n')) if (line.trim()) log(`[${name}] ${line.trimEnd()}`);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      keep(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', keep);
    child.on('error', (error) =>
      reject(new SiteBuildError('STEP_FAILED', `${name} could not start: ${error.message}`, tail, { cause: error })),
    );
    child.on('close', (code, exitSignal) => {
      signal.removeEventListener('abort', kill);
      if (code === 0) resolvePromise({ stdout, tail });
      else
        reject(
          new SiteBuildError(
            'STEP_FAILED',
            `${name} failed (exit ${code ?? exitSignal}); its last output:\n` +
              `${tail.trim().split('\n').slice(-15).join('\n')}`,
            tail,
          ),
        );
    });
  });
}

/**
 * The HTML pages of a built site. The search shards hold no page and are not walked (10,000 fragment files per
 * 10,000 entries); entries/<ACCESSION>/ holds one page each, looked up rather than listed: one stat per entry
 * costs far less than listing the five files in each of its folders.
 */
async function countPages(folder: string, shardFolders: readonly string[]): Promise<number> {
  let pages = 0;
  const walk = async (dir: string, top: boolean) => {
    for (const dirent of await readdir(dir, { withFileTypes: true })) {
      if (dirent.isDirectory()) {
        if (top && shardFolders.includes(dirent.name)) continue;
        if (top && dirent.name === 'entries') pages += countEntryPages(join(dir, dirent.name));
        else await walk(join(dir, dirent.name), false);
      } else if (dirent.name.endsWith('.html')) pages++;
    }
  };
  await walk(folder, true);
  return pages;
}

function countEntryPages(entries: string): number {
  let pages = 0;
  for (const dirent of readdirSync(entries, { withFileTypes: true })) {
    if (dirent.isDirectory() && existsSync(join(entries, dirent.name, 'index.html'))) pages++;
    else if (dirent.isFile() && dirent.name.endsWith('.html')) pages++;
  }
  return pages;
}

/**
 * Reads the catalogue once into the snapshot both processes read; its lines are garbage once written. A released
 * entry the load left out fails the build (ReleasedEntryError), or with `publishLastGood` is published from its
 * last good version (released.ts).
 */
async function prepareSnapshot(
  catalog: string,
  file: string,
  today: string,
  threads: number | undefined,
  publishLastGood: boolean,
  log: (line: string) => void,
  memo: LoadMemo | undefined,
): Promise<{ file: string; lines: PublishedLine[]; sources: Record<string, KnownSource> }> {
  const loaded = await loadPublishedLines(catalog, { today, threads, memo });
  const unpublishable: Problem[] = [];
  const replaced: PublishedLine[] = [];
  for (const held of await heldBackReleases(catalog, loaded, today)) {
    // A withdrawn entry is never shown from a version before its withdrawal.
    const good = publishLastGood && !held.withdrawn ? lastGoodVersion(catalog, held.accession, today) : undefined;
    if (good) {
      const errors = held.problems.length - 1;
      replaced.push(lastGoodLine(good.record, { version: good.version, problems: errors }));
      log(
        `[catalogue] warning: ${held.accession} published from its last good version, ${good.file}, as ` +
          `--publish-last-good asks: its current entry has ${errors} error(s); its page says so`,
      );
    } else if (publishLastGood && !held.withdrawn) {
      const [headline, ...errors] = held.problems;
      unpublishable.push(
        {
          ...headline,
          code: 'NO_LAST_GOOD_VERSION',
          message:
            `${held.accession} is released but has ${errors.length} error(s) (listed below), and no saved ` +
            `version under ${entriesDir}/${held.accession}/${versionsDir}/ passes the checks`,
          fix: `correct the errors (npx catalogue check ${entriesDir}/${held.accession}/)`,
        },
        ...errors,
      );
    } else {
      unpublishable.push(...held.problems);
    }
  }
  if (unpublishable.length) throw new ReleasedEntryError(unpublishable);
  if (replaced.length)
    loaded.lines = [...loaded.lines, ...replaced].sort((a, b) =>
      a.accession < b.accession ? -1 : a.accession > b.accession ? 1 : 0,
    );
  writeSnapshot(file, loaded.lines);
  // Other records with errors (harvested records, submissions never published anyway) are left out of the site
  // and reported, as Bioregistry publishes warnings rather than failing the whole build; `catalogue check` is
  // where they fail.
  for (const problem of loaded.problems.slice(0, 50)) log(`[catalogue] warning: ${formatProblem(problem)}`);
  log(
    `[catalogue] ${loaded.lines.length} published records; ${loaded.embargoed} embargoed held back; ` +
      `${loaded.problems.length} problem(s)`,
  );
  return { file, lines: loaded.lines, sources: loaded.sources };
}

/** Where the OAI-PMH Static Repository file is published, relative to the site. */
export const staticRepositoryPath = 'oai/static-repository.xml';

/**
 * The OAI-PMH Static Repository file (harvester/static-repository.ts). The guidelines (§3.2) allow 5,000 records:
 * a larger catalogue gets its first 5,000 live records in accession order, and the build says so.
 */
function staticRepositoryOf(lines: readonly PublishedLine[], baseUrl: string, log: (line: string) => void): string {
  const live = lines.filter((line) => line.status === 'live');
  const records = live
    .slice(0, staticRepositoryMaxRecords)
    .map((line) => ({ ...JSON.parse(line.json), location: line.location }) as CatalogueRecord);
  const repository = renderStaticRepository(records, { url: new URL(staticRepositoryPath, baseUrl).href });
  for (const notice of repository.notices) log(`[oai] ${notice}`);
  if (live.length > staticRepositoryMaxRecords) {
    log(
      `[oai] warning: the catalogue has ${live.length} live records; the Static Repository (at most ` +
        `${staticRepositoryMaxRecords}, guidelines §3.2) holds the first ${staticRepositoryMaxRecords} in ` +
        `accession order; harvesters get every record from \`catalogue oai serve\``,
    );
  }
  return repository.xml;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The keys both steps reported (build-step-keys.ts). */
async function readStepKeys(folder: string): Promise<BuildKeys> {
  const keys = noKeys();
  for (const name of ['index', 'astro']) {
    const part = JSON.parse(await readFile(join(folder, `${name}.json`), 'utf8')) as Partial<BuildKeys>;
    Object.assign(keys.entries, part.entries);
    Object.assign(keys.pages, part.pages);
    Object.assign(keys.shards, part.shards);
    if (part.sitemap) keys.sitemap = part.sitemap;
  }
  return keys;
}

/** A cold build's site replaces the old one: the old moves aside and is removed once the new one is in place. */
async function swapInto(staging: string, out: string): Promise<void> {
  const previous = join(dirname(out), `.${basename(out)}.previous-${process.pid}`);
  const hadPrevious = await stat(out).then(
    () => true,
    () => false,
  );
  if (hadPrevious) await rename(out, previous);
  await rename(staging, out);
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

export async function buildSite(options: BuildOptions): Promise<BuildResult> {
  const release = lockSite(resolve(options.out));
  try {
    return await buildSiteLocked(options);
  } finally {
    release();
  }
}

async function buildSiteLocked(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const baseUrl = normaliseBaseUrl(options.baseUrl ?? defaultCatalogueInfo.baseUrl);
  const catalog = resolve(options.catalog);
  if (
    !(await stat(catalog).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw new SiteBuildError('CATALOGUE_MISSING', `the catalogue folder ${catalog} does not exist`);
  const out = resolve(options.out);
  const staging = join(dirname(out), `.${basename(out)}.building-${process.pid}`);
  const cache = await mkdtemp(join(tmpdir(), 'catalogue-astro-cache-'));
  await rm(staging, { recursive: true, force: true });
  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir);
  const siteDigest = siteDigestOf({
    baseUrl,
    name: options.name ?? defaultCatalogueInfo.name,
    mirrors: (await readMirrors()).mirrors,
    shardTarget: shardTargetFromEnv(),
  });
  const usable = options.force ? { cold: 'asked to (--force)' } : usableState(cacheDir, out, siteDigest);
  const previous = 'state' in usable ? usable.state : undefined;
  const cold = 'cold' in usable ? usable.cold : undefined;
  log(cold ? `[build] cold: ${cold}` : `[build] incremental: on the site in ${out}`);
  const keysDir = join(cache, 'keys');
  await mkdir(keysDir);
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (error) {
    throw new SiteBuildError(
      'CACHE_UNWRITABLE',
      `cannot make the build cache ${cacheDir}: ${(error as Error).message}`,
    );
  }
  // The snapshot is written into the cache folder, where it stays as this build's load memo (build-cache.ts).
  const memoId = randomUUID().slice(0, 8);
  let memoSaved = false;
  const memo = previous?.memo ? readLoadMemo(cacheDir, out, previous.memo) : undefined;
  // Variables that Vite reads as its own (a parent Vite or Vitest sets BASE_URL, MODE...) would override the
  // site's settings in the Astro child: leave them out.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(BASE_URL|MODE|DEV|PROD|SSR|VITE_.*|VITEST.*|NODE_ENV)$/.test(k)),
  );
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    SITE_CATALOGUE: catalog,
    SITE_BASE_URL: baseUrl,
    SITE_OUT_DIR: staging,
    SITE_CACHE_DIR: cache,
    CATALOGUE_TODAY: options.today,
    ASTRO_TELEMETRY_DISABLED: '1',
    ...(options.name ? { SITE_NAME: options.name } : {}),
    SITE_INPUTS_DIGEST: siteDigest,
    SITE_KEYS_DIR: keysDir,
  };
  if (previous) {
    env.SITE_PREVIOUS_SITE = out;
    env.SITE_PREVIOUS_KEYS = join(cache, 'previous-keys.json');
    await writeFile(env.SITE_PREVIOUS_KEYS, JSON.stringify(previous.keys));
  }
  // Both processes start now and wait for the snapshot (snapshot.ts waitForSnapshot): Astro's start-up (Vite's
  // build of the site) then overlaps the reading of the catalogue instead of following it.
  const snapshotFile = memoFiles(cacheDir, out, memoId).snapshot;
  env.SITE_SNAPSHOT = snapshotFile;
  env.SITE_SNAPSHOT_PENDING = '1';
  const abort = new AbortController();
  const timed = (step: Promise<StepResult>) => step.then((result) => ({ ...result, ms: performance.now() - started }));
  const astroBin = join(repositoryRoot, 'node_modules/astro/bin/astro.mjs');
  // Astro bundles the pages into <working folder>/.astro/.prerender/ when the output folder lies outside the working
  // folder (astro/dist/core/build/common.js getOutDirWithinCwd), and imports them from there: one working folder
  // per build, so that two builds at once (tests, benchmarks, people in the same tree) never import each other's
  // half-written or deleted bundle ("Cannot find module .../.prerender/chunks/..."). It lies inside site/ (in the
  // ignored site/.astro/) so that the bundle's imports of astro and its dependencies resolve.
  await mkdir(astroBuilds, { recursive: true });
  const astroCwd = await mkdtemp(join(astroBuilds, 'build-'));
  // Astro runs at a lower priority. The Pagefind service indexes one record after another (search-index.ts), so
  // when the cores are fewer than the busy threads its chain decides when the build ends; at nice 10 Astro's
  // rendering yields to it and fills the gaps, and both finish together (docs/site.md gives the A/B). Where cores
  // are many, nothing waits.
  const steps = [
    timed(
      runStep(
        'astro',
        [heapLimit, astroBin, 'build', '--root', siteRoot, '--silent'],
        env,
        log,
        astroCwd,
        abort.signal,
        astroNiceness,
      ),
    ),
    timed(
      runStep(
        'index',
        [heapLimit, join(siteRoot, 'lib/index-worker.ts'), staging],
        env,
        log,
        repositoryRoot,
        abort.signal,
      ),
    ),
  ];
  // One failing step stops the other; the first failure is the one reported.
  for (const step of steps) step.catch(() => abort.abort());
  const bothDone = Promise.all(steps);
  bothDone.catch(() => {});
  try {
    let staticRepository: string;
    let loadMs: number;
    let sources: Record<string, KnownSource> = {};
    try {
      const snapshot = await prepareSnapshot(
        catalog,
        snapshotFile,
        options.today,
        options.threads,
        options.publishLastGood ?? false,
        log,
        memo,
      );
      sources = snapshot.sources;
      loadMs = performance.now() - started;
      staticRepository = staticRepositoryOf(snapshot.lines, baseUrl, log);
      snapshot.lines = [];
    } catch (error) {
      abort.abort();
      await Promise.allSettled(steps);
      throw error;
    }
    const [astro, indexed] = await bothDone.catch(async (error: unknown) => {
      // The other step has been told to stop: wait for it before its staging folder is removed.
      await Promise.allSettled(steps);
      throw error;
    });
    const summary = JSON.parse(indexed.stdout.trim().split('\n').pop() ?? '{}') as {
      records: number;
      changed: number;
      search: { shards: string[]; built: string[]; bytes: number };
      searchMs: number;
      dataMs: number;
    };
    const finishStarted = performance.now();
    await mkdir(join(staging, dirname(staticRepositoryPath)), { recursive: true });
    await writeFile(join(staging, staticRepositoryPath), staticRepository);
    const keys = await readStepKeys(keysDir);
    let aggregates: string[];
    if (previous) {
      // A build stopped from here on leaves a site that is partly updated: the next build sees `applying` and
      // starts cold.
      writeState(cacheDir, { ...previous, applying: true });
      aggregates = await applyIncrementalBuild(staging, out, previous, keys);
    } else {
      aggregates = aggregateFiles(staging, keys);
      await swapInto(staging, out);
    }
    const pages = await countPages(out, summary.search.shards);
    const state: BuildState = {
      format: 1,
      out,
      siteDigest,
      keys,
      aggregates,
      fingerprint: fingerprintOf(out),
      memo: memoId,
    };
    try {
      writeLoadSources(cacheDir, out, memoId, sources);
      writeState(cacheDir, state);
      memoSaved = true;
      removeOtherLoadMemos(cacheDir, out, memoId);
    } catch (error) {
      log(`[build] warning: the next build will be cold: cannot write the cache in ${cacheDir}: ${error}`);
    }
    const ms = performance.now() - started;
    const phases: BuildPhases = {
      loadMs,
      astroMs: astro.ms,
      indexMs: indexed.ms,
      searchMs: summary.searchMs,
      dataMs: summary.dataMs,
      finishMs: performance.now() - finishStarted,
    };
    log(
      `[build] ${(ms / 1000).toFixed(1)} s: catalogue read ${seconds(loadMs)}, astro done at ` +
        `${seconds(astro.ms)}, index done at ${seconds(indexed.ms)} (after the snapshot, its search index took ` +
        `${seconds(summary.searchMs)}, its data files ${seconds(summary.dataMs)}), finish ` +
        `${seconds(phases.finishMs)}`,
    );
    return {
      out,
      records: summary.records,
      pages,
      searchShards: summary.search.shards,
      searchBytes: summary.search.bytes,
      ms,
      phases,
      cold,
      entriesWritten: summary.changed,
      shardsBuilt: summary.search.built.length,
    };
  } finally {
    if (!memoSaved) removeLoadMemo(cacheDir, out, memoId);
    await rm(staging, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
    await rm(astroCwd, { recursive: true, force: true });
  }
}
