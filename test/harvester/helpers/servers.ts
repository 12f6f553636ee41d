// Real HTTP servers on 127.0.0.1, port 0, for the harvester tests: one replays recorded partner responses (and
// misbehaves on request), the other is this catalogue's own provider over a catalogue folder.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { gzipSync, deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const fixture = (path: string) => readFileSync(fixtures + path, 'utf8');

export type Reply =
  | string
  | {
      status?: number;
      headers?: Record<string, string>;
      body?: string;
      delayMs?: number;
      encoding?: 'gzip' | 'deflate';
    };

export interface ReplayServer {
  url: string;
  /** Requests received: their query strings and User-Agents, in order. */
  requests: { query: URLSearchParams; userAgent: string; method: string }[];
  close(): Promise<void>;
}

/** Serves `route(query, n)` (n = how many requests came before) as text/xml. */
export async function startReplayServer(
  route: (query: URLSearchParams, n: number) => Reply | undefined,
): Promise<ReplayServer> {
  const requests: ReplayServer['requests'] = [];
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const query =
        request.method === 'POST'
          ? new URLSearchParams(Buffer.concat(chunks).toString())
          : new URL(request.url ?? '/', 'http://x').searchParams;
      const n = requests.length;
      requests.push({ query, userAgent: String(request.headers['user-agent'] ?? ''), method: request.method ?? '' });
      const reply = route(query, n);
      const r = typeof reply === 'string' ? { body: reply } : (reply ?? { status: 404, body: 'not found' });
      const send = () => {
        let body: Buffer = Buffer.from(r.body ?? '');
        const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8', ...r.headers };
        if (r.encoding === 'gzip') {
          body = gzipSync(body);
          headers['content-encoding'] = 'gzip';
        }
        if (r.encoding === 'deflate') {
          body = deflateSync(body);
          headers['content-encoding'] = 'deflate';
        }
        response.writeHead(r.status ?? 200, headers);
        response.end(body);
      };
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/oai`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
