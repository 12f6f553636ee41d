// Polite, robust HTTP for harvesting: a User-Agent with a contact address, 503/429 honoured with Retry-After,
// exponential backoff with jitter on 5xx and network errors, a timeout per request, zstd, gzip and deflate, and a
// size limit on the body. Dependencies (fetch, sleep, random) are arguments so that tests use real servers, not mocks.
import { privateAddressOf, type LookupFunction } from '../http/network-policy.ts';
import { HttpError } from './errors.ts';
import {
  createNodeFetch,
  decodedBodyOf,
  RedirectRefusedError,
  ResponseTooLargeError,
  zstdSupported,
} from '../http/node-fetch.ts';
import { cleanPartnerText } from './partner-text.ts';
import { defaultMaxXmlBytes } from './xml.ts';

export interface HttpClientOptions {
  /** Sent on every request. RFC 9110 §10.1.5; OAI-PMH harvesting guidelines ask for a contact address in it. */
  userAgent: string;
  /** Per request, headers and body included, in ms (default 60000). */
  timeoutMs?: number;
  /** Retries after the first attempt on 5xx, 429, network errors and timeouts (default 5). */
  maxRetries?: number;
  /** First backoff delay in ms; doubled at each retry, with full jitter (default 1000). */
  backoffBaseMs?: number;
  /** Upper bound of one backoff delay in ms (default 60000). */
  backoffMaxMs?: number;
  /** Longest Retry-After honoured, in ms (default 600000); a longer one fails the request rather than hang. */
  maxRetryAfterMs?: number;
  /** Size limit of a response body in bytes after decompression (default 64 MiB). */
  maxBytes?: number;
  /** Default: http/node-fetch.ts (node:http and node:https, with the address policy and the size limit). */
  fetch?: typeof globalThis.fetch;
  /**
   * Let redirects and host names lead to non-public addresses (loopback, RFC 1918, link-local, unique-local IPv6,
   * ...); default false: refused with PRIVATE_ADDRESS (http/network-policy.ts). Applies to the default fetch.
   */
  allowPrivateNetwork?: boolean;
  /** DNS resolver of the default fetch (default dns.lookup); tests inject one. */
  lookup?: LookupFunction;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called before each wait, for progress output and logs. */
  onRetry?: (info: { url: string; attempt: number; status: number | null; waitMs: number; reason: string }) => void;
}

export interface HttpResponse {
  url: string;
  status: number;
  text: string;
  headers: Headers;
  attempts: number;
}

