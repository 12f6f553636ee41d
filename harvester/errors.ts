// Errors of the harvester layer: one base with a stable `code` and a `cause`; subclasses add plain readonly
// fields so that they serialise (JSON.stringify sees own fields, not getters).
import { cleanPartnerText } from './partner-text.ts';

/** What an HTTP exchange can fail with: a status, a time-out, the network, a refused redirect or address. */
export type HttpErrorCode =
  | `HTTP_${number}`
  | 'TIMEOUT'
  | 'NETWORK'
  | 'BAD_URL'
  | 'BAD_REDIRECT'
  | 'TOO_MANY_REDIRECTS'
  | 'PRIVATE_ADDRESS'
  | 'RESPONSE_TOO_LARGE';

/** Why a response could not be read as OAI-PMH XML, or lacks what OAI-PMH 2.0 §2.5 requires of a record. */
export type XmlErrorCode =
  | 'XML_MALFORMED'
  | 'XML_DOCTYPE'
  | 'XML_TOO_LARGE'
  | 'XML_TOO_DEEP'
  | 'XML_NAMESPACE'
  | 'XML_UNDEFINED_ENTITY'
  | 'NOT_OAI_PMH'
  | 'RECORD_NO_HEADER'
  | 'RECORD_NO_IDENTIFIER'
  | 'RECORD_BAD_DATESTAMP'
  | 'RECORD_NO_METADATA'
  | 'IDENTIFY_BAD_DATESTAMP';

/** OAI-PMH 2.0 §3.6: the error codes the protocol defines, in the spec's spelling. */
export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

/**
 * Base error of the harvester: `code` is SCREAMING_SNAKE, or an OAI-PMH error code in the spec's spelling. The set
 * is open: an OaiProtocolError carries the code the partner sent, which may be a name the spec does not define, and
 * a record that cannot be read carries its quarantine code. HttpError and XmlError narrow it to a closed union.
 */
export class HarvestError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarvestError';
    this.code = code;
  }
}

/** An HTTP exchange failed: what was asked (url, attempt) and what came back (status). */
export class HttpError extends HarvestError {
  declare readonly code: HttpErrorCode;
  readonly url: string;
  readonly status: number | null;
  readonly attempt: number;
  constructor(
    code: HttpErrorCode,
    message: string,
    fields: { url: string; status: number | null; attempt: number },
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'HttpError';
    this.url = fields.url;
    this.status = fields.status;
    this.attempt = fields.attempt;
  }
}

/** A response could not be read as XML (not well-formed, DOCTYPE, too large). */
export class XmlError extends HarvestError {
  declare readonly code: XmlErrorCode;
  readonly line?: number;
  readonly column?: number;
  constructor(
    code: XmlErrorCode,
    message: string,
    where: { line?: number; column?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'XmlError';
    this.line = where.line;
    this.column = where.column;
  }
}

// OAI-PMH 2.0 §3.6.1: the codes are names such as badArgument; anything else a partner sends is not shown.
const oaiCodePattern = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/**
 * The repository answered with an OAI-PMH `<error code="...">` (OAI-PMH 2.0 §3.6). The code and message are the
 * partner's text: a code that is not a plain name becomes OAI_ERROR, and the message is cleaned and cut
 * (partner-text.ts), as it reaches the terminal and harvest-log.json.
 */
export class OaiProtocolError extends HarvestError {
  readonly url: string;
  readonly oaiCode: string;
  constructor(oaiCode: string, message: string, url: string) {
    const code = oaiCodePattern.test(oaiCode) ? oaiCode : 'OAI_ERROR';
    super(code, `${code}: ${cleanPartnerText(message) || '(no message)'} (${cleanPartnerText(url, 300)})`);
    this.name = 'OaiProtocolError';
    this.oaiCode = code;
    this.url = url;
  }
}
