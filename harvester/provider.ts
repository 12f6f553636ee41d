// The OAI-PMH 2.0 provider of this catalogue: every verb and every error as the spec says, GET and POST, opaque
// stateless signed resumption tokens, sets, deletedRecord "persistent" (withdrawn entries listed as deleted),
// second granularity, and the formats oai_dc, oai_datacite, datacite and bic_full. Records come from a snapshot
// of the published catalogue (catalog/load.ts: never embargoed entries or submissions).
// The request's arguments are read in provider-verbs.ts, tokens made and read in provider-tokens.ts, and HTTP
// served in provider-http.ts; this file answers each verb.
import { randomBytes } from 'node:crypto';
import { toIsoDay, toIsoSeconds as isoSeconds } from '../catalog/dates.ts';
import { loadPublishedCatalogue } from '../catalog/load.ts';
import type { CatalogueRecord } from '../catalog/records.ts';
import { escapeXml as x } from '../catalog/exports/escape-xml.ts';
import { defaultCatalogueInfo, type CatalogueInfo } from '../catalog/exports/dataset-view.ts';
import {
  datestampOf,
  defaultAdminEmail,
  defaultRepositoryIdentifier,
  formats,
  oaiIdentifierOf,
  renderOaiIdentifierDescription,
  setsOf,
  type MetadataFormat,
} from './provider-formats.ts';
import { OAI_NS } from './protocol.ts';
import { compressionEncodings, createProviderListener, listen, type RequestListener } from './provider-http.ts';
import { createTokenCodec, type ResumptionState } from './provider-tokens.ts';
import {
  OaiRequestError,
  parseArgs,
  parseProviderRequest,
  type Args,
  type ListVerb,
  type ProviderRequest,
} from './provider-verbs.ts';

export { listen, parseArgs };

export interface ProviderRecord {
  /** oai:<repositoryIdentifier>:<accession or harvested id> (oai-identifier scheme). */
  identifier: string;
  /** YYYY-MM-DDThh:mm:ssZ. */
  datestamp: string;
  setSpecs: string[];
  deleted: boolean;
  record: CatalogueRecord;
}

export interface ProviderSnapshot {
  /** Sorted by (datestamp, identifier): lists come in datestamp order, so harvesters can resume from a datestamp. */
  records: ProviderRecord[];
  byIdentifier: Map<string, ProviderRecord>;
  sets: Map<string, string>;
  earliestDatestamp: string;
}

export interface ProviderOptions {
  /** Base URL the provider answers at (OAI-PMH §3.1), as harvesters see it; default from the request's Host. */
  baseUrl?: string;
  repositoryName?: string;
  adminEmail?: string;
  /** The namespace-identifier of oai-identifiers (default bioimage-catalogue.org). */
  repositoryIdentifier?: string;
  /** Key signing resumption tokens (default: OAI_TOKEN_SECRET, else random per process). */
  secret?: string;
  /** Records or headers per page (default 100). */
  pageSize?: number;
  /** Lifetime of a resumption token in seconds (default 86400). */
  tokenLifetimeSeconds?: number;
  /** Where records come from; called again when the snapshot is older than maxAgeMs. */
  load: () => Promise<CatalogueRecord[]>;
  /**
   * Sets computed from more than a record itself (the labels "Reference dataset" and "Highly used", from curation
   * records and usage counts), by accession; called after each load.
   */
  extraSets?: (records: CatalogueRecord[]) => Promise<Map<string, { spec: string; name: string }[]>>;
  /** Age after which the snapshot is reloaded, ms (default 60000; 0 reloads on every request). */
  maxAgeMs?: number;
  info?: CatalogueInfo;
  now?: () => Date;
  /** Where a line about an error inside the provider goes (default standard error); the client never sees it. */
  log?: (line: string) => void;
}

