// The cache of incremental builds: what the previous build into a folder wrote, so that the next one writes only
// what changed (docs/site.md, "Incremental builds").
//
// The built site is its own cache of outputs; beside it, in the cache folder, the state of the build that made
// it: the site digest (the code, the options and the mirrors, which reach every page), the key of each output
// (build-keys.ts) and the files that are rebuilt every time (the aggregates: home, browse index, stats, feeds,
// sitemap, dumps, the OAI-PMH file, the stylesheets). A build whose site digest differs, whose site folder is not
// the one the state describes, or that finds a build stopped half-way through applying its changes, is cold.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KnownSource, LoadMemo } from '../../catalog/load.ts';
import { digestOf } from './build-keys.ts';
import type { BuildKeys } from './build-step-keys.ts';
import { indexLinesByAccession } from './jsonl-index.ts';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where the cache lives unless `--cache` says otherwise, beside Astro's own cache (node_modules/.astro). */
export const defaultCacheDir = join(repositoryRoot, 'node_modules/.cache/catalogue-build');

/** The code whose change can change any output: every layer the site imports, its templates and the lockfile. */
const codeFolders = ['schemas', 'catalog', 'storage', 'harvester', 'images', 'doi', 'http', 'site/src', 'site/lib'];
const codeFiles = ['package-lock.json', 'site/astro.config.mjs'];

function walkCode(folder: string, files: string[]): void {
  for (const dirent of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, dirent.name);
    if (dirent.isDirectory()) {
      if (dirent.name !== 'node_modules' && !dirent.name.startsWith('.')) walkCode(path, files);
    } else if (dirent.isFile()) files.push(path);
  }
}

/** SHA-256 of the code, file by file in a fixed order (about 400 files: a few milliseconds). */
export function codeDigest(): string {
  const files: string[] = codeFiles.map((file) => join(repositoryRoot, file)).filter((file) => existsSync(file));
  for (const folder of codeFolders) {
    const path = join(repositoryRoot, folder);
    if (existsSync(path)) walkCode(path, files);
  }
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(repositoryRoot, file)).update('\u0000').update(readFileSync(file));
  return hash.digest('hex');
}

export interface SiteInputs {
  baseUrl: string;
  name: string;
  /** The mirrors, as the pages' download links, thumbnails and security policy use them. */
  mirrors: unknown;
  /** Records per search shard on average (search-shards.ts). */
  shardTarget: number;
}

/** The digest of everything that reaches every page (see above). */
export function siteDigestOf(inputs: SiteInputs): string {
  return digestOf(
    'catalogue-build/1',
    codeDigest(),
    inputs.baseUrl,
    inputs.name,
    JSON.stringify(inputs.mirrors),
    String(inputs.shardTarget),
  );
}

/**
 * What identifies the site folder a state describes: the digest of files every build rewrites. By content, not by
 * times or inodes, which a folder restored from a CI cache does not keep.
 */
interface SiteFingerprint {
  path: string;
  size: number;
  sha256: string;
}

export interface BuildState {
  format: 1;
  /** The site folder (absolute). */
  out: string;
  siteDigest: string;
  keys: BuildKeys;
  /** The site's files (relative paths) that belong to no keyed output, all rewritten by every build. */
  aggregates: string[];
  fingerprint: SiteFingerprint[];
  /** Set while a build moves its changes into the site: a build that finds it set starts cold. */
  applying?: boolean;
  /** The id of the build's load memo (memoFiles). */
  memo?: string;
}

/** Files a build always rewrites, whose content shows that nothing else rebuilt the folder since. */
const fingerprintFiles = ['index.html', 'feed.xml', 'sitemap.xml'];

export function fingerprintOf(out: string): SiteFingerprint[] {
  return fingerprintFiles.map((path) => {
    try {
      const bytes = readFileSync(join(out, path));
      return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    } catch {
      return { path, size: -1, sha256: '' };
    }
  });
}

/** The state file of builds into `out` (one per site folder, so that builds of several sites share a cache). */
export function stateFile(cacheDir: string, out: string): string {
  return join(cacheDir, `${createHash('sha256').update(resolve(out)).digest('hex').slice(0, 16)}.json`);
}

/** The previous build's state, or why there is none to build on. */
export function usableState(
  cacheDir: string,
  out: string,
  siteDigest: string,
): { state: BuildState } | { cold: string } {
  let state: BuildState;
  try {
    state = JSON.parse(readFileSync(stateFile(cacheDir, out), 'utf8')) as BuildState;
  } catch {
    return { cold: 'no earlier build of this folder in the cache' };
  }
  if (state.format !== 1 || state.out !== resolve(out)) return { cold: 'the cache describes another build' };
  if (state.applying) return { cold: 'the earlier build stopped while it updated the site' };
  if (state.siteDigest !== siteDigest) return { cold: 'the code, options or mirrors changed' };
  if (JSON.stringify(fingerprintOf(out)) !== JSON.stringify(state.fingerprint))
    return { cold: 'the site folder is not the one the cache describes' };
  return { state };
}

/** Writes the state through a temporary file renamed into place (a reader never sees half of it). */
export function writeState(cacheDir: string, state: BuildState): void {
  mkdirSync(cacheDir, { recursive: true });
  const file = stateFile(cacheDir, state.out);
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(state));
  renameSync(partial, file);
}

/**
 * The load memo of a build into `out` (catalog/load.ts LoadMemo): its snapshot, whose lines a later build takes
 * for records whose files did not change, and what its load found for each record's files. Each build's memo has
 * its own id, named in its state, so that a snapshot and its findings are always of the same build.
 */
export function memoFiles(cacheDir: string, out: string, id: string): { snapshot: string; sources: string } {
  const state = stateFile(cacheDir, out).replace(/\.json$/, '');
  return { snapshot: `${state}.${id}.snapshot.jsonl`, sources: `${state}.${id}.sources.json` };
}

/** The memo `id` of the build into `out`, or undefined when it is missing or unreadable. */
export function readLoadMemo(cacheDir: string, out: string, id: string): LoadMemo | undefined {
  const files = memoFiles(cacheDir, out, id);
  try {
    const sources = JSON.parse(readFileSync(files.sources, 'utf8')) as Record<string, KnownSource>;
    const bytes = readFileSync(files.snapshot);
    const lines = indexLinesByAccession(bytes);
    return {
      sources,
      lineOf: (accession) => {
        const at = lines.get(accession);
        return at && bytes.toString('utf8', at[0], at[1]);
      },
    };
  } catch {
    return undefined;
  }
}

/** Writes the load findings beside the build's snapshot (already in the cache folder). */
export function writeLoadSources(cacheDir: string, out: string, id: string, sources: Record<string, KnownSource>) {
  writeFileSync(memoFiles(cacheDir, out, id).sources, JSON.stringify(sources));
}

export function removeLoadMemo(cacheDir: string, out: string, id: string): void {
  const files = memoFiles(cacheDir, out, id);
  rmSync(files.snapshot, { force: true });
  rmSync(files.sources, { force: true });
}

/** Removes the memos of earlier builds into `out` (a cold build does not read the last one, but replaces it). */
export function removeOtherLoadMemos(cacheDir: string, out: string, keep: string): void {
  const prefix = `${basename(stateFile(cacheDir, out), '.json')}.`;
  for (const name of readdirSync(cacheDir))
    if (
      name.startsWith(prefix) &&
      !name.startsWith(`${prefix}${keep}.`) &&
      /\.(snapshot\.jsonl|sources\.json)(\.partial)?$/.test(name)
    )
      rmSync(join(cacheDir, name), { force: true });
}
