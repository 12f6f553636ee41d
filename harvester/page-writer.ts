// Writes a harvested page's files on a worker thread, so that the main thread reads, crosswalks and validates the
// next page meanwhile (the harvest uses a second core). Each file is written whole or not at all, as
// catalog/atomic-write.ts does it: a temporary file `.<name>.<pid>.<time>.tmp` beside it, then a rename (POSIX
// rename(2) is atomic), in the order given. The harvest commits its state only after write() resolves.
// This module imports nothing but Node builtins: it is also the worker's entry point.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PageFile {
  /** File name inside the folder (no separators). */
  name: string;
  data: string;
}

export interface PageWriter {
  /** Writes the files into `folder` (which exists), in order; resolves when every one is in place. */
  write(folder: string, files: readonly PageFile[]): Promise<void>;
  /** Stops the worker; await every write() first (a write still under way is cut off, its temporary file left). */
  close(): Promise<void>;
}

interface Job {
  id: number;
  folder: string;
  files: readonly PageFile[];
}

function writeJob(job: Job): void {
  for (const file of job.files) {
    const temporary = join(job.folder, `.${file.name}.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(temporary, file.data);
    renameSync(temporary, join(job.folder, file.name));
  }
}

const role = 'bioimage-catalogue-page-writer';

if (!isMainThread && (workerData as { role?: string } | null)?.role === role) {
  parentPort!.on('message', (job: Job) => {
    try {
      writeJob(job);
      parentPort!.postMessage({ id: job.id });
    } catch (error) {
      parentPort!.postMessage({ id: job.id, error: (error as Error).message, code: (error as NodeJS.ErrnoException).code });
    }
  });
}

/** Starts the writer thread. `inline: true` writes on the calling thread instead (same contract, no worker). */
export function createPageWriter(options: { inline?: boolean } = {}): PageWriter {
  if (options.inline) {
    return { write: async (folder, files) => writeJob({ id: 0, folder, files }), close: async () => {} };
  }
  const worker = new Worker(new URL(import.meta.url), { workerData: { role } });
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
    if (message.error) entry.reject(Object.assign(new Error(`cannot write a harvested record: ${message.error}`), { code: message.code }));
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
        worker.postMessage({ id, folder, files } satisfies Job);
      }).finally(() => {
        if (waiting.size === 0) worker.unref();
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
