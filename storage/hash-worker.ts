// Worker thread of the hash pool (hash-pool.ts): hashes whole files with SHA-256 and returns the first bytes
// for format detection. Synchronous reads into one reused buffer: no allocation per chunk, and the thread has
// nothing else to do while it waits.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

export interface HashRequest {
  id: number;
  file: string;
  /** How many leading bytes to return (for magic-byte detection). */
  headBytes: number;
}

export type HashReply = { id: number; ok: true; sha256: string; size: number; head: Uint8Array } | { id: number; ok: false; code: string; message: string };

/** Read size per call: 1 MiB amortises the syscall and stays in the L2 cache between the copy and the hash. */
const chunkSize = 1024 * 1024;
const buffer = Buffer.allocUnsafe(chunkSize);

function hashFile(request: HashRequest): HashReply {
  // O_NOFOLLOW: a symbolic link is never followed out of the folder being measured.
  const fd = openSync(request.file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!fstatSync(fd).isFile()) return { id: request.id, ok: false, code: 'NOT_A_FILE', message: 'not a regular file' };
    const hash = createHash('sha256');
    let size = 0;
    let head: Uint8Array | undefined;
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkSize, null);
      if (read === 0) break;
      if (!head) head = Uint8Array.prototype.slice.call(buffer, 0, Math.min(read, request.headBytes));
      hash.update(read === chunkSize ? buffer : buffer.subarray(0, read));
      size += read;
    }
    return { id: request.id, ok: true, sha256: hash.digest('hex'), size, head: head ?? new Uint8Array() };
  } finally {
    closeSync(fd);
  }
}

parentPort?.on('message', (request: HashRequest) => {
  let reply: HashReply;
  try {
    reply = hashFile(request);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    reply = { id: request.id, ok: false, code: e.code ?? 'READ_FAILED', message: e.message };
  }
  parentPort!.postMessage(reply);
});
