// Worker thread of the hash pool (hash-pool.ts). Two kinds of job, each answered by one message:
// - `files`: a batch of local files, hashed one after the other with synchronous reads into one reused 4 MiB
//   buffer (no allocation per chunk; the thread has nothing else to do while it waits). A batch of small files
//   costs one message round trip, not one per file.
// - `url`: one object fetched over HTTP(S) (a presigned S3 GET or a public mirror URL) and hashed here as it
//   arrives, so that the bytes of a remote audit never cross the main thread.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
// highWaterMark (Node >= 14.17 http.request option; absent from @types/node's RequestOptions): 1 MiB socket reads.
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parentPort } from 'node:worker_threads';

export type HashRequest =
  | { id: number; kind: 'files'; files: string[]; /** How many leading bytes to return (for magic-byte detection). */ headBytes: number }
  | { id: number; kind: 'url'; url: string; /** Milliseconds without a byte before the GET is abandoned. */ idleTimeoutMs: number };

export type HashOutcome = { ok: true; sha256: string; size: number; head: Uint8Array } | { ok: false; code: string; message: string };

export interface HashReply {
  id: number;
  /** One outcome per file of a `files` job, one for a `url` job. */
  outcomes: HashOutcome[];
}

/**
 * Read size per call. 4 MiB: one syscall per 4 MiB amortises the kernel entry, and the copy out of the page
 * cache costs far less than the hash of the same bytes (sha256 ~1.5 GB/s per core with SHA-NI, memcpy ~10 GB/s).
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
    const target = info.size < chunkSize ? Buffer.allocUnsafe(Math.max(1, info.size + 1)) : (buffer ??= Buffer.allocUnsafe(chunkSize));
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

function failure(error: unknown): HashOutcome {
  const e = error as NodeJS.ErrnoException;
  return { ok: false, code: e.code ?? 'READ_FAILED', message: e.message };
}

/** Network errors that mean "the mirror did not answer" rather than "this object is bad". */
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']);

function hashUrl(url: string, idleTimeoutMs: number): Promise<HashOutcome> {
  return new Promise((resolve) => {
    const parsed = new URL(url);
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, { method: 'GET', highWaterMark: 1024 * 1024 } as RequestOptions, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        const status = response.statusCode ?? 0;
        const code = status === 404 ? 'NOT_FOUND' : status === 403 || status === 401 ? 'ACCESS_DENIED' : status >= 500 ? 'MIRROR_UNAVAILABLE' : `HTTP_${status}`;
        resolve({ ok: false, code, message: `GET ${parsed.host}${parsed.pathname} answered HTTP ${status}` });
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      response.on('end', () => resolve({ ok: true, sha256: hash.digest('hex'), size, head: new Uint8Array() }));
      response.on('error', (error) => resolve(failure(error)));
    });
    request.setTimeout(idleTimeoutMs, () => request.destroy(Object.assign(new Error(`no byte for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const outcome = failure(error);
      resolve(outcome.ok || !unreachable.has(error.code ?? '') ? outcome : { ok: false, code: 'MIRROR_UNAVAILABLE', message: `${parsed.host} did not answer: ${error.message}` });
    });
    request.end();
  });
}

parentPort?.on('message', (request: HashRequest) => {
  if (request.kind === 'url') {
    void hashUrl(request.url, request.idleTimeoutMs).then((outcome) => parentPort!.postMessage({ id: request.id, outcomes: [outcome] } satisfies HashReply));
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
