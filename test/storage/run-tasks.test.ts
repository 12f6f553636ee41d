// runTasks: a bounded number of tasks in flight, per-item failures collected, and the first fatal error stops
// the run (no task starts after it; the tasks in flight see their signal aborted with it).
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StorageError, hasCode } from '../../storage/errors.ts';
import { runTasks } from '../../storage/run-tasks.ts';

const items = Array.from({ length: 20 }, (_, i) => i);

describe('runTasks', () => {
  it('keeps at most `concurrency` tasks in flight and runs every item', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    const run = await runTasks(
      items,
      async (item) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(2);
        seen.push(item);
        inFlight--;
      },
      { concurrency: 3 },
    );
    expect(most).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(items);
    expect(run).toEqual({ failures: [], skipped: 0 });
  });

  it('collects non-fatal errors with their item and goes on', async () => {
    const run = await runTasks(
      items,
      async (item) => {
        if (item % 5 === 0) throw new StorageError('NOT_FOUND', `no ${item}`);
      },
      { concurrency: 4, isFatal: (error) => hasCode(error, 'MIRROR_UNAVAILABLE') },
    );
    expect(run.fatal).toBeUndefined();
    expect(run.failures.map((f) => [f.item, f.index, (f.error as Error).message])).toEqual([
      [0, 0, 'no 0'],
      [5, 5, 'no 5'],
      [10, 10, 'no 10'],
      [15, 15, 'no 15'],
    ]);
  });

  it('stops at the first fatal error: nothing starts after it, the tasks in flight are told', async () => {
    const started: number[] = [];
    const aborted: unknown[] = [];
    const down = new StorageError('MIRROR_UNAVAILABLE', 'the mirror did not answer');
    const run = await runTasks(
      items,
      async (item, _index, signal) => {
        started.push(item);
        if (item === 3) throw down;
        await sleep(5);
        if (signal.aborted) {
          aborted.push(signal.reason);
          throw new StorageError('MIRROR_UNAVAILABLE', `also down at ${item}`);
        }
      },
      { concurrency: 4, isFatal: (error) => hasCode(error, 'MIRROR_UNAVAILABLE') },
    );
    expect(run.fatal).toBe(down);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(aborted).toEqual([down, down, down]);
    expect(run.failures).toEqual([]);
    expect(run.skipped).toBe(16);
  });

  it('treats every error as fatal by default', async () => {
    const run = await runTasks(
      items,
      async (item) => {
        if (item === 0) throw new Error('broken');
      },
      { concurrency: 1 },
    );
    expect((run.fatal as Error).message).toBe('broken');
    expect(run.skipped).toBe(19);
  });

  it('starts nothing once an outer signal is aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = await runTasks(
      items,
      async (item) => {
        started.push(item);
        if (item === 1) controller.abort();
      },
      { concurrency: 1, signal: controller.signal },
    );
    expect(started).toEqual([0, 1]);
    expect(run).toEqual({ failures: [], skipped: 18 });
  });
});
