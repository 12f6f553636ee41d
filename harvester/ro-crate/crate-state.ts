// The state of an RO-Crate partner's harvest, harvest-state/<partner>/ro-crate.json: per crate address what
// makes the next request conditional (ETag, Last-Modified: RFC 9110 §8.8) or the blob it was read from, and for a
// GitHub folder the commit read in full. Read through parseSource (size and depth limits): it sits in the catalogue.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSource } from '../../catalog/source.ts';
import { stateDir } from '../harvest-state.ts';

/** Where the state of a partner's crates is kept in the catalogue. */
export const crateStatePath = (catalog: string, partner: string): string =>
  join(catalog, stateDir, partner, 'ro-crate.json');

export interface CrateStateEntry {
  /** The harvested record's id, when the crate was read well. */
  id?: string;
  etag?: string;
  lastModified?: string;
  /** The git blob the crate was read from (GitHub source). */
  blob?: string;
}

export interface CrateState {
  /** Keyed by the crate's address. */
  crates: Record<string, CrateStateEntry>;
  /** The commit whose folder was read in full (GitHub source). */
  commit?: string;
  /** The folder that commit applies to (owner/repo/path@ref): another folder is read again whatever the commit. */
  folder?: string;
  completedAt?: string;
}

/** The stored state, or undefined when there is none or it cannot be read (the harvest then starts over). */
export async function readCrateState(path: string): Promise<CrateState | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const data = parseSource(path, await readFile(path, 'utf8')).data as CrateState | null;
    if (typeof data !== 'object' || data === null || typeof data.crates !== 'object' || data.crates === null)
      return undefined;
    // Keys are crate addresses: an object without a prototype, so that no address can name one of its members.
    return { ...data, crates: Object.assign(Object.create(null) as Record<string, CrateStateEntry>, data.crates) };
  } catch {
    return undefined;
  }
}

export const renderCrateState = (state: CrateState): string => JSON.stringify(state, null, 2) + '\n';
