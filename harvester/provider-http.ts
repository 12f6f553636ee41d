// The provider over HTTP (OAI-PMH 2.0 §3.1): GET and POST at any path, the answer compressed when the client
// takes it (§4.2 names gzip), and every request it cannot read refused with a 4xx and a one-line reason instead
// of an OAI-PMH answer. Nothing a client sends or does can end the process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { acceptsEncoding } from '../http/accept-encoding.ts';
import { escapeXml as x } from '../catalog/exports/escape-xml.ts';
import { parseRequestTarget } from '../http/request-target.ts';
import { parseArgs, type Args } from './provider-verbs.ts';

// zstd came with Node 22.15 and 23.8: read from the module object, so that an older Node serves gzip instead.
const zstdCompress = zlib.zstdCompress as typeof zlib.zstdCompress | undefined;

/** The content codings the listener answers with, for Identify's `<compression>` (§4.2). */
export const compressionEncodings: readonly string[] = zstdCompress ? ['gzip', 'zstd'] : ['gzip'];

/** OAI-PMH arguments are short: 64 KiB holds the longest resumption token many times over. */
const maxBodyBytes = 64 * 1024;
/** Bodies up to this size are sent as they are: compressing them saves less than it costs. */
const compressAboveBytes = 1024;

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export interface ProviderListenerOptions {
  /** Answers one request: its arguments (query or form body) and the base URL it came to. Returns the XML. */
  respond: (args: Args, baseUrl: string) => Promise<string>;
  /** Where a line about an error inside the provider goes (default standard error); the client never sees it. */
  log?: (line: string) => void;
}

/** An answer to a request that is not OAI-PMH at all: the reason and what to do instead. */
const problem = (message: string) => `<?xml version="1.0" encoding="UTF-8"?><error>${x(message)}</error>\n`;

/**
 * The Node request listener of a provider: GET and POST at any path. A request it cannot read gets a 4xx with a
 * one-line reason (400 target, 405 method, 413 body over 64 KiB, 415 body not a form), an error inside it a 500;
 * it never throws.
 */
export function createProviderListener(options: ProviderListenerOptions): RequestListener {
  const { respond } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));

  /** An error inside the provider: one line to the log, a 500 without details to the client, the server goes on. */
  function fail(request: IncomingMessage, response: ServerResponse, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    log(`oai: ${request.method} ${request.url}: ${reason}`.replace(/[\r\n]+/g, ' '));
    if (response.headersSent || response.destroyed) return void response.destroy();
    const body = problem('internal error: the provider could not answer this request; try again later');
    response.writeHead(500, {
      'content-type': 'text/xml; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    });
    response.end(body);
  }

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void {
    // Also called back from zlib, where a throw would end the process: errors go to fail().
    const write = (payload: Buffer, encoding: Record<string, string>) => {
      // The client may have gone while the body was compressed.
      if (response.headersSent || response.destroyed) return;
      try {
        response.writeHead(status, {
          'content-type': 'text/xml; charset=utf-8',
          'content-length': String(payload.length),
          vary: 'Accept-Encoding',
          ...encoding,
          ...headers,
        });
        response.end(payload);
      } catch (error) {
        fail(request, response, error);
      }
    };
    const accepted = request.headers['accept-encoding'];
    if (body.length <= compressAboveBytes) return write(Buffer.from(body), {});
    // Compressed off the main thread, so that the next request is answered meanwhile. zstd (RFC 8878) at level 1
    // when the client takes it: smaller and cheaper than gzip at either end. gzip otherwise (what OAI-PMH §4.2
    // names), at its fastest level: pages of XML shrink well even there, at a fraction of the default's cost.
    const reply = (encoding: string) => (error: Error | null, payload: Buffer) =>
      error ? write(Buffer.from(body), {}) : write(payload, { 'content-encoding': encoding });
    if (zstdCompress && acceptsEncoding(accepted, 'zstd')) {
      return zstdCompress(body, { params: { [zlib.constants.ZSTD_c_compressionLevel]: 1 } }, reply('zstd'));
    }
    if (acceptsEncoding(accepted, 'gzip')) {
      return zlib.gzip(body, { level: zlib.constants.Z_BEST_SPEED }, reply('gzip'));
    }
    write(Buffer.from(body), {});
  }

  function serve(request: IncomingMessage, response: ServerResponse): void {
    // Sent before the whole body is read: the connection closes after it, so what is left of the body is dropped.
    const refuse = (status: number, message: string, headers: Record<string, string> = {}) =>
      send(request, response, status, problem(message), { connection: 'close', ...headers });
    const answer = (query: string, pathname: string) => {
      respond(parseArgs(query), `http://${request.headers.host ?? 'localhost'}${pathname}`)
        .then((xml) => send(request, response, 200, xml))
        .catch((error: unknown) => fail(request, response, error));
    };
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      return refuse(405, `OAI-PMH uses GET or POST, not ${method}`, { allow: 'GET, POST' });
    }
    const target = parseRequestTarget(request.url);
    if (!target) {
      return refuse(400, `the request target '${request.url}' is not a path: send GET /oai?verb=Identify or POST /oai`);
    }
    if (method !== 'POST') return answer(target.query, target.pathname);
    // §3.1.1.2: POST with application/x-www-form-urlencoded arguments; a body without a type is read as that too.
    const type = request.headers['content-type']?.split(';')[0].trim().toLowerCase();
    if (type && type !== 'application/x-www-form-urlencoded') {
      return refuse(415, `a POST body is application/x-www-form-urlencoded (OAI-PMH §3.1.1.2), not ${type}`, {
        'accept-post': 'application/x-www-form-urlencoded',
      });
    }
    const tooLargeMessage =
      `the request body is over ${maxBodyBytes / 1024} KiB: OAI-PMH arguments are shorter; ` +
      'send the verb and its arguments only';
    const tooLarge = () => refuse(413, tooLargeMessage);
    if (Number(request.headers['content-length']) > maxBodyBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) return void chunks.push(chunk);
      request.off('data', onData);
      request.off('end', onEnd);
      // Read on and drop the rest until the connection closes after the 413.
      request.resume();
      tooLarge();
    };
    const onEnd = () => answer(Buffer.concat(chunks).toString('utf8'), target.pathname);
    request.on('data', onData);
    request.on('end', onEnd);
    // A client that goes away mid-body: nothing to answer.
    request.on('error', () => undefined);
  }

  return (request, response) => {
    try {
      serve(request, response);
    } catch (error) {
      fail(request, response, error);
    }
  };
}

/**
 * Starts an HTTP server on host:port (port 0: any free port). Resolves with the server and its base URL.
 * `requestTimeoutMs` (default 30000) is the time a client has to send a whole request, headers and body; then a 408,
 * so that a body that never ends holds its connection no longer than that.
 */
export async function listen(
  listener: RequestListener,
  port = 0,
  host = '127.0.0.1',
  options: { requestTimeoutMs?: number } = {},
): Promise<{ server: Server; url: string }> {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 20_000),
      connectionsCheckingInterval: Math.min(requestTimeout / 4, 5000),
    },
    listener,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host}:${actual}/oai` };
}
