// The next ListRecords page, requested before the current one is processed, so that the repository prepares it
// while this page is parsed, crosswalked and validated. At most one request runs ahead of the page being processed.
import type { OaiClient, OaiPage } from './client.ts';
import type { OaiRequest } from './protocol.ts';

export interface Prefetcher {
  /** The page answering `request`: the one requested ahead when it carries that token, otherwise a new request. */
  next(request: OaiRequest): Promise<OaiPage>;
  /**
   * Requests the page of `token` now, unless it is the token of the page being processed or is already requested;
   * resolves once the request has had a turn of the event loop to go out.
   */
  ahead(token: string): Promise<void>;
}

/**
 * Starts a prefetcher on `client`. `currentToken` gives the token of the page being processed (undefined on a list's
 * first page): a page that names its own token is never requested ahead (harvest.ts stops such a list).
 */
export function createPrefetcher(
  client: Pick<OaiClient, 'request'>,
  currentToken: () => string | undefined,
): Prefetcher {
  let prefetched: { token: string; page: Promise<OaiPage> } | undefined;
  const prefetch = (token: string) => {
    const page = client.request({ verb: 'ListRecords', resumptionToken: token }, { onResumptionToken: early });
    // Its failure is handled where it is awaited (next()), as if it had been sent then; never an unhandled rejection.
    page.catch(() => undefined);
    prefetched = { token, page };
  };
  // A page's token read before the page is parsed (client.ts onResumptionToken): the next request goes out while
  // this page is parsed. Only while nothing requested ahead is waiting to be used, so that at most one request is
  // ahead of the page being processed.
  const early = (token: string) => {
    if (!prefetched && token !== currentToken()) prefetch(token);
  };
  return {
    next(request) {
      const token = 'resumptionToken' in request ? request.resumptionToken : undefined;
      const ahead = prefetched && prefetched.token === token ? prefetched.page : undefined;
      prefetched = undefined;
      return ahead ?? client.request(request, { onResumptionToken: early });
    },
    async ahead(token) {
      if (token === currentToken() || prefetched?.token === token) return;
      prefetch(token);
      // fetch writes the request from the event loop: let it go out now, not after this page (which only awaits
      // promises, so the loop would not turn before it is done).
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
