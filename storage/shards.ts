// Work split across machines by an existing scheduler (a CI matrix, a batch array job): each of N jobs runs the
// same command with `--shard K/N` and takes the keys whose hash falls in its part. The split depends on the key
// alone, never on the order of a listing or on what else is stored, so N jobs on N machines cover every key
// exactly once, and the same key lands in the same shard on every run.
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based: shard K of N. */
  index: number;
  count: number;
}

/** At most this many shards: a matrix larger than this is a typo more often than a plan. */
export const maxShards = 10_000;

/** Parses `K/N` (1 <= K <= N); the message says what is wrong and how to write it. */
export function parseShard(text: string): Shard {
  const match = /^(\d{1,5})\/(\d{1,5})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > maxShards || index < 1 || index > count)
    throw new RangeError(`'${text}' is not a shard: write K/N with 1 <= K <= N <= ${maxShards}, e.g. 3/8`);
  return { index, count };
}

/** The shard (0-based) of a key: the first four bytes of its SHA-256, modulo the count. */
export function shardOfKey(key: string, count: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % count;
}

/** Does `key` belong to `shard`? Every key belongs to the whole (no shard given). */
export function inShard(key: string, shard: Shard | undefined): boolean {
  return shard === undefined || shard.count === 1 || shardOfKey(key, shard.count) === shard.index - 1;
}

export const formatShard = (shard: Shard) => `${shard.index}/${shard.count}`;
