// Which search shard each listed record belongs to. A rebuild indexes again only the shards whose records changed
// (build-cache.ts), so a record must keep its shard when others are added or withdrawn around it: cutting the
// accession-ordered list every N records would move every later record along by one on each addition.
//
// The cuts are content-defined instead, as in rsync's and LBFS's chunking (Muthitacharoen et al., "A
// Low-bandwidth Network File System", SOSP 2001): a record starts a new shard when the hash of its accession
// falls on a fixed residue, so a cut depends on that record alone. Adding or removing a record changes only the
// shard it falls in. Hash cuts alone give shard sizes as scattered as a geometric distribution (at 100k records
// and 25,000 on average, seven shards of 3,800 to 34,000), and each shard costs the searcher its own metadata;
// so, as in FastCDC's normalised chunking (Xia et al., USENIX ATC 2016), a shard takes no cut before half the
// target and is cut anyway at twice the target. Both bounds make a cut depend on where the shard started, which
// an edit moves only when it falls within a few records of such a bound.
import { hash } from 'node:crypto';

/**
 * Records per shard on average. Indexing one shard again is what a one-entry rebuild waits for, and each shard
 * adds its metadata to a search's first download: docs/site.md weighs the two at 100k entries.
 */
export const defaultShardTarget = 20_000;

/** The first shard's folder holds the Pagefind script the search page loads, whatever the catalogue holds. */
export const firstShardFolder = 'pagefind';

/** The folder of the shard that starts with `accession` (the first shard is always `pagefind/`). */
export const shardFolderOf = (accession: string) => `pagefind-${accession}`;

export interface SearchShard<T> {
  /** Its folder in the site, stable while the record that starts it stays listed. */
  folder: string;
  members: T[];
}

function hashCuts(accession: string, spread: number): boolean {
  return hash('sha256', accession, 'buffer').readUInt32BE(0) % spread === 0;
}

/**
 * Splits records, in accession order, into shards. Always at least one shard (an empty catalogue still gets the
 * search script). `target` below 1 is taken as 1.
 */
export function splitIntoShards<T>(
  records: readonly T[],
  accessionOf: (record: T) => string,
  target = defaultShardTarget,
): SearchShard<T>[] {
  const size = Math.max(1, Math.floor(target));
  const least = Math.max(1, Math.floor(size / 2));
  // Past `least` records, a cut one record in `spread` keeps the average at `size`.
  const spread = Math.max(1, size - least);
  const shards: SearchShard<T>[] = [{ folder: firstShardFolder, members: [] }];
  for (const record of records) {
    const current = shards[shards.length - 1];
    const accession = accessionOf(record);
    const length = current.members.length;
    if (length >= 2 * size || (length >= least && hashCuts(accession, spread)))
      shards.push({ folder: shardFolderOf(accession), members: [record] });
    else current.members.push(record);
  }
  return shards;
}

/** The shard target of a build: SITE_SEARCH_SHARD_TARGET (for tests and benchmarks) or the default. */
export function shardTargetFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.SITE_SEARCH_SHARD_TARGET;
  return value && /^[1-9]\d{0,6}$/.test(value) ? Number(value) : defaultShardTarget;
}
