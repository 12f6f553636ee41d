// A read-only store on an HTTP(S) base URL: a partner's public mirror, where the object with key K sits at
// <baseUrl>/<prefix>K. HTTP has no listing, so `list` refuses; `put` and `delete` refuse too. Used as the
// source of federated replication (federation.ts); every byte read is checked against the partner's sha256.
// Redirects are followed here, hop by hop, under http/network-policy.ts: the base URL is used as given, and a
// redirect or a host name that leads to a non-public address is refused (PRIVATE_ADDRESS) unless the partner says
// allowPrivateNetwork.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  assertRedirectAllowed,
  privateAddressOf,
  publicOnlyLookup,
  type LookupFunction,
} from '../http/network-policy.ts';
import { takeBytes } from './byte-limit.ts';
import { MirrorUnavailableError, StorageError } from './errors.ts';
import { assertSafePath, assertSafePrefix } from './keys.ts';
import type { ObjectStore } from './store.ts';

export interface HttpStoreOptions {
  id: string;
  /** http:// or https:// base URL; a trailing '/' is optional. */
  baseUrl: string;
  /** Key prefix under the base URL, '' or ending with '/'. */
  prefix?: string;
  /**
   * The fetch to use (default: undici's, on an agent whose DNS lookup refuses non-public addresses unless
   * allowPrivateNetwork); tests and proxies inject theirs. Redirects are followed by the store, not the fetch.
   */
  fetch?: typeof fetch;
  /** Let redirects and host names lead to non-public addresses (partners.yaml allowPrivateNetwork; default false). */
  allowPrivateNetwork?: boolean;
  /** DNS resolver of the default fetch (default dns.lookup); tests inject one. */
  lookup?: LookupFunction;
}

/** Redirects followed before giving up, as fetch (WHATWG Fetch §4.4). */
const maxRedirects = 20;
const redirectStatus = new Set([301, 302, 303, 307, 308]);

/** undici's fetch on an agent of its own, whose every connection's address is checked (DNS rebinding included). */
function defaultFetch(allowPrivateNetwork: boolean, lookup: LookupFunction | undefined): typeof fetch {
  const dispatcher = new Agent({
    connect: allowPrivateNetwork ? (lookup ? { lookup } : {}) : { lookup: publicOnlyLookup(lookup) },
  });
  return ((input: string, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}

export function createHttpStore(options: HttpStoreOptions): ObjectStore {
  const prefix = options.prefix ?? '';
  assertSafePrefix(prefix);
  if (!/^https?:\/\//.test(options.baseUrl))
    throw new StorageError(
      'BAD_URL',
      `${options.id}: the base URL '${options.baseUrl}' must start with http:// or https://`,
    );
  const base = options.baseUrl.replace(/\/+$/, '');
  const allowPrivateNetwork = options.allowPrivateNetwork ?? false;
  const doFetch = options.fetch ?? defaultFetch(allowPrivateNetwork, options.lookup);
  const { id } = options;
  const urlOf = (key: string) => {
    assertSafePath(key);
    // Each path part percent-encoded (RFC 3986 §3.3): names may hold spaces, '#', '%' and any script.
    return `${base}/${(prefix + key).split('/').map(encodeURIComponent).join('/')}`;
  };
  const request = async (
    method: 'GET' | 'HEAD',
    key: string,
    headers: Record<string, string> = {},
  ): Promise<Response> => {
    const configured = new URL(urlOf(key));
    let url = configured;
    try {
      for (let redirects = 0; ; redirects++) {
        const response = await doFetch(url.href, { method, redirect: 'manual', headers });
        const location = response.headers.get('location');
        if (!redirectStatus.has(response.status) || !location) return response;
        await response.body?.cancel();
        if (redirects >= maxRedirects)
          throw new StorageError('TOO_MANY_REDIRECTS', `${id}: ${method} ${key}: more than ${maxRedirects} redirects`);
        url = new URL(location, url);
        if (url.protocol !== 'http:' && url.protocol !== 'https:')
          throw new StorageError(
            'BAD_REDIRECT',
            `${id}: ${method} ${key}: redirected to a ${url.protocol} URL; only http and https are fetched`,
          );
        assertRedirectAllowed(configured, url, allowPrivateNetwork);
      }
    } catch (error) {
      if (error instanceof StorageError) throw error;
      const refused = privateAddressOf(error);
      if (refused)
        throw new StorageError('PRIVATE_ADDRESS', `${id}: ${method} ${key}: ${refused.message}`, { cause: refused });
      throw new MirrorUnavailableError(
        id,
        `mirror '${id}' (${base}) did not answer: ${method} ${key}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  const refuse = (response: Response, what: string): never => {
    if (response.status >= 500)
      throw new MirrorUnavailableError(id, `mirror '${id}' (${base}) answered HTTP ${response.status} to ${what}`);
    throw new StorageError(`HTTP_${response.status}`, `${id}: ${what}: HTTP ${response.status}`);
  };

  return {
    id,
    kind: 'http',
    where: `${base}/${prefix}`,
    async head(key) {
      const response = await request('HEAD', key);
      if (response.status === 404) return undefined;
      if (!response.ok) return refuse(response, `HEAD ${key}`);
      const length = Number(response.headers.get('content-length'));
      if (!Number.isSafeInteger(length) || length < 0)
        throw new StorageError('NO_LENGTH', `${id}: HEAD ${key} gave no Content-Length`);
      return { key, size: length };
    },
    // eslint-disable-next-line require-yield
    async *list() {
      throw new StorageError(
        'LIST_UNSUPPORTED',
        `${id}: an HTTP mirror cannot be listed; give the keys (a manifest) instead`,
      );
    },
    async read(key, readOptions) {
      const max = readOptions?.maxBytes;
      if (max !== undefined && max <= 0) return Readable.from([]);
      // RFC 9110 §14.1.2: bytes=0-(max-1) asks for the first max bytes.
      const response = await request('GET', key, max !== undefined ? { range: `bytes=0-${max - 1}` } : {});
      if (response.status === 404) {
        await response.body?.cancel();
        throw new StorageError('NOT_FOUND', `${id}: no object ${key}`);
      }
      // RFC 9110 §15.5.17: a range starting at byte 0 is unsatisfiable only when the object is empty.
      if (max !== undefined && response.status === 416) {
        await response.body?.cancel();
        return Readable.from([]);
      }
      if (!response.ok || !response.body) return refuse(response, `GET ${key}`);
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      // A server that ignores Range (200 and the whole body, or a body without end) is read up to max bytes only.
      return max !== undefined ? takeBytes(body, max) : body;
    },
    async readUrl(key) {
      return urlOf(key);
    },
    async put(key) {
      throw new StorageError('READ_ONLY', `${id}: ${key}: an HTTP mirror is read-only`);
    },
    async delete(key) {
      throw new StorageError('READ_ONLY', `${id}: ${key}: an HTTP mirror is read-only`);
    },
  };
}
