// The part of fetch that the harvester's HTTP client uses (http.ts), on node:http and node:https: one request, its
// whole body, decompressed in one call, returned as a standard Response. fetch (undici) cost 35-45 µs of CPU per
// harvested record on pages of 100 (a web stream per body, a gunzip stream in 16 KiB chunks, their garbage),
// this 12-16 µs (measured on the benchmark's provider, 1,000 pages of ~240 KB of XML, gzip).
// What fetch did and this keeps: redirects followed (at most 20, 303 and a POST's 301/302 become GET: WHATWG Fetch
// §4.4 HTTP-redirect fetch), gzip, deflate (zlib or raw, as servers send both), br and zstd decoded, the request's
// AbortSignal honoured until the body is read (http.ts gives AbortSignal.timeout, whose reason is a TimeoutError),
// keep-alive connections. What it adds: the size limit is applied while the body arrives and while it is
// decompressed (maxOutputLength), so that neither a huge body nor a decompression bomb is ever held in memory.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import * as zlib from 'node:zlib';
import { assertRedirectAllowed, publicOnlyLookup, type LookupFunction } from './network-policy.ts';

/** The size limit was passed: http.ts reports it as RESPONSE_TOO_LARGE, and does not retry. */
export class ResponseTooLargeError extends Error {
  readonly url: string;
  readonly status: number;
  constructor(url: string, status: number, message: string) {
    super(message);
    this.name = 'ResponseTooLargeError';
    this.url = url;
    this.status = status;
  }
}

/** A redirect that is not followed (another scheme, too many): http.ts reports its code, and does not retry. */
export class RedirectRefusedError extends TypeError {
  readonly code: 'BAD_REDIRECT' | 'TOO_MANY_REDIRECTS';
  readonly url: string;
  constructor(code: RedirectRefusedError['code'], url: string, message: string) {
    super(message);
    this.name = 'RedirectRefusedError';
    this.code = code;
    this.url = url;
  }
}

// The decoded body of each Response this fetch made: http.ts reads it here instead of through the Response's web
// stream (one copy and a stream fewer per page). Weak: a Response nobody holds is collected with its body.
const decodedBodies = new WeakMap<Response, Buffer>();

/** The whole decoded body of a Response made by createNodeFetch (undefined for any other Response). */
export function decodedBodyOf(response: Response): Buffer | undefined {
  return decodedBodies.get(response);
}

export interface NodeFetchOptions {
  /** Largest body accepted, in bytes, both as received and once decompressed. */
  maxBytes: number;
  /** Redirects followed before giving up (default 20, as fetch). */
  maxRedirects?: number;
  /**
   * Let redirects and host names lead to loopback, private, link-local and other non-public addresses (default
   * false: refused with PRIVATE_ADDRESS, catalog/network-policy.ts). The URL given to the fetch is used as given.
   */
  allowPrivateNetwork?: boolean;
  /** The DNS resolver (default dns.lookup); its answers are checked unless allowPrivateNetwork. */
  lookup?: LookupFunction;
}

// A response to these has no body (RFC 9110 §6.4.1); the Response constructor refuses one.
const nullBodyStatus = new Set([101, 103, 204, 205, 304]);
const redirectStatus = new Set([301, 302, 303, 307, 308]);

function decodeBody(encoding: string, body: Buffer, limit: zlib.ZlibOptions): Buffer {
  // An empty body is empty in every encoding (servers label empty error pages gzip too).
  if (body.length === 0) return body;
  switch (encoding) {
    case '':
    case 'identity':
      return body;
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body, limit);
    case 'deflate':
      // RFC 9110 §8.4.1.2 says zlib format; some servers send raw deflate, which browsers and fetch accept too.
      try {
        return zlib.inflateSync(body, limit);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
        return zlib.inflateRawSync(body, limit);
      }
    case 'br':
      return zlib.brotliDecompressSync(body, limit);
    case 'zstd':
      // Asked for only where Node has it (http.ts: zstdSupported).
      return zlib.zstdDecompressSync(body, { maxOutputLength: limit.maxOutputLength });
    default:
      // An encoding that was not asked for and is not known: passed on as it came, as fetch does.
      return body;
  }
}

/**
 * Decodes a whole body by its Content-Encoding, at most `maxBytes` of output: ResponseTooLargeError beyond that, a
 * TypeError (a network error for http.ts, which asks again) for a body that is not in its encoding.
 */
