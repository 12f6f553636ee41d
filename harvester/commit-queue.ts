// The commits of the pages handed to the page writer, oldest first. The writer writes in order (a page's files, then
// its state, then the next page's) and stops at the first failure, so the state on disk never runs ahead of the
// files, and the newest commit done means every earlier one is done too. A bounded number are queued, so that the
// harvest goes on reading and crosswalking while the files are created, with a bounded number of pages held.

export interface CommitQueue {
  /** Waits, oldest first, until fewer than the limit are queued; rejects with the first failed commit waited on. */
  room(): Promise<void>;
  /** Queues a page's commit (a rejection is reported by room() or last(), never unhandled). */
  push(commit: Promise<void>): void;
  /** The newest commit queued (resolved when there is none). */
  last(): Promise<void>;
}

/** A queue of at most `limit` commits (pages) before room() waits. */
export function createCommitQueue(limit: number): CommitQueue {
  const committing: Promise<void>[] = [];
  return {
    async room() {
      while (committing.length >= limit) await committing.shift();
    },
    push(commit) {
      commit.catch(() => undefined);
      committing.push(commit);
    },
    last: () => committing[committing.length - 1] ?? Promise.resolve(),
  };
}
