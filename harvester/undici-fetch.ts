// The part of fetch that the harvester's HTTP client uses (http.ts), on undici's request(): one request, its whole
// body, decoded in one call, returned as a standard Response. undici keeps the connections alive (and retries a
// request that met a connection the server had just closed), applies the DNS lookup of the address policy to every
// connection, and stops a body larger than the limit as it arrives (maxResponseSize).
// Redirects are followed here, one hop at a time, so that each hop is checked before it is requested
// (catalog/network-policy.ts): at most 20, a 303 and a POST's 301/302 become GET (WHATWG Fetch §4.4 HTTP-redirect
// fetch). The body is decoded whole with zlib's one-call functions, whose maxOutputLength stops a decompression
// bomb; undici's decompress interceptor is not used, as it reads `deflate` as zlib format only, and servers send
// raw deflate too (which browsers and fetch accept).
import { Agent, request } from 'undici';
import { assertRedirectAllowed, publicOnlyLookup } from '../catalog/network-policy.ts';
import { decompress, RedirectRefusedError, ResponseTooLargeError, type NodeFetchOptions } from './node-fetch.ts';

// A response to these has no body (RFC 9110 §6.4.1); the Response constructor refuses one.
const nullBodyStatus = new Set([101, 103, 204, 205, 304]);
const redirectStatus = new Set([301, 302, 303, 307, 308]);

/** undici's name for a body over maxResponseSize (errors.ResponseExceededMaxSizeError). */
const tooLargeCode = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/** A fetch for http.ts over undici, with a connection pool of its own. */
export function createUndiciFetch(options: NodeFetchOptions): typeof globalThis.fetch {
  const maxRedirects = options.maxRedirects ?? 20;
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  // Checked in the lookup of every new connection: the address connected to, not only the name (DNS rebinding).
  const lookup = allowPrivateNetwork ? options.lookup : publicOnlyLookup(options.lookup);
  const dispatcher = new Agent({ connect: lookup ? { lookup } : {}, maxResponseSize: options.maxBytes });
  const tooLarge = (url: URL, status: number) =>
    new ResponseTooLargeError(url.href, status, `the response of ${url.href} is larger than the limit of ${options.maxBytes} bytes`);

  return async function undiciFetch(input, init = {}) {
    if (typeof input !== 'string' && !(input instanceof URL)) throw new TypeError('createUndiciFetch: the resource must be a URL or a string');
    let url = new URL(input);
    const configured = url;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = typeof init.body === 'string' ? init.body : undefined;
    const headers = { ...(init.headers as Record<string, string> | undefined) };
    const signal = init.signal ?? undefined;
    for (let redirects = 0; ; redirects++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        if (redirects === 0) throw new TypeError(`${url.href}: only http and https are fetched`);
        throw new RedirectRefusedError('BAD_REDIRECT', url.href, `redirected to a ${url.protocol} URL; only http and https are fetched`);
      }
      let answer: Awaited<ReturnType<typeof request>>;
      try {
        answer = await request(url, { dispatcher, method: method as 'GET', headers, body, signal });
      } catch (error) {
        if ((error as { code?: string }).code === tooLargeCode) throw tooLarge(url, 0);
        throw error;
      }
      const status = answer.statusCode;
      const location = answer.headers.location;
      if (redirectStatus.has(status) && typeof location === 'string' && location && init.redirect !== 'manual') {
        await answer.body.dump();
        if (redirects >= maxRedirects) throw new RedirectRefusedError('TOO_MANY_REDIRECTS', url.href, `${url.href}: more than ${maxRedirects} redirects`);
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
      return new Response(nullBodyStatus.has(status) ? null : (decoded as Uint8Array<ArrayBuffer>), { status, statusText: answer.statusText ?? '', headers: responseHeaders });
    }
  };
}
