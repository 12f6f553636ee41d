// The part of fetch that the harvester's HTTP client uses (http.ts), on undici's request(): one request, its whole
// body, decoded in one call, returned as a standard Response. undici keeps the connections alive (and sends a
// request again on a new connection when the server had just closed the kept one), applies the DNS lookup of the
// address policy to every connection, honours the request's AbortSignal until the body is read (http.ts gives
// AbortSignal.timeout, whose reason is a TimeoutError), and stops a body larger than the limit as it arrives
// (maxResponseSize).
// Redirects are followed here, one hop at a time, so that each hop is checked before it is requested
// (http/network-policy.ts): at most 20, a 303 and a POST's 301/302 become GET (WHATWG Fetch §4.4 HTTP-redirect
// fetch). undici's redirect interceptor offers no check before a hop and ends a redirect loop at its first repeat
// rather than after the limit.
// The body is decoded whole with zlib's one-call functions (gzip, deflate in zlib or raw format, br, zstd), whose
// maxOutputLength stops a decompression bomb before it is held in memory. undici's decompress interceptor is not
// used: it reads `deflate` as zlib format only, and servers send raw deflate too, which browsers and fetch accept.
import * as zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
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

export interface UndiciFetchOptions {
  /** Largest body accepted, in bytes, both as received and once decompressed. */
  maxBytes: number;
  /** Redirects followed before giving up (default 20, as fetch). */
  maxRedirects?: number;
  /**
   * Let redirects and host names lead to loopback, private, link-local and other non-public addresses (default
   * false: refused with PRIVATE_ADDRESS, http/network-policy.ts). The URL given to the fetch is used as given.
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
function decompress(url: URL, status: number, encoding: string, body: Buffer, maxBytes: number): Buffer {
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

/** undici's name for a body over maxResponseSize (errors.ResponseExceededMaxSizeError). */
const tooLargeCode = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/** A fetch for http.ts over undici, with a connection pool of its own. */
export function createUndiciFetch(options: UndiciFetchOptions): typeof globalThis.fetch {
  const maxRedirects = options.maxRedirects ?? 20;
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  // Checked in the lookup of every new connection: the address connected to, not only the name (DNS rebinding).
  const lookup = allowPrivateNetwork ? options.lookup : publicOnlyLookup(options.lookup);
  const dispatcher = new Agent({ connect: lookup ? { lookup } : {}, maxResponseSize: options.maxBytes });
  const tooLarge = (url: URL, status: number) =>
    new ResponseTooLargeError(
      url.href,
      status,
      `the response of ${url.href} is larger than the limit of ${options.maxBytes} bytes`,
    );

  return async function undiciFetch(input, init = {}) {
    if (typeof input !== 'string' && !(input instanceof URL))
      throw new TypeError('createUndiciFetch: the resource must be a URL or a string');
    let url = new URL(input);
    const configured = url;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = typeof init.body === 'string' ? init.body : undefined;
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    const signal = init.signal ?? undefined;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        if (redirects === 0) throw new TypeError(`${url.href}: only http and https are fetched`);
        throw new RedirectRefusedError(
          'BAD_REDIRECT',
          url.href,
          `redirected to a ${url.protocol} URL; only http and https are fetched`,
        );
      }
      let answer: Awaited<ReturnType<typeof request>>;
      try {
        answer = await request(url, { dispatcher, method: method as Dispatcher.HttpMethod, headers, body, signal });
      } catch (error) {
        if ((error as { code?: string }).code === tooLargeCode) throw tooLarge(url, 0);
        throw error;
      }
      const status = answer.statusCode;
      const location = answer.headers.location;
      if (redirectStatus.has(status) && typeof location === 'string' && location && init.redirect !== 'manual') {
        await answer.body.dump();
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
      let raw: Buffer;
      try {
        raw = Buffer.from(await answer.body.arrayBuffer());
      } catch (error) {
        if ((error as { code?: string }).code === tooLargeCode) throw tooLarge(url, status);
        throw error;
      }
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(answer.headers)) {
        if (Array.isArray(value)) for (const each of value) responseHeaders.append(name, each);
        else if (value !== undefined) responseHeaders.append(name, value);
      }
      const encoding = (responseHeaders.get('content-encoding') ?? '').trim().toLowerCase();
      const decoded = decompress(url, status, encoding, raw, options.maxBytes);
      return new Response(nullBodyStatus.has(status) ? null : (decoded as Uint8Array<ArrayBuffer>), {
        status,
        statusText: answer.statusText ?? '',
        headers: responseHeaders,
      });
    }
  };
}