export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  /** application/x-www-form-urlencoded body for POST. */
  body?: string;
  /** Further request headers (conditional GET: If-None-Match, If-Modified-Since; RFC 9110 §13.1). */
  headers?: Record<string, string>;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parses Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns ms, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function readLimited(response: Response, maxBytes: number, url: string, attempt: number): Promise<string> {
  if (!response.body) return '';
  // From http/node-fetch.ts: already whole and within the limit (checked as it arrived and as it was decompressed),
  // so it is decoded once rather than read again through the Response's stream.
  const decoded = decodedBodyOf(response);
  if (decoded) {
    await response.body.cancel();
    return new TextDecoder('utf-8').decode(decoded);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes && !response.headers.get('content-encoding')) {
    await response.body.cancel();
    throw new HttpError(
      'RESPONSE_TOO_LARGE',
      `the response of ${url} declares ${declared} bytes, above the limit of ${maxBytes}`,
      { url, status: response.status, attempt },
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      throw new HttpError(
        'RESPONSE_TOO_LARGE',
        `the response of ${url} is larger than the limit of ${maxBytes} bytes`,
        { url, status: response.status, attempt },
      );
    }
    chunks.push(chunk);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** Creates the HTTP client. Defaults: 60 s timeout, 5 retries, backoff from 1 s doubling to at most 60 s. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes;
  const fetchImpl =
    options.fetch ??
    createNodeFetch({ maxBytes, allowPrivateNetwork: options.allowPrivateNetwork, lookup: options.lookup });
  const acceptEncoding = !options.fetch && zstdSupported ? 'zstd, gzip, deflate' : 'gzip, deflate';
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxRetries = options.maxRetries ?? 5;
  const base = options.backoffBaseMs ?? 1000;
  const cap = options.backoffMaxMs ?? 60_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 600_000;
  // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads retries of many harvesters.
  const backoff = (attempt: number) => Math.round(random() * Math.min(cap, base * 2 ** (attempt - 1)));

  return async function request({ url, method = 'GET', body, headers }: HttpRequest): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      let waitMs: number;
      let reason: string;
      let status: number | null = null;
      try {
        const response = await fetchImpl(url, {
          method,
          body,
          headers: {
            'user-agent': options.userAgent,
            accept: 'text/xml, application/xml;q=0.9, */*;q=0.1',
            // The fetch decodes these itself; asking for them saves most of the bytes of XML (and zstd, which
            // http/node-fetch.ts decodes where Node has it, most of the CPU gzip costs both sides).
            'accept-encoding': acceptEncoding,
            ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            ...headers,
          },
          redirect: 'follow',
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        if (response.ok) {
          const text = await readLimited(response, maxBytes, url, attempt);
          return { url, status, text, headers: response.headers, attempts: attempt };
        }
        await response.body?.cancel().catch(() => undefined);
        // RFC 9110 §15.4.5: the stored copy is still current; only a conditional request gets this answer.
        if (status === 304 && headers) return { url, status, text: '', headers: response.headers, attempts: attempt };
        if (status === 503 || status === 429) {
          // OAI-PMH 2.0 §3.1.2.2 / RFC 9110 §15.6.4: 503 with Retry-After means "come back later"; 429 likewise
          // (RFC 6585).
          const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
          if (retryAfter !== undefined && retryAfter > maxRetryAfter) {
            throw new HttpError(
              `HTTP_${status}`,
              `${url} answered ${status} with Retry-After of ${Math.round(retryAfter / 1000)} s, ` +
                `longer than the ${Math.round(maxRetryAfter / 1000)} s this harvester waits`,
              { url, status, attempt },
            );
          }
          waitMs = retryAfter ?? backoff(attempt);
          reason =
            `HTTP ${status}` + (retryAfter !== undefined ? ` (Retry-After ${Math.round(retryAfter / 1000)} s)` : '');
        } else if (status >= 500) {
          waitMs = backoff(attempt);
          reason = `HTTP ${status}`;
        } else {
          // The reason phrase is the partner's text: cleaned and cut before it reaches a message (partner-text.ts).
          throw new HttpError(
            `HTTP_${status}`,
            `${url} answered HTTP ${status} ${cleanPartnerText(response.statusText, 80)}`.trim(),
            { url, status, attempt },
          );
        }
      } catch (error) {
        if (error instanceof HttpError) throw error;
        if (error instanceof ResponseTooLargeError)
          throw new HttpError('RESPONSE_TOO_LARGE', error.message, { url, status: error.status, attempt });
        if (error instanceof RedirectRefusedError)
          throw new HttpError(error.code, `${url}: ${error.message}`, { url, status, attempt }, { cause: error });
        // A policy refusal: asking again gets the same answer.
        const refused = privateAddressOf(error);
        if (refused)
          throw new HttpError(
            'PRIVATE_ADDRESS',
            `${url}: ${cleanPartnerText(refused.message, 400)}`,
            { url, status, attempt },
            { cause: refused },
          );
        const name = (error as Error).name;
        reason =
          name === 'TimeoutError'
            ? `no complete answer within ${timeoutMs} ms`
            : `network error: ${(error as Error).message}` +
              ((error as { cause?: Error }).cause ? ` (${(error as { cause: Error }).cause.message})` : '');
        waitMs = backoff(attempt);
        if (attempt > maxRetries) {
          throw new HttpError(
            name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK',
            `${url}: ${reason}, after ${attempt} attempt(s)`,
            { url, status, attempt },
            { cause: error },
          );
        }
        options.onRetry?.({ url, attempt, status, waitMs, reason });
        await sleep(waitMs);
        continue;
      }
      if (attempt > maxRetries) {
        throw new HttpError(`HTTP_${status}`, `${url}: ${reason}, still failing after ${attempt} attempt(s)`, {
          url,
          status,
          attempt,
        });
      }
      options.onRetry?.({ url, attempt, status, waitMs, reason });
      await sleep(waitMs);
    }
  };
}
