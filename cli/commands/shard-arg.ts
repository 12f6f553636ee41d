// `--shard K/N`, as every command that splits its work across the jobs of a CI matrix or batch array takes it
// (storage/shards.ts), and `--merge`, which joins what the jobs wrote: one definition, one message.
import { parseShard, type Shard } from '../../storage/shards.ts';
import { UsageError } from '../command.ts';

export const shardArg = {
  type: 'string',
  value: 'K/N',
  description: 'only shard K of N (a split by key, for N jobs of a CI matrix or batch array)',
} as const;

/** The shard `--shard` names, or undefined when it is not given; a malformed one is a usage error. */
export function shardOf(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError(`--shard: ${(error as Error).message}`);
  }
}
