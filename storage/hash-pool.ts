// SHA-256 on every core: a pool of worker threads (hash-worker.ts). SHA-256 is sequential within one file, so
// the work is split across files, never within one: many files keep every worker busy, and a few big files
// are read from the page cache by as many workers as there are files.
// Each worker is given up to two jobs at once, so it starts the next as soon as it has answered the last (no
// idle round trip between jobs); small files travel in batches (one message per batch, not per file).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { StorageError } from './errors.ts';
import type { HashOutcome, HashReply, HashRequest } from './hash-worker.ts';

export interface FileDigest {
  sha256: string;
  size: number;
  /** The first bytes of the file (up to `headBytes`; empty for URLs). */
  head: Uint8Array;
}

export interface HashPool {
  /** The number of worker threads. */
  readonly threads: number;
  hashFile(file: string): Promise<FileDigest>;
  /** A batch of files in one message: each a digest, or the StorageError that file met. */
  hashFiles(files: string[]): Promise<Array<FileDigest | StorageError>>;
  /**
   * GETs a URL in a worker and hashes the body there (presigned S3 URLs, public mirrors). `expectedSize`, the
   * manifest's size when known, lets a large object take the cheaper way (hash-url.ts).
   */
  hashUrl(url: string, expectedSize?: number): Promise<FileDigest>;
  close(): Promise<void>;
}

export interface HashPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /** Leading bytes returned per file (default 512: covers every magic number in formats.ts). */
  headBytes?: number;
  /** A GET that delivers no byte for this long fails (milliseconds, default 60 000). */
  idleTimeoutMs?: number;
}

/**
 * Jobs sent ahead to one worker. Files: 2 hides the round trip between jobs without hoarding work on one
 * thread (a file job blocks its worker). URLs: a GET mostly waits on the server, so one worker runs several
 * at once (rclone's default is 8 checkers; 4 per worker gives 8 on two cores).
 */
const jobsPerWorker = { files: 2, url: 4 };

/** A request before the pool gives it an id (Omit over each member of the union). */
type JobRequest = HashRequest extends infer R ? (R extends HashRequest ? Omit<R, 'id'> : never) : never;
type Job = { request: JobRequest; resolve: (outcomes: HashOutcome[]) => void; reject: (error: Error) => void };
interface Slot {
  worker: Worker;
  inFlight: Map<number, Job>;
}

function toResult(outcome: HashOutcome, what: string): FileDigest | StorageError {
  if (outcome.ok) return { sha256: outcome.sha256, size: outcome.size, head: outcome.head };
  if (outcome.code === 'ELOOP') return new StorageError('SYMLINK', `${what}: is a symbolic link`);
  return new StorageError(outcome.code, `${what}: ${outcome.message}`);
}

export function createHashPool(options: HashPoolOptions = {}): HashPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const headBytes = options.headBytes ?? 512;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let closed = false;

  function dispatch() {
    while (queue.length > 0) {
      // The least busy worker with room.
      const limit = jobsPerWorker[queue[0].request.kind];
      let best: Slot | undefined;
      for (const slot of slots)
        if (slot.inFlight.size < limit && (!best || slot.inFlight.size < best.inFlight.size)) best = slot;
      if (!best) return;
      const job = queue.shift()!;
      const id = nextId++;
      best.inFlight.set(id, job);
      best.worker.postMessage({ ...job.request, id } as HashRequest);
    }
  }

  for (let i = 0; i < threads; i++) {
    const slot: Slot = { worker: new Worker(new URL('./hash-worker.ts', import.meta.url)), inFlight: new Map() };
    slot.worker.on('message', (reply: HashReply) => {
      const job = slot.inFlight.get(reply.id);
      if (!job) return;
      slot.inFlight.delete(reply.id);
      job.resolve(reply.outcomes);
      dispatch();
    });
    slot.worker.on('error', (error) => {
      for (const job of slot.inFlight.values()) job.reject(error);
      slot.inFlight.clear();
    });
    slots.push(slot);
  }

  function run(request: JobRequest): Promise<HashOutcome[]> {
    if (closed) return Promise.reject(new StorageError('POOL_CLOSED', 'the hash pool is closed'));
    return new Promise((resolve, reject) => {
      queue.push({ request, resolve, reject });
      dispatch();
    });
  }

  async function one(request: JobRequest, what: string): Promise<FileDigest> {
    const [outcome] = await run(request);
    const result = toResult(outcome, what);
    if (result instanceof StorageError) throw result;
    return result;
  }

  return {
    threads,
    hashFile: (file) => one({ kind: 'files', files: [file], headBytes }, file),
    async hashFiles(files) {
      const outcomes = await run({ kind: 'files', files, headBytes });
      return outcomes.map((outcome, i) => toResult(outcome, files[i]));
    },
    // The URL may carry a signature: messages name the host and path only.
    hashUrl: (url, expectedSize) =>
      one(
        { kind: 'url', url, idleTimeoutMs, expectedSize },
        (() => {
          const parsed = new URL(url);
          return `${parsed.host}${parsed.pathname}`;
        })(),
      ),
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
