// The benchmark harness: `npm run bench` runs every bench/<area>.bench.ts and writes BENCHMARKS.md.
// A benchmark module default-exports an async function returning rows; each row says what was measured, the
// numbers, the target where there is one, and the command that reproduces it.

import { rm } from 'node:fs/promises';

export interface BenchRow {
  /** Section of BENCHMARKS.md, e.g. "Catalogue check". */
  section: string;
  /** What was measured, e.g. "check, 100k generated entries". */
  what: string;
  /** The measurement, e.g. "21.4 s wall, 610 MB peak RSS". */
  result: string;
  /** The target it is held to, e.g. "<= 30 s, <= 1.5 GB"; empty when none. */
  target?: string;
  /** 'met', 'missed' or '' when there is no target. */
  verdict?: 'met' | 'missed' | '';
  /** A command that reproduces the row on its own. */
  command: string;
}

export type Benchmark = (options: { quick: boolean; workDir: string }) => Promise<BenchRow[]>;

/** Runs a command and returns wall time (ms) and peak RSS (bytes) of it and its children, via GNU time when present. */
export { measureCommand, formatBytes, formatSeconds } from './measure.ts';

// Folders the benchmarks filled, removed only once every benchmark of the run is measured. On ext4 without a
// journal (this project's benchmark machine), a new inode skips every one freed in the last 300 s while its inode
// table block is dirty (recently_deleted() in fs/ext4/ialloc.c), and creating files dirties those blocks again: for
// five minutes after a large deletion, creating a file costs several times its usual system time
// (docs/harvester.md). A measurement must not pay for the previous one's clean-up.
const removeAtEnd: string[] = [];

/** Queues a folder for removal at the end of the run (removeQueuedFolders). */
export function removeAfterRun(path: string): void {
  removeAtEnd.push(path);
}

/** Removes the queued folders; called once, after the last benchmark. */
export async function removeQueuedFolders(): Promise<void> {
  for (const path of removeAtEnd.splice(0)) await rm(path, { recursive: true, force: true });
}
