// Worker thread of the hash pool (hash-pool.ts). Two kinds of job, each answered by one message:
// - `files`: a batch of local files, hashed one after the other with synchronous reads into one reused 4 MiB
//   buffer (no allocation per chunk; the thread has nothing else to do while it waits). A batch of small files
//   costs one message round trip, not one per file.
// - `url`: one object fetched over HTTP(S) (a presigned S3 GET or a public mirror URL) and hashed here as it
//   arrives, so that the bytes of a remote audit never cross the main thread.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { failure, hashUrl, type HashOutcome } from './hash-url.ts';

export type HashRequest =
  | {
      id: number;
      kind: 'files';
      files: string[] /** How many leading bytes to return (for magic-byte detection). */;
      headBytes: number;
    }
  | {
      id: number;
      kind: 'url';
      url: string /** Milliseconds without a byte before the GET is abandoned. */;
      idleTimeoutMs: number /** The manifest's size, which chooses how to GET (hash-url.ts). */;
      expectedSize?: number;
    };

export type { HashOutcome };

export interface HashReply {
  id: number;
  /** One outcome per file of a `files` job, one for a `url` job. */
  outcomes: HashOutcome[];
}

/**
 * Read size per call. 4 MiB: one syscall per 4 MiB amortises the kernel entry, and the copy out of the page
 * cache costs far less than the hash of the same bytes.
 */
const chunkSize = 4 * 1024 * 1024;
let buffer: Buffer | undefined;

function hashFile(file: string, headBytes: number): HashOutcome {
  // O_NOFOLLOW: a symbolic link is never followed out of the folder being measured.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, code: 'NOT_A_FILE', message: 'not a regular file' };
    // Small files are read into a buffer of their own size: no 4 MiB buffer for a worker that never needs one.
    const target =
      info.size < chunkSize
        ? Buffer.allocUnsafe(Math.max(1, info.size + 1))
        : (buffer ??= Buffer.allocUnsafe(chunkSize));
    const hash = createHash('sha256');
    let size = 0;
    let head: Uint8Array | undefined;
    for (;;) {
      const read = readSync(fd, target, 0, target.length, null);
      if (read === 0) break;
      if (!head) head = Uint8Array.prototype.slice.call(target, 0, Math.min(read, headBytes));
      hash.update(read === target.length ? target : target.subarray(0, read));
      size += read;
    }
    return { ok: true, sha256: hash.digest('hex'), size, head: head ?? new Uint8Array() };
  } finally {
    closeSync(fd);
  }
}

parentPort?.on('message', (request: HashRequest) => {
  if (request.kind === 'url') {
    void hashUrl(request.url, request.idleTimeoutMs, request.expectedSize).then((outcome) =>
      parentPort!.postMessage({ id: request.id, outcomes: [outcome] } satisfies HashReply),
    );
    return;
  }
  const outcomes = request.files.map((file) => {
    try {
      return hashFile(file, request.headBytes);
    } catch (error) {
      return failure(error);
    }
  });
  parentPort!.postMessage({ id: request.id, outcomes } satisfies HashReply);
});
