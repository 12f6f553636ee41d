// Raw HTTP/1.1 over a TCP socket, for the public servers' tests: fetch and node:http refuse to send the malformed
// requests (targets such as `//%`, odd methods, bodies that never end) that these servers must survive.
import { connect } from 'node:net';

export interface RawResponse {
  /** The status code, or undefined when the server closed the connection without an answer. */
  status: number | undefined;
  /** Header names in lower case (the last value of a repeated header). */
  headers: Record<string, string>;
  body: Buffer;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * Sends `request` as it is (a string is sent as latin1, byte for byte) to 127.0.0.1:port and reads one response:
 * up to its Content-Length, its last chunk, or the server's close, whichever comes first; `head` means a response
 * to HEAD (no body). Sends nothing more after `request` and keeps the connection open (a body that never ends)
 * unless `end` is set. Gives up after `timeoutMs` (default 5000) with what has arrived.
 */
export function rawRequest(
  port: number,
  request: string | Buffer,
  options: { head?: boolean; end?: boolean; timeoutMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks), closed));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 5000);
    socket.on('connect', () => {
      socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request);
      if (options.end) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (complete(Buffer.concat(chunks), options.head ?? false)) finish();
    });
    // A reset after the answer (the server closed while the request was still being sent) is a close.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closed = true;
        finish();
      } else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
  });
}

function split(data: Buffer): { head: string; body: Buffer } | undefined {
  const end = data.indexOf('\r\n\r\n');
  return end < 0 ? undefined : { head: data.subarray(0, end).toString('latin1'), body: data.subarray(end + 4) };
}

function headersOf(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function complete(data: Buffer, head: boolean): boolean {
  const parts = split(data);
  if (!parts) return false;
  const headers = headersOf(parts.head);
  const status = Number(parts.head.slice(9, 12));
  if (head || status === 204 || status === 304) return true;
  if (headers['content-length'] !== undefined) return parts.body.length >= Number(headers['content-length']);
  if (/chunked/i.test(headers['transfer-encoding'] ?? ''))
    return parts.body.includes('\r\n0\r\n\r\n') || parts.body.subarray(0, 5).equals(Buffer.from('0\r\n\r\n'));
  return false;
}

function parse(data: Buffer, closed: boolean): RawResponse {
  const parts = split(data);
  if (!parts) return { status: undefined, headers: {}, body: data, closed };
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(parts.head);
  let body = parts.body;
  const headers = headersOf(parts.head);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: match ? Number(match[1]) : undefined, headers, body, closed };
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const line = data.indexOf('\r\n', at);
    if (line < 0) break;
    const size = parseInt(data.subarray(at, line).toString('latin1'), 16);
    if (!size) break;
    out.push(data.subarray(line + 2, line + 2 + size));
    at = line + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A stack trace line as V8 prints it (`    at fn (file:line:column)`). */
export const stackTraceLine = /^\s+at .+[:(]\d+:\d+\)?$/m;
