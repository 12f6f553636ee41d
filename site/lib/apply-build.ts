// The last step of an incremental build (build-cache.ts): the build wrote only what changed into a staging folder;
// here the outputs that changed or disappeared leave the site and the staging folder's files take their place.
// Which files belong to which output follows from the site's layout: an entry owns entries/<ACCESSION>/ and
// entries/<ACCESSION>.json, a browse page its index.html, a search shard its folder; every other file is an
// aggregate, rewritten by every build.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuildKeys } from './build-step-keys.ts';

const entryFiles = (accession: string) => [`entries/${accession}`, `entries/${accession}.json`];
const pageFile = (path: string) => `${path}/index.html`;

/** Does this file of a built site belong to a keyed output of `keys` (and not to the aggregates)? */
function isKeyed(path: string, keys: BuildKeys): boolean {
  const [top, second] = path.split('/');
  if (top === 'entries' && second !== undefined) {
    const accession = second.endsWith('.json') && path === `entries/${second}` ? second.slice(0, -5) : second;
    return accession in keys.entries;
  }
  if (top in keys.shards) return true;
  return path.endsWith('/index.html') && path.slice(0, -'/index.html'.length) in keys.pages;
}

/** The aggregates of a built site: its files that belong to no keyed output, as paths relative to `site`. */
export function aggregateFiles(site: string, keys: BuildKeys): string[] {
  const files: string[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const dirent of readdirSync(folder, { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${dirent.name}` : dirent.name;
      // Entries and shards are keyed whole: no need to list their (many) files.
      if (!prefix && (dirent.name in keys.shards || dirent.name === 'entries')) continue;
      if (dirent.isDirectory()) walk(join(folder, dirent.name), path);
      else if (!isKeyed(path, keys)) files.push(path);
    }
  };
  walk(site, '');
  // Files under entries/ that name no accession (none today) would be aggregates too.
  if (existsSync(join(site, 'entries')))
    for (const dirent of readdirSync(join(site, 'entries'), { withFileTypes: true })) {
      const path = `entries/${dirent.name}`;
      if (dirent.isFile() && !isKeyed(path, keys)) files.push(path);
    }
  return files.sort();
}

/** Removes from the site every output whose key changed or that this build no longer has. */
async function removeStale(site: string, previous: BuildKeys, next: BuildKeys, aggregates: readonly string[]) {
  const stale: string[] = [];
  for (const [accession, key] of Object.entries(previous.entries))
    if (next.entries[accession] !== key) stale.push(...entryFiles(accession));
  for (const [path, key] of Object.entries(previous.pages)) if (next.pages[path] !== key) stale.push(pageFile(path));
  for (const [folder, key] of Object.entries(previous.shards)) if (next.shards[folder] !== key) stale.push(folder);
  stale.push(...aggregates);
  for (const path of stale) await rm(join(site, path), { recursive: true, force: true });
}

/**
 * Moves the staging folder's files into the site: a folder the site lacks moves whole, one it has is merged file
 * by file (a file replaces the site's file of the same name).
 */
async function moveInto(staging: string, site: string): Promise<void> {
  await mkdir(site, { recursive: true });
  for (const dirent of readdirSync(staging, { withFileTypes: true })) {
    const from = join(staging, dirent.name);
    const to = join(site, dirent.name);
    if (dirent.isDirectory() && existsSync(to) && statSync(to).isDirectory()) await moveInto(from, to);
    else {
      if (dirent.isDirectory()) rmSync(to, { force: true });
      await mkdir(dirname(to), { recursive: true });
      renameSync(from, to);
    }
  }
}

/** Removes the folders that removals left empty (a cold build of the same catalogue has none). */
function removeEmptyFolders(folder: string): boolean {
  let empty = true;
  for (const dirent of readdirSync(folder, { withFileTypes: true })) {
    if (dirent.isDirectory() && removeEmptyFolders(join(folder, dirent.name)))
      rmSync(join(folder, dirent.name), { recursive: true });
    else empty = false;
  }
  return empty;
}

/** The folders where removals can leave an empty folder: browse pages of values no longer listed. */
const prunedFolders = ['browse'];

/**
 * Applies an incremental build: removes the stale outputs and aggregates of the previous build, moves the new
 * ones in, and returns the new build's aggregates.
 */
export async function applyIncrementalBuild(
  staging: string,
  site: string,
  previous: { keys: BuildKeys; aggregates: readonly string[] },
  next: BuildKeys,
): Promise<string[]> {
  const aggregates = aggregateFiles(staging, next);
  await removeStale(site, previous.keys, next, previous.aggregates);
  await moveInto(staging, site);
  for (const folder of prunedFolders) if (existsSync(join(site, folder))) removeEmptyFolders(join(site, folder));
  return aggregates;
}
