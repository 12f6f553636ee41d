// Peak RSS of a long harvest. V8 doubles the young generation whenever the bytes that survived scavenges since the
// last growth exceed its size, whatever the live set, and shrinks it only when allocation slows; a harvest never
// slows, so the young generation ends at its maximum, two semi-spaces of 64 MiB on a machine with this much memory
// (V8 heap.cc, Heap::ConfigureHeap / NewSpace::Grow). The harvest's live set is a few pages (~20 MiB), so most of
// that is dead space that RSS counts. V8 reads its maximum once, when the heap is set up: Node supports setting it
// only at process start (`--max-semi-space-size`, also accepted in NODE_OPTIONS) or for a worker
// (`resourceLimits.maxYoungGenerationSizeMb`); changing V8 flags later with v8.setFlagsFromString is, in Node's
// words, undefined behaviour. So the `catalogue` command starts a harvest in a process that has the flag.

/**
 * Young generation of a harvest: 32 MiB (two semi-spaces of 16 MiB). Smaller costs CPU: the page being processed
 * survives more scavenges and is copied again; larger adds RSS (docs/harvester.md, the benchmark's last row).
 */
export const defaultYoungGenerationBytes = 32 * 1024 * 1024;

const semiSpaceOption = '--max-semi-space-size';

/** Node's option that caps the young generation at `bytes` (default 32 MiB): two semi-spaces of half, in MiB. */
export function youngGenerationFlag(bytes = defaultYoungGenerationBytes): string {
  return `${semiSpaceOption}=${Math.max(1, Math.round(bytes / 2 / 1024 / 1024))}`;
}

/**
 * Replaces this process by the same command with the young generation capped at `bytes` (default 32 MiB), unless a
 * semi-space size is already given on Node's command line or in NODE_OPTIONS. Returns without doing anything where
 * Node cannot replace a process (process.execve: Node >= 22.15, not on Windows); the harvest then runs with V8's
 * default and a higher peak RSS. Call it only at process start, before anything has been read or written.
 */
export function restartWithYoungGenerationLimit(bytes?: number): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((arg) => arg === semiSpaceOption || arg.startsWith(`${semiSpaceOption}=`))) return;
  if (typeof process.execve !== 'function') return;
  process.execve(process.execPath, [
    process.execPath,
    ...process.execArgv,
    youngGenerationFlag(bytes),
    ...process.argv.slice(1),
  ]);
}
