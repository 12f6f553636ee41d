// The queue of page commits alone: bounded, oldest first, and a failed commit surfaces where the harvest waits.
import { describe, expect, it } from 'vitest';
import { createCommitQueue } from '../../harvester/commit-queue.ts';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('createCommitQueue', () => {
  it('has room until the limit, then waits for the oldest commit', async () => {
    const queue = createCommitQueue(2);
    const [a, b] = [deferred(), deferred()];
    expect(await settled(queue.room())).toBe(true);
    queue.push(a.promise);
    queue.push(b.promise);
    const room = queue.room();
    expect(await settled(room)).toBe(false);
    b.resolve();
    expect(await settled(room)).toBe(false);
    a.resolve();
    expect(await settled(room)).toBe(true);
  });

  it('gives the newest commit as last(), and a resolved promise when none is queued', async () => {
    const queue = createCommitQueue(4);
    expect(await settled(queue.last())).toBe(true);
    const [a, b] = [deferred(), deferred()];
    queue.push(a.promise);
    queue.push(b.promise);
    expect(await settled(queue.last())).toBe(false);
    b.resolve();
    expect(await settled(queue.last())).toBe(true);
  });

  it('rejects room() with a failed commit it waits on, and leaves none unhandled', async () => {
    const queue = createCommitQueue(1);
    const a = deferred();
    queue.push(a.promise);
    a.reject(new Error('ENOSPC'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(queue.room()).rejects.toThrow('ENOSPC');
  });
});
