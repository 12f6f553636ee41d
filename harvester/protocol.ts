// OAI-PMH 2.0 (http://www.openarchives.org/OAI/openarchivesprotocol.html): typed requests and parsed responses.
import { OaiProtocolError, XmlError } from './errors.ts';
import { cleanPartnerText } from './partner-text.ts';
import {
  child,
  children,
  parseXml,
  rootNamespaceDeclarations,
  textOf,
  type ParseXmlOptions,
  type XmlElement,
} from './xml.ts';

export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';

export type Verb = 'Identify' | 'ListMetadataFormats' | 'ListSets' | 'ListIdentifiers' | 'ListRecords' | 'GetRecord';

/** Selective harvesting arguments (OAI-PMH §3.3): dates at the repository's granularity. */
export interface ListArguments {
  metadataPrefix: string;
  from?: string;
  until?: string;
  set?: string;
}

export type OaiRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier?: string }
  | { verb: 'ListSets' }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | ({ verb: 'ListIdentifiers' | 'ListRecords' } & ListArguments)
  // §3.5: the resumptionToken is an exclusive argument: with it, only the verb is sent.
  | { verb: 'ListIdentifiers' | 'ListRecords' | 'ListSets'; resumptionToken: string };

/** The query of a request (without '?'), arguments in a fixed order. URLSearchParams encodes the token exactly. */
export function requestQuery(request: OaiRequest): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

export function requestUrl(baseUrl: string, request: OaiRequest): string {
  return `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}${requestQuery(request)}`;
}

export interface OaiHeader {
  identifier: string;
  datestamp: string;
  setSpecs: string[];
  /** §2.5.1: status="deleted". */
  deleted: boolean;
}

export interface OaiRecord {
  header: OaiHeader;
  /** The single child of <metadata>, absent for deleted records. */
  metadata?: XmlElement;
}

/** A record of a page that could not be read; the rest of the page is kept (see harvest.ts). */
export interface QuarantinedRecord {
  /** Position in the page, 0-based. */
  index: number;
  identifier?: string;
  code: string;
  message: string;
  /** The record's XML as received, for the quarantine folder. */
  raw: string;
}

export interface ResumptionToken {
  /**
   * The token exactly as received (whitespace trimmed: §3.5.1 tokens are opaque strings without it); '' on the
   * last page.
   */
  value: string;
  cursor?: number;
  completeListSize?: number;
  expirationDate?: string;
}

export interface OaiError {
  code: string;
  message: string;
}

export interface OaiResponse {
  responseDate: string;
  verb?: string;
  errors: OaiError[];
  /** The verb's element (<Identify>, <ListRecords>...). */
  body?: XmlElement;
  records: OaiRecord[];
  /** ListIdentifiers headers. */
  headers: OaiHeader[];
  resumptionToken?: ResumptionToken;
  quarantined: QuarantinedRecord[];
  /** Invalid XML characters removed from the response. */
  stripped: number;
}

// §3.3.1: UTCdatetime at day or second granularity; some servers add fractions, which is tolerated here.
export const datestampPattern = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$/;

function parseHeader(element: XmlElement): OaiHeader {
  const identifier = textOf(child(element, OAI_NS, 'identifier'));
  const datestamp = textOf(child(element, OAI_NS, 'datestamp'));
  if (!identifier) throw new XmlError('RECORD_NO_IDENTIFIER', 'the record header has no <identifier> (OAI-PMH §2.5)');
  if (!datestampPattern.test(datestamp))
    throw new XmlError(
      'RECORD_BAD_DATESTAMP',
      `the header of ${cleanPartnerText(identifier, 120)} has the datestamp '${cleanPartnerText(datestamp, 40)}', ` +
        'not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (OAI-PMH §3.3.1)',
    );
  return {
    identifier,
    datestamp: datestamp.replace(/\.\d+Z$/, 'Z'),
    setSpecs: [...new Set(children(element, OAI_NS, 'setSpec').map(textOf))],
    deleted: element.attrs.status === 'deleted',
  };
}

function parseRecord(element: XmlElement): OaiRecord {
  const headerElement = child(element, OAI_NS, 'header');
  if (!headerElement) throw new XmlError('RECORD_NO_HEADER', 'the record has no <header> (OAI-PMH §2.5)');
  const header = parseHeader(headerElement);
  const metadataElement = child(element, OAI_NS, 'metadata');
  const metadata = metadataElement?.children[0];
  if (!header.deleted && !metadata)
    throw new XmlError(
      'RECORD_NO_METADATA',
      `the record ${cleanPartnerText(header.identifier, 120)} is not deleted ` +
        'but has no <metadata> content (OAI-PMH §2.5)',
    );
  return { header, metadata };
}

