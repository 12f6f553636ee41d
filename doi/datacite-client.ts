// DataCite REST API (https://support.datacite.org/docs/api-create-dois, JSON:API): a DOI is created as a draft
// (POST /dois without `event`), made findable (PUT /dois/{doi} with event "publish"), and updated with PUT. The
// metadata travels as the catalogue's own DataCite XML, base64-encoded in the `xml` attribute, so what DataCite
// stores is exactly the export that is checked against the kernel-4.6 schema.
import type { DataciteConfig } from './datacite-config.ts';
import { DoiError } from './errors.ts';

export interface DoiState {
  doi: string;
  /** draft, registered or findable (DataCite's DOI states). */
  state: string;
  url?: string;
}

export interface DoiMetadata {
  /** The landing page the DOI resolves to. */
  url: string;
  /** DataCite XML (kernel 4.6) whose identifier is the DOI. */
  xml: string;
}

export interface DataciteClient {
  createDraft(doi: string, metadata: DoiMetadata): Promise<DoiState>;
  publish(doi: string, metadata: DoiMetadata): Promise<DoiState>;
  update(doi: string, metadata: DoiMetadata): Promise<DoiState>;
}

export interface DataciteClientOptions {
  config: DataciteConfig;
  /** The fetch to use (default the global one); tests pass none and talk to a real server on port 0. */
  fetch?: typeof globalThis.fetch;
  /** Time allowed for each request, in milliseconds (default 30 000). */
  timeoutMs?: number;
}

/** JSON:API media type (JSON:API 1.0 §"Content Negotiation"), which the DataCite REST API requires. */
const jsonApi = 'application/vnd.api+json';
/** How much of an error body is kept in a message. */
const maxDetail = 500;

export function createDataciteClient(options: DataciteClientOptions): DataciteClient {
  const { config } = options;
  const fetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const authorization = `Basic ${Buffer.from(`${config.repositoryId}:${config.password}`).toString('base64')}`;

  async function send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<DoiState> {
    const url = `${config.apiUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization, 'content-type': jsonApi, accept: jsonApi },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (cause) {
      throw new DoiError(
        'DATACITE_UNAVAILABLE',
        `${method} ${url}: no answer (${String(cause)})`,
        { method, url },
        {
          cause,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const code = response.status >= 500 ? 'DATACITE_UNAVAILABLE' : 'DATACITE_REJECTED';
      throw new DoiError(
        code,
        `${method} ${url}: DataCite answered ${response.status}: ${errorTitles(text).slice(0, maxDetail)}`,
        { method, url, status: response.status },
      );
    }
    const data = (JSON.parse(text) as { data?: { id?: string; attributes?: Record<string, unknown> } }).data;
    return {
      doi: String(data?.attributes?.doi ?? data?.id ?? ''),
      state: String(data?.attributes?.state ?? ''),
      ...(typeof data?.attributes?.url === 'string' ? { url: data.attributes.url } : {}),
    };
  }

  const attributes = (metadata: DoiMetadata) => ({
    url: metadata.url,
    xml: Buffer.from(metadata.xml, 'utf8').toString('base64'),
  });
  const path = (doi: string) => `/dois/${encodeURIComponent(doi).replace(/%2F/g, '/')}`;

  return {
    createDraft: (doi, metadata) =>
      send('POST', '/dois', { data: { type: 'dois', attributes: { doi, ...attributes(metadata) } } }),
    publish: (doi, metadata) =>
      send('PUT', path(doi), {
        data: { id: doi, type: 'dois', attributes: { event: 'publish', ...attributes(metadata) } },
      }),
    update: (doi, metadata) =>
      send('PUT', path(doi), { data: { id: doi, type: 'dois', attributes: attributes(metadata) } }),
  };
}

/** The `title` (and `source`) of each JSON:API error object, or the body itself when it is not one. */
function errorTitles(text: string): string {
  try {
    const { errors } = JSON.parse(text) as { errors?: { title?: string; source?: string }[] };
    if (Array.isArray(errors)) return errors.map((e) => (e.source ? `${e.source}: ${e.title}` : e.title)).join('; ');
  } catch {
    // Not JSON: the text is shown as it came.
  }
  return text;
}
