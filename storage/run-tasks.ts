// One task per item, a bounded number in flight (p-limit), for every storage loop that works through a list:
// copies, uploads, HEADs, hashing batches, audit reads. A task's error is either fatal (the mirror stopped
// answering, a broken pool): no further task starts and the tasks in flight see their signal aborted; or it is
// that item's failure, collected with the item so that the caller reports it in its own words.
import pLimit from 'p-limit';

export interface RunTasksOptions {
  /** Tasks in flight at once (at least 1). */
  concurrency: number;
  /** Does this error end the run? Default: every error does. */
  isFatal?: (error: unknown) => boolean;
  /** Stops the run from outside: no task starts once it is aborted. */
  signal?: AbortSignal;
}

/** An item whose task threw an error that was not fatal. */
export interface TaskFailure<T> {
  item: T;
  index: number;
  error: unknown;
}

export interface TasksRun<T> {
  /** Non-fatal failures, in the order they happened. */
  failures: Array<TaskFailure<T>>;
  /** The first fatal error, when one happened. */
  fatal?: unknown;
  /** Items whose task never started because the run was stopped. */
  skipped: number;
}

/**
 * Runs `task` for each item, at most `concurrency` at once, and resolves when every started task has settled
 * (never rejects for a task's error). After the first fatal error (or an abort of `options.signal`) no task
 * starts; the signal given to the tasks is aborted with that error as its reason.
 */
export async function runTasks<T>(
  items: readonly T[],
  task: (item: T, index: number, signal: AbortSignal) => Promise<void>,
  options: RunTasksOptions,
): Promise<TasksRun<T>> {
  const isFatal = options.isFatal ?? (() => true);
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const run: TasksRun<T> = { failures: [], skipped: 0 };
  let stopped = false;
  const runOne = async (item: T, index: number) => {
    if (signal.aborted) {
      run.skipped++;
      return;
    }
    try {
      await task(item, index, signal);
    } catch (error) {
      if (!isFatal(error)) run.failures.push({ item, index, error });
      else if (!stopped) {
        stopped = true;
        run.fatal = error;
        controller.abort(error);
      }
    }
  };
  const concurrency = Math.max(1, options.concurrency);
  const limit = pLimit(concurrency);
  // p-limit keeps `concurrency` tasks running; items are handed to it only while its queue is shorter than that,
  // so a long list (an audit of a million objects) never becomes a million queued promises.
  let unsettled = 0;
  let wake: (() => void) | undefined;
  const settle = () => {
    unsettled--;
    wake?.();
  };
  const waitForSettle = () => new Promise<void>((resolve) => (wake = resolve));
  for (let index = 0; index < items.length; index++) {
    while (limit.pendingCount >= concurrency) await waitForSettle();
    if (signal.aborted) {
      run.skipped += items.length - index;
      break;
    }
    unsettled++;
    void limit(runOne, items[index], index).then(settle);
  }
  while (unsettled > 0) await waitForSettle();
  return run;
}