// The end of a ListRecords or ListIdentifiers page whose last element is a resumptionToken of plain text: the
// token, then the closing list and OAI-PMH tags, whatever their prefixes. Only printable ASCII without spaces or
// markup characters (every token seen from real servers), so that no entity, CDATA section, comment or stripped
// character can make the text differ from what the parser reads (§3.5: the token is sent back exactly).
// Composed from pieces (one per tag) so that each stays readable; tagPrefix is an optional namespace prefix.
const tagPrefix = /(?:[A-Za-z_][\w.-]*:)?/.source;
const tokenAtEnd = new RegExp(
  `<${tagPrefix}resumptionToken` +
    /(?:\s[^<>]*)?>\s*([!#-%'-;=?-~]+)\s*/.source +
    `<\\/${tagPrefix}resumptionToken\\s*>\\s*` +
    `<\\/${tagPrefix}List(?:Records|Identifiers)\\s*>\\s*` +
    `<\\/${tagPrefix}OAI-PMH\\s*>\\s*$`,
);

/**
 * The resumptionToken of a list page read from the end of its text, without parsing the page; undefined unless
 * the page ends exactly so (tokenAtEnd). A hint for sending the next request early: the parsed page decides.
 */
export function peekResumptionToken(text: string): string | undefined {
  // Tokens are short (Zenodo's, among the longest seen, ~200 characters): the last 8 KB hold the whole element.
  return tokenAtEnd.exec(text.length > 8192 ? text.slice(-8192) : text)?.[1];
}

function parseToken(element: XmlElement | undefined): ResumptionToken | undefined {
  if (!element) return undefined;
  const number = (value: string | undefined) =>
    value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
  return {
    value: element.text.trim(),
    cursor: number(element.attrs.cursor),
    completeListSize: number(element.attrs.completeListSize),
    expirationDate: element.attrs.expirationDate,
  };
}

function interpret(
  root: XmlElement,
  url: string,
  stripped: number,
  quarantined: QuarantinedRecord[],
  rawRecords?: string[],
): OaiResponse {
  if (root.ns !== OAI_NS || root.name !== 'OAI-PMH') {
    throw new XmlError(
      'NOT_OAI_PMH',
      `the root element is <${root.name}> in namespace '${cleanPartnerText(root.ns, 120)}', ` +
        `not <OAI-PMH> in ${OAI_NS} (is ${url} an OAI-PMH base URL?)`,
    );
  }
  const errors = children(root, OAI_NS, 'error').map((e) => ({ code: e.attrs.code ?? 'unknown', message: textOf(e) }));
  const body = root.children.find((c) => c.ns === OAI_NS && !['responseDate', 'request', 'error'].includes(c.name));
  const records: OaiRecord[] = [];
  const headers: OaiHeader[] = [];
  if (body?.name === 'ListRecords' || body?.name === 'GetRecord') {
    children(body, OAI_NS, 'record').forEach((element, index) => {
      try {
        records.push(parseRecord(element));
      } catch (error) {
        if (!(error instanceof XmlError)) throw error;
        const identifier = textOf(child(child(element, OAI_NS, 'header'), OAI_NS, 'identifier')) || undefined;
        quarantined.push({
          index,
          identifier,
          code: error.code,
          message: error.message,
          raw: rawRecords?.[index] ?? '',
        });
      }
    });
  } else if (body?.name === 'ListIdentifiers') {
    children(body, OAI_NS, 'header').forEach((element, index) => {
      try {
        headers.push(parseHeader(element));
      } catch (error) {
        if (!(error instanceof XmlError)) throw error;
        quarantined.push({ index, code: error.code, message: error.message, raw: '' });
      }
    });
  }
  return {
    responseDate: textOf(child(root, OAI_NS, 'responseDate')),
    verb: child(root, OAI_NS, 'request')?.attrs.verb,
    errors,
    body,
    records,
    headers,
    resumptionToken: parseToken(child(body, OAI_NS, 'resumptionToken')),
    quarantined: quarantined.sort((a, b) => a.index - b.index),
    stripped,
  };
}

// A record element under any prefix (or none): the namespace is checked after parsing, not trusted from the name.
const recordChunk = /<((?:[\w.-]+:)?)record[\s>][\s\S]*?<\/\1record\s*>/g;

/**
 * Parses one OAI-PMH response. When the page as a whole is not well-formed, each <record> is read on its own:
 * the readable ones are kept and the others quarantined, so one broken record does not cost the page.
 */
export function parseOaiResponse(text: string, url: string, options: ParseXmlOptions = {}): OaiResponse {
  try {
    const { root, stripped } = parseXml(text, options);
    return interpret(root, url, stripped, []);
  } catch (error) {
    if (
      !(error instanceof XmlError) ||
      error.code === 'XML_DOCTYPE' ||
      error.code === 'XML_TOO_LARGE' ||
      error.code === 'NOT_OAI_PMH'
    )
      throw error;
    const chunks = [...text.matchAll(recordChunk)].map((m) => m[0]);
    if (chunks.length === 0) throw error;
    // The envelope without its records must itself be readable (a truncated page is not: it is retried instead).
    let envelope: XmlElement;
    let stripped: number;
    try {
      ({ root: envelope, stripped } = parseXml(text.replace(recordChunk, ''), options));
    } catch {
      throw error;
    }
    const declarations = rootNamespaceDeclarations(text);
    const quarantined: QuarantinedRecord[] = [];
    const body = envelope.children.find((c) => c.ns === OAI_NS && (c.name === 'ListRecords' || c.name === 'GetRecord'));
    const good: XmlElement[] = [];
    const rawGood: string[] = [];
    chunks.forEach((chunk, index) => {
      try {
        const wrapped = parseXml(`<wrapper${declarations}>${chunk}</wrapper>`, options);
        stripped += wrapped.stripped;
        good.push(wrapped.root.children[0]);
        rawGood.push(chunk);
      } catch (recordError) {
        const identifier = /<(?:[\w.-]+:)?identifier[^>]*>([^<]*)</.exec(chunk)?.[1]?.trim();
        const e = recordError as XmlError;
        quarantined.push({
          index,
          identifier,
          code: e.code ?? 'XML_MALFORMED',
          message: e.message + (e.line ? ` (line ${e.line} of the record)` : ''),
          raw: chunk,
        });
      }
    });
    if (body) body.children.unshift(...good);
    const result = interpret(envelope, url, stripped, [], rawGood);
    // Indices of records that parsed are relative to the good ones; report quarantined in page order.
    return { ...result, quarantined: [...quarantined, ...result.quarantined] };
  }
}

/** Throws the first OAI-PMH error of a response as OaiProtocolError (noRecordsMatch is left to the caller). */
export function throwOaiErrors(response: OaiResponse, url: string, allow: readonly string[] = []): void {
  const error = response.errors.find((e) => !allow.includes(e.code));
  if (error) throw new OaiProtocolError(error.code, error.message, url);
}

export interface IdentifyInfo {
  repositoryName: string;
  baseURL: string;
  protocolVersion: string;
  earliestDatestamp: string;
  deletedRecord: string;
  /** 'YYYY-MM-DD' or 'YYYY-MM-DDThh:mm:ssZ' (§4.2). */
  granularity: string;
  adminEmails: string[];
}

export function readIdentify(response: OaiResponse): IdentifyInfo {
  const body = response.body;
  const text = (name: string) => textOf(child(body, OAI_NS, name));
  const info = {
    repositoryName: text('repositoryName'),
    baseURL: text('baseURL'),
    protocolVersion: text('protocolVersion'),
    earliestDatestamp: text('earliestDatestamp'),
    deletedRecord: text('deletedRecord'),
    granularity: text('granularity') || 'YYYY-MM-DD',
    adminEmails: children(body, OAI_NS, 'adminEmail').map(textOf),
  };
  if (info.earliestDatestamp && !datestampPattern.test(info.earliestDatestamp)) {
    throw new XmlError(
      'IDENTIFY_BAD_DATESTAMP',
      `Identify gives earliestDatestamp '${cleanPartnerText(info.earliestDatestamp, 40)}', ` +
        'not a UTC datestamp (OAI-PMH §3.3.1, §4.2)',
    );
  }
  return info;
}

/** A datestamp at the repository's granularity (§3.3.2): a day-granularity repository rejects times. */
export function atGranularity(datestamp: string, granularity: string): string {
  const day = datestamp.slice(0, 10);
  if (granularity === 'YYYY-MM-DD') return day;
  return datestamp.length === 10 ? `${day}T00:00:00Z` : datestamp;
}
