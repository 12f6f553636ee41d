// The harvesting client: every verb of OAI-PMH 2.0 over the polite HTTP client, with resumption handled here for
// the simple cases (Identify, ListSets, ListMetadataFormats, GetRecord, ad hoc lists). The harvest loop
// (harvest.ts) drives ListRecords itself, one page at a time, to commit state with each page.
import { HarvestError, OaiProtocolError, XmlError } from './errors.ts';
import { cleanPartnerText } from './partner-text.ts';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http.ts';
import {
  OAI_NS,
  parseOaiResponse,
  peekResumptionToken,
  readIdentify,
  requestQuery,
  requestUrl,
  throwOaiErrors,
  type IdentifyInfo,
  type ListArguments,
  type OaiHeader,
  type OaiRecord,
  type OaiRequest,
  type OaiResponse,
} from './protocol.ts';
import { child, children, textOf } from './xml.ts';

export interface OaiClientOptions {
  /** The repository's base URL (OAI-PMH §3.1), without query. */
  baseUrl: string;
  /** An HTTP client; default one made from `httpOptions`. */
  http?: HttpClient;
  httpOptions?: Partial<HttpClientOptions>;
  /** Contact address put in the User-Agent when no http client is given. */
  contact?: string;
  /**
   * Let redirects and host names lead to non-public addresses (partners.yaml `allowPrivateNetwork`; default false,
   * refused with PRIVATE_ADDRESS). The base URL itself is used as given. For the default http client only.
   */
  allowPrivateNetwork?: boolean;
  /** POST instead of GET (§3.1.1.2: both are allowed; POST suits very long tokens). Default GET. */
  method?: 'GET' | 'POST';
  /** Size limit of one response, bytes (default 64 MiB). */
  maxBytes?: number;
  /** Attempts at a page that arrives truncated or not well-formed before giving up (default 3). */
  malformedAttempts?: number;
  /** Wait between those attempts, ms (default 2000). */
  malformedWaitMs?: number;
}

export interface OaiPage {
  url: string;
  response: OaiResponse;
}

export interface OaiClient {
  readonly baseUrl: string;
  /** One request, parsed; OAI errors are in `response.errors`, not thrown. */
  request(request: OaiRequest, options?: RequestOptions): Promise<OaiPage>;
  identify(): Promise<IdentifyInfo>;
  listMetadataFormats(
    identifier?: string,
  ): Promise<{ metadataPrefix: string; schema: string; metadataNamespace: string }[]>;
  listSets(): AsyncGenerator<{ setSpec: string; setName: string }>;
  listIdentifiers(args: ListArguments): AsyncGenerator<OaiHeader>;
  listRecords(args: ListArguments): AsyncGenerator<OaiRecord>;
  getRecord(identifier: string, metadataPrefix: string): Promise<OaiRecord>;
}

export interface RequestOptions {
  /**
   * Called with the page's resumptionToken as soon as the page has arrived, before it is parsed, when the token can
   * be read from the end of the text alone (protocol.ts peekResumptionToken): the caller can ask for the next page
   * while this one is parsed. The request then yields to the event loop once, so that a request made here goes out
   * before the parse. The parsed page's token is the one to trust; it differs only for a page that is not plain XML.
   */
  onResumptionToken?: (token: string) => void;
}

export const harvesterVersion = '0.1.0';

