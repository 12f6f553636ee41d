// The counts of every mirror, summed: what the site publishes. Read defensively, since the build must not fail
// on a state file being written or edited by hand: a file that is not a usage state is left out and named.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addCounts, type UsageCounts } from './counts.ts';
import { parseUsageState, usageFolder } from './usage-state.ts';

export interface MergedCounts {
  counts: UsageCounts;
  /** The mirrors counted. */
  mirrors: string[];
  /** State files left out, with why. */
  unreadable: string[];
  /** The latest time a mirror's counts were written (ISO 8601), or undefined when none was. */
  updated?: string;
}

export async function readMergedCounts(catalog: string): Promise<MergedCounts> {
  const folder = usageFolder(catalog);
  const out: MergedCounts = { counts: {}, mirrors: [], unreadable: [] };
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const state = parseUsageState(await readFile(join(folder, name), 'utf8').catch(() => ''));
    if (!state) {
      out.unreadable.push(`usage/${name}`);
      continue;
    }
    addCounts(out.counts, state.counts);
    out.mirrors.push(state.mirror);
    if (!out.updated || state.updated > out.updated) out.updated = state.updated;
  }
  return out;
}
