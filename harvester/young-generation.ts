// Peak RSS of a long harvest. V8 doubles the young generation whenever the bytes that survived scavenges since the
// last growth exceed its size, whatever the live set, and shrinks it only when allocation slows; a harvest never
// slows, so the young generation ends at its maximum, two semi-spaces of 64 MiB on a machine with this much memory
// (V8 heap.cc, Heap::ConfigureHeap / NewSpace::Grow). The harvest's live set is a few pages (~20 MiB), so most of
// that is dead space that RSS counts. --max-semi-space-size fixes it only at start-up (a flag of node, not of a
// library); --semi-space-growth-factor is read at each growth, so setting it to 1 once the young generation has
// reached a given size keeps it there, and the default (2) is put back afterwards.
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** V8's default --semi-space-growth-factor. */
const defaultGrowthFactor = 2;

/**
 * Young generation kept by default: 32 MiB (two semi-spaces of 16 MiB). Smaller costs CPU: the page being processed
 * survives more scavenges and is copied again (replaying 30,000 records from memory on a loaded machine: a young
 * generation of 32 MiB ~80 µs user per record, 64 MiB ~75, 128 MiB ~65; over the network the difference was within
 * the noise); larger adds RSS (100,000 records, writer on the main thread: peak 209 MB at 32 MiB, 240 at 64, 297 at
 * 128; the page writer's worker thread adds ~25 MB, so 32 MiB keeps the harvest well under 300 MB).
 */
export const defaultYoungGenerationBytes = 32 * 1024 * 1024;

let holders = 0;
let frozen = false;

export interface YoungGenerationHold {
  /** Call now and then (once per page): stops the growth once the young generation has reached its size. */
  check(): void;
  /** Ends the hold (nested holds are counted; the last one restores V8's default). */
  release(): void;
}

/** Lets the young generation grow up to `bytes` (default 32 MiB) and no further while held. */
export function holdYoungGeneration(bytes = defaultYoungGenerationBytes): YoungGenerationHold {
  holders++;
  let released = false;
  const hold: YoungGenerationHold = {
    check() {
      if (frozen || released) return;
      const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
      if (young && young.space_size >= bytes) {
        setFlagsFromString('--semi-space-growth-factor=1');
        frozen = true;
      }
    },
    release() {
      if (released) return;
      released = true;
      if (--holders === 0 && frozen) {
        setFlagsFromString(`--semi-space-growth-factor=${defaultGrowthFactor}`);
        frozen = false;
      }
    },
  };
  hold.check();
  return hold;
}
