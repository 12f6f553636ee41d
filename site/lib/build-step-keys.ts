// How the two processes of a build learn what the previous build wrote, and report what this one did
// (build-cache.ts keeps both between builds). SITE_PREVIOUS_KEYS names the previous build's keys (absent: a cold
// build, everything is written); each process writes the keys of its outputs as <name>.json into SITE_KEYS_DIR.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SitemapEntry } from './data-files.ts';

/** The keys of a build's outputs (build-keys.ts): entries by accession, browse pages by path, shards by folder. */
export interface BuildKeys {
  entries: Record<string, string>;
  pages: Record<string, string>;
  shards: Record<string, string>;
  /** The sitemap entry of each listed record (data-files.ts), which the next build takes for unchanged ones. */
  sitemap?: Record<string, SitemapEntry>;
}

export const noKeys = (): BuildKeys => ({ entries: {}, pages: {}, shards: {} });

let previous: BuildKeys | undefined | null = null;

/** The previous build's keys, or undefined for a cold build. */
export function previousKeys(env: NodeJS.ProcessEnv = process.env): BuildKeys | undefined {
  if (previous === null)
    previous = env.SITE_PREVIOUS_KEYS
      ? (JSON.parse(readFileSync(env.SITE_PREVIOUS_KEYS, 'utf8')) as BuildKeys)
      : undefined;
  return previous;
}

/** Is this output the same as in the previous build (so it is already in place and is not written)? */
export function unchanged(
  kind: 'entries' | 'pages' | 'shards',
  id: string,
  key: string,
  env: NodeJS.ProcessEnv = process.env,
) {
  return previousKeys(env)?.[kind][id] === key;
}

/** Writes this process's keys for the build to keep (nothing when the build keeps none). */
export function reportKeys(name: string, keys: Partial<BuildKeys>, env: NodeJS.ProcessEnv = process.env): void {
  if (env.SITE_KEYS_DIR) writeFileSync(join(env.SITE_KEYS_DIR, `${name}.json`), JSON.stringify(keys));
}
