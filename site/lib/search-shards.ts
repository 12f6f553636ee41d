// Which search shard each listed record belongs to. A rebuild indexes again only the shards whose records changed
// (build-cache.ts), so a record must keep its shard when others are added or withdrawn around it: cutting the
// accession-ordered list every N records would move every later record along by one on each addition.
//
// The cuts are content-defined instead, as in rsync's and LBFS's chunking (Muthitacharoen et al., "A
// Low-bandwidth Network File System", SOSP 2001): a record starts a new shard when the hash of its accession
// falls on a fixed residue, so a cut depends on that record alone. Adding or removing a record changes only the
// shard it falls in, and shards hold `target` records on average. A run of `2 * target` records without a cut is
// cut anyway, which bounds a shard's size (and the time to index it again) at a small cost in stability.
import { createHash } from 'node:crypto';

/** Records per shard on average: indexing one shard again is what a one-entry rebuild waits for (docs/site.md). */
export const defaultShardTarget = 5_000;

/** The first shard's folder holds the Pagefind script the search page loads, whatever the catalogue holds. */
export const firstShardFolder = 'pagefind';

/** The folder of the shard that starts with `accession` (the first shard is always `pagefind/`). */
export const shardFolderOf = (accession: string) => `pagefind-${accession}`;

export interface SearchShard<T> {
  /** Its folder in the site, stable while the record that starts it stays listed. */
  folder: string;
  members: T[];
}

function startsShard(accession: string, target: number): boolean {
  return createHash('sha256').update(accession).digest().readUInt32BE(0) % target === 0;
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
  const shards: SearchShard<T>[] = [{ folder: firstShardFolder, members: [] }];
  for (const record of records) {
    const current = shards[shards.length - 1];
    const accession = accessionOf(record);
    if (current.members.length > 0 && (startsShard(accession, size) || current.members.length >= 2 * size))
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