export function decompress(url: URL, status: number, encoding: string, body: Buffer, maxBytes: number): Buffer {
  try {
    return decodeBody(encoding, body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ResponseTooLargeError(
        url.href,
        status,
        `the response of ${url.href} is larger than the limit of ${maxBytes} bytes once decompressed (${encoding})`,
      );
    }
    throw new TypeError(`the ${encoding} body of ${url.href} cannot be decompressed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Whether this Node decodes zstd (Node 22.15 and 23.8 on): http.ts asks for it only then. */
export const zstdSupported = typeof (zlib.zstdDecompressSync as unknown) === 'function';

/** A fetch for http.ts over node:http(s), with keep-alive agents of its own. */
export function createNodeFetch(options: NodeFetchOptions): typeof globalThis.fetch {
  const maxRedirects = options.maxRedirects ?? 20;
  // Idle keep-alive sockets are unref'd by Node's Agent: they never keep the process alive.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  // Checked in the lookup of every new connection: the address connected to, not only the name (DNS rebinding).
  const lookup = allowPrivateNetwork ? options.lookup : publicOnlyLookup(options.lookup);

  /** One exchange: the status, headers and the whole (still encoded) body. */
  function exchange(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
    fresh: boolean,
  ): Promise<{ response: IncomingMessage; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const send = secure ? httpsRequest : httpRequest;
      const agent = fresh ? false : secure ? agents.https : agents.http;
      const requestHeaders =
        body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      let settled = false;
      let received = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        request.destroy();
        // Node's advice for keep-alive (http.ClientRequest.reusedSocket): a request sent on a connection the server
        // had just closed fails before any answer; it is sent again on a new connection, once.
        if (
          !fresh &&
          !received &&
          request.reusedSocket &&
          ['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '')
        ) {
          exchange(url, method, headers, body, signal, true).then(resolve, reject);
        } else reject(error);
      };
      const onAbort = () => fail(signal!.reason);
      const request = send(
        url,
        { method, headers: requestHeaders, agent, ...(lookup ? { lookup } : {}) },
        (response) => {
          received = true;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxBytes)
              fail(
                new ResponseTooLargeError(
                  url.href,
                  response.statusCode ?? 0,
                  `the response of ${url.href} is larger than the limit of ${options.maxBytes} bytes`,
                ),
              );
            else chunks.push(chunk);
          });
          response.on('error', fail);
          response.on('close', () => {
            if (!response.complete) fail(new Error('the connection was closed before the whole response arrived'));
          });
          response.on('end', () => {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve({ response, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) });
          });
        },
      );
      if (signal?.aborted) return fail(signal.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', fail);
      request.end(body);
    });
  }

  return async function nodeFetch(input, init = {}) {
    if (typeof input !== 'string' && !(input instanceof URL))
      throw new TypeError('createNodeFetch: the resource must be a URL or a string');
    let url = new URL(input);
    const configured = url;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = typeof init.body === 'string' ? init.body : undefined;
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        if (redirects === 0) throw new TypeError(`${url.href}: only http and https are fetched`);
        throw new RedirectRefusedError(
          'BAD_REDIRECT',
          url.href,
          `redirected to a ${url.protocol} URL; only http and https are fetched`,
        );
      }
      const { response, body: raw } = await exchange(url, method, headers, body, init.signal ?? undefined, false);
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (redirectStatus.has(status) && location && init.redirect !== 'manual') {
        if (redirects >= maxRedirects)
          throw new RedirectRefusedError(
            'TOO_MANY_REDIRECTS',
            url.href,
            `${url.href}: more than ${maxRedirects} redirects`,
          );
        url = new URL(location, url);
        assertRedirectAllowed(configured, url, allowPrivateNetwork);
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        continue;
      }
      if (status < 200 || status > 599) throw new TypeError(`${url.href} answered with the HTTP status ${status}`);
      const responseHeaders = new Headers();
      for (let i = 0; i < response.rawHeaders.length; i += 2)
        responseHeaders.append(response.rawHeaders[i], response.rawHeaders[i + 1]);
      const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
      const decoded = decompress(url, status, encoding, raw, options.maxBytes);
      const result = new Response(nullBodyStatus.has(status) ? null : (decoded as Uint8Array<ArrayBuffer>), {
        status,
        statusText: response.statusMessage ?? '',
        headers: responseHeaders,
      });
      if (!nullBodyStatus.has(status)) decodedBodies.set(result, decoded);
      return result;
    }
  };
}
