// One GET whose body is hashed as it arrives (runs in a hash-pool worker, hash-worker.ts).
//
// Two ways to make the request:
// - node:http, for everything. Its parser hands each socket read to JavaScript as a new Buffer through a
//   stream; for large bodies that costs more CPU than the hash itself (docs/storage.md, "How fast, and why").
// - The fast path, for large objects: a socket that reads into one reused buffer (`onread`, net.connect and
//   tls.connect) and understands only the common answer to a GET, a status line and a Content-Length
//   (RFC 9112 §6.3). A 1xx answer, a body in chunked or any other transfer coding, a missing or repeated
//   Content-Length: the fast path steps aside and the same GET is made again through node:http. The connection
//   is closed after each object (`Connection: close`), which costs nothing next to a large body; small objects
//   keep node:http and its kept-alive connections.
import { createHash, type Hash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { errorCode, type StorageErrorCode } from './errors.ts';

export type HashOutcome =
  | { ok: true; sha256: string; size: number; head: Uint8Array }
  | { ok: false; code: StorageErrorCode; message: string };

/** Objects at least this large take the fast path (below it, connection reuse matters more than bytes). */
export const fastPathMinBytes = 1024 * 1024;
/** Bytes per socket read on the fast path, into one buffer reused for every read of the object. */
const readBufferBytes = 1024 * 1024;
/** A status line and headers longer than this are not an S3 answer; the GET fails rather than buffer them. */
const maxHeaderBytes = 64 * 1024;

/** Network errors that mean "the mirror did not answer" rather than "this object is bad". */
const unreachable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
]);

/** An error as an outcome, keeping its code (ENOENT, ECONNRESET...). */
export function failure(error: unknown): HashOutcome {
  const e = error as NodeJS.ErrnoException;
  return { ok: false, code: errorCode(e) ?? 'READ_FAILED', message: e.message };
}

function connectionFailure(url: URL, error: NodeJS.ErrnoException): HashOutcome {
  const outcome = failure(error);
  return !outcome.ok && unreachable.has(error.code ?? '')
    ? { ok: false, code: 'MIRROR_UNAVAILABLE', message: `${url.host} did not answer: ${error.message}` }
    : outcome;
}

/** An answer other than 200, in the words the audit reports. */
function statusFailure(url: URL, status: number): HashOutcome {
  const code: StorageErrorCode =
    status === 404
      ? 'NOT_FOUND'
      : status === 403 || status === 401
        ? 'ACCESS_DENIED'
        : status >= 500
          ? 'MIRROR_UNAVAILABLE'
          : `HTTP_${status}`;
  return { ok: false, code, message: `GET ${url.host}${url.pathname} answered HTTP ${status}` };
}

/**
 * GETs `url` and hashes the body. `expectedSize` (from the manifest) chooses the way and bounds the read: at most
 * expectedSize + 1 bytes are taken, enough to tell a larger object, and the connection is closed there. The size
 * that counts is the number of bytes received.
 */
export function hashUrl(url: string, idleTimeoutMs: number, expectedSize?: number): Promise<HashOutcome> {
  const parsed = new URL(url);
  const limit = expectedSize === undefined ? undefined : expectedSize + 1;
  if (
    expectedSize !== undefined &&
    expectedSize >= fastPathMinBytes &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:')
  ) {
    return hashUrlFast(parsed, idleTimeoutMs, limit).then(
      (outcome) => outcome ?? hashUrlViaHttp(parsed, idleTimeoutMs, limit),
    );
  }
  return hashUrlViaHttp(parsed, idleTimeoutMs, limit);
}