const envelopeOpen =
  `<OAI-PMH xmlns="${OAI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
  `xsi:schemaLocation="${OAI_NS} ${OAI_NS}OAI-PMH.xsd">`;

/** What selects the items of a list: the arguments of its first request, dates at second granularity. */
type ListSelection = Pick<ResumptionState, 'metadataPrefix' | 'set' | 'from' | 'until'>;

export interface OaiProvider {
  /** Answers one request; `args` as parsed from the query or the form body. Returns the XML. */
  respond(args: Args, baseUrl?: string): Promise<string>;
  /**
   * The Node request listener: GET and POST at any path. A request it cannot read gets a 4xx with a one-line reason
   * (400 target, 405 method, 413 body over 64 KiB, 415 body not a form), an error inside it a 500; it never throws.
   */
  listener: RequestListener;
  /** Drops the snapshot so that the next request reloads the catalogue. */
  reload(): void;
  snapshot(): Promise<ProviderSnapshot>;
}

const byDatestampThenIdentifier = (a: ProviderRecord, b: ProviderRecord) =>
  a.datestamp < b.datestamp
    ? -1
    : a.datestamp > b.datestamp
      ? 1
      : a.identifier < b.identifier
        ? -1
        : a.identifier > b.identifier
          ? 1
          : 0;

/** The index of the first record whose sort key (datestamp + ' ' + identifier) is not below `key`. */
function lowerBound(records: readonly ProviderRecord[], key: string): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = records[mid];
    if (`${r.datestamp} ${r.identifier}` < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createOaiProvider(options: ProviderOptions): OaiProvider {
  const pageSize = options.pageSize ?? 100;
  const lifetime = options.tokenLifetimeSeconds ?? 86_400;
  const secret = options.secret ?? process.env.OAI_TOKEN_SECRET ?? randomBytes(32).toString('hex');
  const repositoryIdentifier = options.repositoryIdentifier ?? defaultRepositoryIdentifier;
  const info = options.info ?? defaultCatalogueInfo;
  const now = options.now ?? (() => new Date());
  const maxAge = options.maxAgeMs ?? 60_000;
  const tokens = createTokenCodec({ secret, now });
  let cached: { at: number; snapshot: Promise<ProviderSnapshot> } | undefined;

  async function build(): Promise<ProviderSnapshot> {
    const loaded = await options.load();
    const extra = (await options.extraSets?.(loaded)) ?? new Map<string, { spec: string; name: string }[]>();
    const allSetsOf = (record: CatalogueRecord) => [...setsOf(record), ...(extra.get(record.summary.accession) ?? [])];
    const records = loaded.map(
      (record): ProviderRecord => ({
        identifier: oaiIdentifierOf(repositoryIdentifier, record),
        datestamp: datestampOf(record),
        setSpecs: allSetsOf(record).map((s) => s.spec),
        deleted: record.status === 'withdrawn',
        record,
      }),
    );
    records.sort(byDatestampThenIdentifier);
    const sets = new Map<string, string>();
    for (const r of records)
      for (const s of allSetsOf(r.record)) {
        // Every level of a hierarchical setSpec is a set (§2.7.2), with its own name.
        const parts = s.spec.split(':');
        for (let i = 1; i < parts.length; i++) {
          const parent = parts.slice(0, i).join(':');
          if (!sets.has(parent)) sets.set(parent, parentNames[parent] ?? parent);
        }
        sets.set(s.spec, s.name);
      }
    return {
      records,
      byIdentifier: new Map(records.map((r) => [r.identifier, r])),
      sets,
      earliestDatestamp: records[0]?.datestamp ?? '2000-01-01T00:00:00Z',
    };
  }

  function snapshot(): Promise<ProviderSnapshot> {
    const t = Date.now();
    if (!cached || t - cached.at > maxAge) {
      cached = { at: t, snapshot: build() };
      cached.snapshot.catch(() => (cached = undefined));
    }
    return cached.snapshot;
  }

  function requestElement(args: Args, withAttributes: boolean, baseUrl: string): string {
    // §3.2: after badVerb or badArgument, the request element carries no attributes.
    const attributes = withAttributes ? [...args.entries()].map(([k, v]) => ` ${k}="${x(v[0])}"`).join('') : '';
    return `<request${attributes}>${x(baseUrl)}</request>`;
  }

  function envelope(args: Args, body: string, baseUrl: string, withAttributes = true): string {
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n${envelopeOpen}<responseDate>${isoSeconds(now())}</responseDate>` +
      `${requestElement(args, withAttributes, baseUrl)}${body}</OAI-PMH>\n`
    );
  }

  function formatFor(prefix: string): MetadataFormat {
    const format = formats.find((f) => f.prefix === prefix);
    if (!format) {
      const known = formats.map((f) => f.prefix).join(', ');
      const message = `the metadata format '${prefix}' is not supported (${known})`;
      throw new OaiRequestError('cannotDisseminateFormat', message);
    }
    return format;
  }

  const unknownIdentifier = (identifier: string) =>
    new OaiRequestError('idDoesNotExist', `'${identifier}' is not an identifier of this repository`);

  function header(r: ProviderRecord): string {
    const setSpecs = r.setSpecs.map((s) => `<setSpec>${x(s)}</setSpec>`).join('');
    return (
      `<header${r.deleted ? ' status="deleted"' : ''}><identifier>${x(r.identifier)}</identifier>` +
      `<datestamp>${r.datestamp}</datestamp>${setSpecs}</header>`
    );
  }

  function recordXml(r: ProviderRecord, format: MetadataFormat): string {
    // §2.5.1: a deleted record has a header only.
    if (r.deleted) return `<record>${header(r)}</record>`;
    return `<record>${header(r)}<metadata>${format.render(r.record, info)}</metadata></record>`;
  }

  function identify(snap: ProviderSnapshot, baseUrl: string): string {
    const compression = compressionEncodings.map((e) => `<compression>${e}</compression>`).join('');
    return (
      `<Identify><repositoryName>${x(options.repositoryName ?? info.name)}</repositoryName>` +
      `<baseURL>${x(baseUrl)}</baseURL><protocolVersion>2.0</protocolVersion>` +
      `<adminEmail>${x(options.adminEmail ?? defaultAdminEmail)}</adminEmail>` +
      `<earliestDatestamp>${snap.earliestDatestamp}</earliestDatestamp><deletedRecord>persistent</deletedRecord>` +
      `<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>${compression}` +
      `<description>${renderOaiIdentifierDescription(repositoryIdentifier)}</description></Identify>`
    );
  }

  function listMetadataFormats(snap: ProviderSnapshot, identifier: string | undefined): string {
    if (identifier !== undefined && !snap.byIdentifier.has(identifier)) throw unknownIdentifier(identifier);
    const items = formats.map(
      (f) =>
        `<metadataFormat><metadataPrefix>${f.prefix}</metadataPrefix>` +
        `<schema>${x(f.schema)}</schema><metadataNamespace>${x(f.namespace)}</metadataNamespace></metadataFormat>`,
    );
    return `<ListMetadataFormats>${items.join('')}</ListMetadataFormats>`;
  }

  function listSets(snap: ProviderSnapshot, resumptionToken: string | undefined): string {
    // Every set fits on one page, so no token is issued; one sent is still checked (§3.5).
    if (resumptionToken !== undefined) tokens.decode(resumptionToken, 'ListSets');
    if (snap.sets.size === 0) throw new OaiRequestError('noSetHierarchy', 'the repository has no sets yet');
    const items = [...snap.sets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([spec, name]) => `<set><setSpec>${x(spec)}</setSpec><setName>${x(name)}</setName></set>`);
    return `<ListSets>${items.join('')}</ListSets>`;
  }

  function getRecord(snap: ProviderSnapshot, identifier: string, metadataPrefix: string): string {
    const format = formatFor(metadataPrefix);
    const r = snap.byIdentifier.get(identifier);
    if (!r) throw unknownIdentifier(identifier);
    return `<GetRecord>${recordXml(r, format)}</GetRecord>`;
  }

  /** §3.5.1: the token element of a page; the last page of a resumed list has an empty one. */
  function tokenXml(next: ResumptionState | undefined, cursor: number, total: number): string {
    if (!next) return cursor > 0 ? `<resumptionToken completeListSize="${total}" cursor="${cursor}"/>` : '';
    return (
      `<resumptionToken expirationDate="${isoSeconds(new Date(next.expiresAt * 1000))}" ` +
      `completeListSize="${total}" cursor="${cursor}">${tokens.encode(next)}</resumptionToken>`
    );
  }

  function list(snap: ProviderSnapshot, request: Extract<ProviderRequest, { verb: ListVerb }>): string {
    const verb = request.verb;
    let selection: ListSelection;
    let resumed: ResumptionState | undefined;
    if ('resumptionToken' in request) {
      resumed = tokens.decode(request.resumptionToken, verb);
      selection = resumed;
    } else {
      const { from, until } = request;
      selection = {
        metadataPrefix: request.metadataPrefix,
        set: request.set,
        from: from && from.length === 10 ? `${from}T00:00:00Z` : from,
        // A day-granularity until includes the whole day (§3.3.1: "less than or equal to").
        until: until && until.length === 10 ? `${until}T23:59:59Z` : until,
      };
    }
    const format = formatFor(selection.metadataPrefix!);
    const { set, until } = selection;
    if (set !== undefined && !snap.sets.has(set) && !resumed) {
      throw new OaiRequestError('noRecordsMatch', `no record is in the set '${set}' (see ListSets)`);
    }
    const matches = (r: ProviderRecord) =>
      (until === undefined || r.datestamp <= until) &&
      (set === undefined || r.setSpecs.some((s) => s === set || s.startsWith(`${set}:`)));
    const { records } = snap;
    // A resumed list goes on after the last key sent: no key sorts between lastKey and lastKey + '\u0000'.
    const start = lowerBound(records, resumed ? `${resumed.lastKey}\u0000` : (selection.from ?? ''));
    let total = resumed?.completeListSize;
    if (total === undefined) {
      total = 0;
      for (let i = start; i < records.length; i++) if (matches(records[i])) total++;
    }
    if (total === 0) throw new OaiRequestError('noRecordsMatch', 'no record matches the arguments');
    const page: ProviderRecord[] = [];
    let i = start;
    for (; i < records.length && page.length < pageSize; i++) if (matches(records[i])) page.push(records[i]);
    let more = false;
    for (let j = i; j < records.length && !more; j++) more = matches(records[j]);
    const cursor = resumed?.cursor ?? 0;
    const last = page[page.length - 1];
    const next: ResumptionState | undefined =
      more && last
        ? {
            verb,
            ...selection,
            lastKey: `${last.datestamp} ${last.identifier}`,
            cursor: cursor + page.length,
            completeListSize: total,
            expiresAt: Math.floor(now().getTime() / 1000) + lifetime,
          }
        : undefined;
    const items = verb === 'ListRecords' ? page.map((r) => recordXml(r, format)).join('') : page.map(header).join('');
    // §3.5: the first page of an incomplete list and every later page carry a token; the last one an empty token.
    const token = next ? tokenXml(next, cursor, total) : resumed ? tokenXml(undefined, cursor, total) : '';
    return `<${verb}>${items}${token}</${verb}>`;
  }

  function answer(snap: ProviderSnapshot, request: ProviderRequest, baseUrl: string): string {
    switch (request.verb) {
      case 'Identify':
        return identify(snap, baseUrl);
      case 'ListMetadataFormats':
        return listMetadataFormats(snap, request.identifier);
      case 'ListSets':
        return listSets(snap, 'resumptionToken' in request ? request.resumptionToken : undefined);
      case 'GetRecord':
        return getRecord(snap, request.identifier, request.metadataPrefix);
      case 'ListIdentifiers':
      case 'ListRecords':
        return list(snap, request);
    }
  }

  async function respond(args: Args, requestBaseUrl?: string): Promise<string> {
    const baseUrl = options.baseUrl ?? requestBaseUrl ?? 'http://localhost/oai';
    const errorXml = (error: OaiRequestError) => `<error code="${error.code}">${x(error.message)}</error>`;
    let request: ProviderRequest;
    try {
      request = parseProviderRequest(args);
    } catch (error) {
      if (!(error instanceof OaiRequestError)) throw error;
      return envelope(args, errorXml(error), baseUrl, false);
    }
    try {
      return envelope(args, answer(await snapshot(), request, baseUrl), baseUrl);
    } catch (error) {
      if (!(error instanceof OaiRequestError)) throw error;
      return envelope(args, errorXml(error), baseUrl, error.code !== 'badArgument' && error.code !== 'badVerb');
    }
  }

  const listener = createProviderListener({ respond, log: options.log });

  return { respond, listener, reload: () => (cached = undefined), snapshot };
}

const parentNames: Record<string, string> = {
  label: 'By label',
  origin: 'By origin',
  'origin:partner': 'Harvested from partner archives',
  method: 'By imaging method (FBbi)',
  organism: 'By organism (NCBI Taxonomy)',
  scale: 'By biological scale',
};

/**
 * A provider over a catalogue folder: the published records (live and withdrawn), reloaded when older than
 * maxAgeMs.
 */
export function createCatalogueProvider(
  catalog: string,
  options: Omit<ProviderOptions, 'load'> & { today?: () => string },
): OaiProvider {
  return createOaiProvider({
    ...options,
    load: async () => {
      const today = options.today?.() ?? toIsoDay(new Date());
      return (await loadPublishedCatalogue(catalog, { today })).records;
    },
  });
}
