// Writes a harvested page's files: on a worker thread by default, so that the main thread reads, crosswalks and
// validates the next pages meanwhile, or on the calling thread ('inline'). Each file is written whole or not at all:
// a temporary file `.<name>.<pid>.<time>.tmp` beside it, then a rename (POSIX rename(2) is atomic). Unlike
// catalog/atomic-write.ts (`.<name>.<pid>.<time>-<random>.tmp`, flushed with fsync), the name has no random part,
// since a writer writes one file at a time, and the files are not flushed with fsync.
// Writes happen in the order write() was called, and after one fails no later one happens: the harvest queues a
// page's files and then its state, and relies on that order (harvest.ts).
// This module imports nothing but Node builtins: it is also the worker's entry point.
import { readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join, sep } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PageFile {
  /** File name inside the folder (no separators). */
  name: string;
  data: string;
}

export interface PageWriter {
  /**
   * Writes the files into `folder` (which exists), in order, after every earlier write; resolves when every one is in
   * place. Rejects, without writing anything, when an earlier write failed.
   */
  write(folder: string, files: readonly PageFile[]): Promise<void>;
  /** Stops the worker; await every write() first (a write still under way is cut off, its temporary file left). */
  close(): Promise<void>;
}

// A page crosses to the worker as one transferred buffer (UTF-8 of every file, end offsets beside it): a transfer
// moves the memory to the worker, where postMessage would clone every string of the page.
interface Job {
  id: number;
  folder: string;
  names: string[];
  ends: Uint32Array;
  bytes: Uint8Array;
}

function encode(id: number, folder: string, files: readonly PageFile[]): Job {
  let capacity = 0;
  for (const file of files) capacity += file.data.length * 3;
  const bytes = new Uint8Array(capacity);
  const ends = new Uint32Array(files.length);
  const encoder = new TextEncoder();
  let offset = 0;
  files.forEach((file, i) => {
    offset += encoder.encodeInto(file.data, bytes.subarray(offset)).written;
    ends[i] = offset;
  });
  return { id, folder, names: files.map((f) => f.name), ends, bytes };
}

function writeJob(job: Job): void {
  let start = 0;
  job.names.forEach((name, i) => {
    const temporary = join(job.folder, `.${name}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(temporary, job.bytes.subarray(start, job.ends[i]));
    renameSync(temporary, join(job.folder, name));
    start = job.ends[i];
  });
}

const role = 'bioimage-catalogue-page-writer';

if (!isMainThread && (workerData as { role?: string } | null)?.role === role) {
  // Below the harvest's main thread in the scheduler's eyes (nice 10; a thread may lower its own priority): the
  // writes are queued ahead (harvest.ts), so on a busy machine the reading and parsing of the next pages, which the
  // rate waits on, go first, and the files are written in the gaps.
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 10);
  } catch {
    // Not Linux (no /proc/thread-self): the writer keeps the process's priority.
  }
  // The first failure refuses every later job: a page's state must never be committed after its files failed.
  let failed: { error: string; code?: string } | undefined;
  parentPort!.on('message', (job: Job) => {
    if (failed) {
      parentPort!.postMessage({
        id: job.id,
        error: `not written, an earlier write failed (${failed.error})`,
        code: failed.code,
      });
      return;
    }
    try {
      writeJob(job);
      parentPort!.postMessage({ id: job.id });
    } catch (error) {
      failed = { error: (error as Error).message, code: (error as NodeJS.ErrnoException).code };
      parentPort!.postMessage({ id: job.id, ...failed });
    }
  });
}

/**
 * Where the files are written: 'worker' (default) writes on a worker thread (one more isolate), so that the kernel's
 * file creation runs beside the main thread; 'inline' writes synchronously on the calling thread, for a little less
 * CPU per file. Same contract for both. Not libuv's thread pool: its threads would contend for the folder's lock,
 * each file would cost four round trips to the pool, and the order of the writes would not be kept. Measurements:
 * docs/harvester.md (Benchmark).
 */
export type PageWriterMode = 'worker' | 'inline';

/** Starts the writer (default mode 'worker'). */
export function createPageWriter(options: { mode?: PageWriterMode } = {}): PageWriter {
  const mode = options.mode ?? 'worker';
  if (mode === 'inline') {
    let failed: Error | undefined;
    // A string goes straight to writeFileSync: Node writes UTF-8 strings in one native call (open, write, close),
    // with no Buffer made in JavaScript.
    const writeInline = (folder: string, files: readonly PageFile[]) => {
      if (failed)
        throw Object.assign(new Error(`not written, an earlier write failed (${failed.message})`), {
          code: (failed as NodeJS.ErrnoException).code,
        });
      // Names have no separator (PageFile): the folder is joined once, not twice per file.
      const base = join(folder, sep);
      try {
        for (const file of files) {
          const temporary = `${base}.${file.name}.${process.pid}.${Date.now()}.tmp`;
          writeFileSync(temporary, file.data);
          renameSync(temporary, base + file.name);
        }
      } catch (error) {
        failed = error as Error;
        throw Object.assign(new Error(`cannot write a harvested record: ${failed.message}`), {
          code: (failed as NodeJS.ErrnoException).code,
        });
      }
    };
    return { write: async (folder, files) => writeInline(folder, files), close: async () => {} };
  }
  // The worker holds the bytes of the few pages queued (harvest.ts bounds them) and allocates little: a small heap
  // keeps the harvest's RSS flat (V8 would otherwise size its young generation by the machine's memory, up to 64 MB
  // per semi-space).
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { role },
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
  });
  // The harvest's own promises keep the process alive while it waits; an idle writer must not.
  worker.unref();
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let next = 1;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (message: { id: number; error?: string; code?: string }) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (!entry) return;
    if (message.error)
      entry.reject(
        Object.assign(new Error(`cannot write a harvested record: ${message.error}`), { code: message.code }),
      );
    else entry.resolve();
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => {
    if (waiting.size) failAll(new Error(`the page writer stopped (exit code ${code}) before writing every file`));
  });
  return {
    write(folder, files) {
      if (failure) return Promise.reject(failure);
      const id = next++;
      return new Promise<void>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        const job = encode(id, folder, files);
        worker.postMessage(job, [job.bytes.buffer as ArrayBuffer, job.ends.buffer as ArrayBuffer]);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