function hashUrlViaHttp(url: URL, idleTimeoutMs: number, limit?: number): Promise<HashOutcome> {
  return new Promise((resolve) => {
    // highWaterMark (Node >= 14.17 http.request option; absent from @types/node's RequestOptions): 1 MiB socket reads.
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', highWaterMark: readBufferBytes } as RequestOptions,
      (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve(statusFailure(url, response.statusCode ?? 0));
          return;
        }
        const hash = createHash('sha256');
        let size = 0;
        let done = false;
        const whole = () => {
          if (done) return;
          done = true;
          resolve({ ok: true, sha256: hash.digest('hex'), size, head: new Uint8Array() });
        };
        response.on('data', (chunk: Buffer) => {
          if (done) return;
          const body = limit !== undefined && size + chunk.length > limit ? chunk.subarray(0, limit - size) : chunk;
          hash.update(body);
          size += body.length;
          if (limit !== undefined && size >= limit) {
            whole();
            request.destroy();
          }
        });
        response.on('end', whole);
        response.on('error', (error) => {
          if (!done) resolve(failure(error));
        });
      },
    );
    request.setTimeout(idleTimeoutMs, () =>
      request.destroy(Object.assign(new Error(`no byte for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(connectionFailure(url, error)));
    request.end();
  });
}

interface ResponseHead {
  status: number;
  /** The body's length, or undefined when the fast path cannot frame the body by itself. */
  contentLength?: number;
}

/** Status line and header fields (RFC 9112 §4, §5); `undefined` when this is not a plain HTTP/1.x answer. */
function parseHead(text: string): ResponseHead | undefined {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]);
  if (!status) return undefined;
  const lengths: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Any transfer coding (RFC 9112 §6.1) takes precedence over Content-Length: node:http decodes those.
    if (name === 'transfer-encoding') return { status: Number(status[1]) };
    if (name === 'content-length') lengths.push(line.slice(colon + 1).trim());
  }
  const contentLength = lengths.length === 1 && /^\d{1,15}$/.test(lengths[0]) ? Number(lengths[0]) : undefined;
  return { status: Number(status[1]), contentLength };
}

/** The fast path; `undefined` when the answer needs node:http (the caller asks again that way). */
function hashUrlFast(url: URL, idleTimeoutMs: number, limit?: number): Promise<HashOutcome | undefined> {
  return new Promise((resolve) => {
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let head: Buffer | undefined = Buffer.alloc(0);
    let hash: Hash | undefined;
    let remaining = 0;
    let received = 0;
    let settled = false;
    // Declared (hoisted) here, called only from the socket's callbacks, once `socket` exists.
    function finish(outcome: HashOutcome | undefined) {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    }
    const onread = {
      buffer: Buffer.allocUnsafe(readBufferBytes),
      callback(nread: number, buffer: Buffer): boolean {
        if (settled) return false;
        let chunk = buffer.subarray(0, nread);
        if (head) {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) {
            if (head.length > maxHeaderBytes)
              finish({
                ok: false,
                code: 'BAD_RESPONSE',
                message: `GET ${url.host}${url.pathname}: the answer's header is over ${maxHeaderBytes} bytes`,
              });
            return true;
          }
          const parsed = parseHead(head.subarray(0, end).toString('latin1'));
          if (parsed?.status !== 200 || parsed.contentLength === undefined) {
            // Not 200, or a body the fast path cannot frame: report the status, or let node:http ask again.
            finish(parsed && parsed.status > 200 ? statusFailure(url, parsed.status) : undefined);
            return false;
          }
          chunk = head.subarray(end + 4);
          head = undefined;
          hash = createHash('sha256');
          remaining = limit === undefined ? parsed.contentLength : Math.min(parsed.contentLength, limit);
        }
        // Bytes past Content-Length are not part of this body (the connection closes after it).
        const body = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
        hash!.update(body);
        received += body.length;
        remaining -= body.length;
        if (remaining === 0) finish({ ok: true, sha256: hash!.digest('hex'), size: received, head: new Uint8Array() });
        return true;
      },
    };
    const options = { host, port, onread };
    // SNI takes a host name, never an address (RFC 6066 §3); certificates are verified as https would.
    const socket: Socket =
      url.protocol === 'https:'
        ? tlsConnect({ ...options, ...(isIP(host) ? {} : { servername: host }) })
        : netConnect(options);
    socket.setTimeout(idleTimeoutMs, () =>
      finish(
        connectionFailure(url, Object.assign(new Error(`no byte for ${idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })),
      ),
    );
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
          'Accept-Encoding: identity\r\nConnection: close\r\n\r\n',
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(connectionFailure(url, error)));
    socket.on('end', () => {
      if (head)
        finish({
          ok: false,
          code: 'BAD_RESPONSE',
          message: `GET ${url.host}${url.pathname}: the connection closed before a complete answer`,
        });
      else
        finish({
          ok: false,
          code: 'TRUNCATED',
          message:
            `GET ${url.host}${url.pathname}: ` +
            `the connection closed after ${received} bytes of ${received + remaining}`,
        });
    });
  });
}
