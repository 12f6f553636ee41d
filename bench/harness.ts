// The benchmark harness: `npm run bench` runs every bench/<area>.bench.ts and writes BENCHMARKS.md.
// A benchmark module default-exports an async function returning rows; each row says what was measured, the
// numbers, the target where an issue names one, and the command that reproduces it.

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
export { measureCommand, formatBytes, formatSeconds } from "./measure.ts";