/** The User-Agent: product, version and a contact address, as polite harvesters send. */
export function userAgentFor(contact?: string): string {
  const address = contact ?? process.env.HARVEST_CONTACT ?? 'mailto:harvester@bioimage-catalogue.org';
  return `bioimage-catalogue-harvester/${harvesterVersion} (+https://bioimage-catalogue.org/; ${address})`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createOaiClient(options: OaiClientOptions): OaiClient {
  const baseUrl = options.baseUrl;
  const http =
    options.http ??
    createHttpClient({
      userAgent: userAgentFor(options.contact),
      allowPrivateNetwork: options.allowPrivateNetwork,
      ...options.httpOptions,
    });
  const attempts = options.malformedAttempts ?? 3;
  const wait = options.malformedWaitMs ?? 2000;

  async function request(oaiRequest: OaiRequest, requestOptions: RequestOptions = {}): Promise<OaiPage> {
    const url = requestUrl(baseUrl, oaiRequest);
    for (let attempt = 1; ; attempt++) {
      const response =
        options.method === 'POST'
          ? await http({ url: baseUrl, method: 'POST', body: requestQuery(oaiRequest) })
          : await http({ url });
      const early = requestOptions.onResumptionToken && peekResumptionToken(response.text);
      if (early) {
        requestOptions.onResumptionToken!(early);
        await new Promise((resolve) => setImmediate(resolve));
      }
      try {
        return { url, response: parseOaiResponse(response.text, url, { maxBytes: options.maxBytes }) };
      } catch (error) {
        // A truncated or garbled page is often a proxy or a server under load: ask again before giving up.
        if (
          !(error instanceof XmlError) ||
          error.code === 'XML_DOCTYPE' ||
          error.code === 'NOT_OAI_PMH' ||
          attempt >= attempts
        ) {
          if (error instanceof XmlError) {
            throw new XmlError(
              error.code,
              `${url}: ${error.message}` +
                `${error.line ? ` (line ${error.line}, column ${error.column})` : ''}` +
                `${attempt > 1 ? `, ${attempt} attempts` : ''}`,
              { line: error.line, column: error.column },
              { cause: error },
            );
          }
          throw error;
        }
        await sleep(wait * attempt);
      }
    }
  }

  async function* list(first: OaiRequest, verb: 'ListSets' | 'ListIdentifiers' | 'ListRecords') {
    let next: OaiRequest | undefined = first;
    const seen = new Set<string>();
    while (next) {
      const { url, response } = await request(next);
      if (response.errors.some((e) => e.code === 'noRecordsMatch')) return;
      throwOaiErrors(response, url);
      yield response;
      const token = response.resumptionToken?.value;
      if (!token) return;
      if (seen.has(token))
        throw new HarvestError(
          'TOKEN_LOOP',
          `${url}: the repository sent the resumptionToken '${cleanPartnerText(token, 80)}' twice; ` +
            'stopping rather than loop',
        );
      seen.add(token);
      next = { verb, resumptionToken: token };
    }
  }

  return {
    baseUrl,
    request,
    async identify() {
      const { url, response } = await request({ verb: 'Identify' });
      throwOaiErrors(response, url);
      return readIdentify(response);
    },
    async listMetadataFormats(identifier) {
      const { url, response } = await request(
        identifier ? { verb: 'ListMetadataFormats', identifier } : { verb: 'ListMetadataFormats' },
      );
      throwOaiErrors(response, url);
      return children(response.body, OAI_NS, 'metadataFormat').map((f) => ({
        metadataPrefix: textOf(child(f, OAI_NS, 'metadataPrefix')),
        schema: textOf(child(f, OAI_NS, 'schema')),
        metadataNamespace: textOf(child(f, OAI_NS, 'metadataNamespace')),
      }));
    },
    async *listSets() {
      try {
        for await (const response of list({ verb: 'ListSets' }, 'ListSets')) {
          for (const set of children(response.body, OAI_NS, 'set'))
            yield { setSpec: textOf(child(set, OAI_NS, 'setSpec')), setName: textOf(child(set, OAI_NS, 'setName')) };
        }
      } catch (error) {
        if (error instanceof OaiProtocolError && error.oaiCode === 'noSetHierarchy') return;
        throw error;
      }
    },
    async *listIdentifiers(args) {
      for await (const response of list({ verb: 'ListIdentifiers', ...args }, 'ListIdentifiers'))
        yield* response.headers;
    },
    async *listRecords(args) {
      for await (const response of list({ verb: 'ListRecords', ...args }, 'ListRecords')) yield* response.records;
    },
    async getRecord(identifier, metadataPrefix) {
      const { url, response } = await request({ verb: 'GetRecord', identifier, metadataPrefix });
      throwOaiErrors(response, url);
      const record = response.records[0];
      if (!record) {
        const q = response.quarantined[0];
        throw new HarvestError(
          q?.code ?? 'RECORD_MISSING',
          `${url}: ${cleanPartnerText(q?.message ?? 'GetRecord returned no record')}`,
        );
      }
      return record;
    },
  };
}
