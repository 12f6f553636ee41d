// SHA-256 of many files on every core: a pool of worker threads (hash-worker.ts), one file per worker at a
// time, a bounded queue. SHA-256 is sequential within one file, so a single large file uses one core.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StorageError } from './errors.ts';
import type { HashReply, HashRequest } from './hash-worker.ts';

export interface FileDigest {
  sha256: string;
  size: number;
  /** The first bytes of the file (up to `headBytes`). */
  head: Uint8Array;
}

export interface HashPool {
  hashFile(file: string): Promise<FileDigest>;
  close(): Promise<void>;
}

export interface HashPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /** Leading bytes returned per file (default 512: covers every magic number in formats.ts). */
  headBytes?: number;
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const headBytes = options.headBytes ?? 512;
  const idle: Worker[] = [];
  const all: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const pending = new Map<number, { resolve: (d: FileDigest) => void; reject: (e: Error) => void; file: string; worker: Worker }>();
  let nextId = 0;

  for (let i = 0; i < threads; i++) {
    const worker = new Worker(new URL('./hash-worker.ts', import.meta.url));
    worker.on('message', (reply: HashReply) => {
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      if (reply.ok) job.resolve({ sha256: reply.sha256, size: reply.size, head: reply.head });
      else job.reject(new StorageError(reply.code === 'ELOOP' ? 'SYMLINK' : reply.code, `${job.file}: ${reply.code === 'ELOOP' ? 'is a symbolic link' : reply.message}`));
      release(worker);
    });
    worker.on('error', (error) => {
      for (const [id, job] of pending) if (job.worker === worker) {
        pending.delete(id);
        job.reject(error);
      }
    });
    all.push(worker);
    idle.push(worker);
  }

  function release(worker: Worker) {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  }

  return {
    async hashFile(file) {
      const worker = idle.pop() ?? (await new Promise<Worker>((resolve) => waiting.push(resolve)));
      return new Promise<FileDigest>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, file, worker });
        worker.postMessage({ id, file, headBytes } satisfies HashRequest);
      });
    },
    async close() {
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}
