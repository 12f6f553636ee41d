// The state of one mirror's usage counting, in <catalog>/usage/<mirror>.json: which logs were read and how far
// (by log name, byte offset and a fingerprint of the log's first bytes), and the counts they gave. Both are in one
// file, replaced whole (catalog/atomic-write.ts) after each batch of logs, so a log's counts and the note that it was
// read are committed together: a log read twice, or delivered again later, never counts twice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { StorageError } from '../errors.ts';
import type { UsageCounts } from './counts.ts';

export interface LogProgress {
  /** Bytes read, up to the end of the last complete line. */
  offset: number;
  /** SHA-256 (hex) of the log's first bytes (up to 1 KiB), to tell a log from a new one of the same name. */
  head: string;
  /** Lines read. */
  lines: number;
  /** Lines that could not be read. */
  skipped: number;
  /** The log was compressed: it is read whole, once. */
  gzip?: boolean;
}

export interface UsageState {
  /** The format of this file. */
  version: 1;
  mirror: string;
  /** When the state was last written (ISO 8601). */
  updated: string;
  logs: Record<string, LogProgress>;
  counts: UsageCounts;
}

const mirrorId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The usage folder of a catalogue. */
export const usageFolder = (catalog: string): string => join(catalog, 'usage');

export function stateFileOf(catalog: string, mirror: string): string {
  if (!mirrorId.test(mirror)) throw new StorageError('UNSAFE_KEY', `the mirror id '${mirror}' cannot name a file`);
  return join(usageFolder(catalog), `${mirror}.json`);
}

/** The state of a mirror, empty when it was never counted; throws when the file is there but not a state. */
export async function readUsageState(file: string, mirror: string): Promise<UsageState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { version: 1, mirror, updated: new Date(0).toISOString(), logs: {}, counts: {} };
    throw error;
  }
  const state = parseUsageState(text);
  if (!state)
    throw new StorageError(
      'USAGE_STATE_INVALID',
      `${file} is not a usage state file this catalogue writes. Fix: restore it from git (it is committed with ` +
        'the catalogue); starting from an empty state would count every log again',
    );
  return state;
}

/** A usage state from JSON text, or undefined when the text is not one (a file written by hand, half a file). */
export function parseUsageState(text: string): UsageState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const state = data as Partial<UsageState> | null;
  if (!state || typeof state !== 'object' || state.version !== 1 || typeof state.mirror !== 'string') return undefined;
  if (!isRecord(state.logs) || !isRecord(state.counts)) return undefined;
  for (const months of Object.values(state.counts)) {
    if (!isRecord(months)) return undefined;
    for (const methods of Object.values(months)) {
      if (!isRecord(methods)) return undefined;
      for (const values of Object.values(methods))
        if (!Array.isArray(values) || values.length !== 4 || !values.every((v) => Number.isSafeInteger(v) && v >= 0))
          return undefined;
    }
  }
  return state as UsageState;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function writeUsageState(file: string, state: UsageState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify({ ...state, updated: new Date().toISOString() }, null, 1) + '\n');
}
