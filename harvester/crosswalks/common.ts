// What every crosswalk shares: the stable record id, licences to SPDX, dates, and the assembled record.
import { hash } from 'node:crypto';
import type { HarvestedRecord } from '../../schemas/index.ts';
import { checkLicence } from '../../catalog/checks/spdx.ts';
import { isCalendarDate } from '../../catalog/dates.ts';
import { isPublishableUrl } from '../../catalog/publishable-url.ts';

export type Study = HarvestedRecord['study'];

/** What a crosswalk returns: the study and, for the full format, the REMBI sections and versioning. */
export type Crosswalked = Omit<HarvestedRecord, 'schemaVersion' | 'id' | 'origin' | 'deleted'> & {
  url?: string;
  deleted?: boolean;
};

export interface CrosswalkContext {
  partner: string;
  identifier: string;
  /** SPDX licence assumed when a record states none (partners.yaml defaultLicense). */
  defaultLicense?: string;
}

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 §6 base32 (lower case, no padding): URL-safe and case-insensitive file systems cannot collide. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32Alphabet[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * The harvested record's id: `<partner>.<16 base32 characters of sha256(OAI identifier)>` (80 bits). It depends only
 * on partner and identifier, so it never changes between harvests, and it is safe in URLs and file names whatever
 * the identifier contains.
 */
export function harvestedId(partner: string, identifier: string): string {
  // crypto.hash: one call for a one-shot digest (a Hash object per record cost half as much again). 16 base32
  // characters are 80 bits: the first 10 bytes.
  return `${partner}.${base32(hash('sha256', identifier, 'buffer').subarray(0, 10))}`;
}

const ccLicence = /creativecommons\.org\/licenses\/(by(?:-nc)?(?:-nd|-sa)?)\/(\d\.\d)/i;

// Partners repeat a handful of rights statements on every record: each is mapped once (spdx-expression-parse is
// most of the cost). Bounded, so that a partner writing free text in every record cannot grow it without end.
const spdxOfStatement = new Map<string, string | null>();
const spdxCacheLimit = 1000;

/** Maps a rights statement, URI or identifier to an SPDX id; undefined when it is not a recognisable licence. */
export function toSpdx(...candidates: (string | undefined)[]): string | undefined {
  for (const raw of candidates) {
    const value = raw?.trim();
    if (!value) continue;
    let spdx = spdxOfStatement.get(value);
    if (spdx === undefined) {
      spdx = statementToSpdx(value) ?? null;
      if (spdxOfStatement.size >= spdxCacheLimit) spdxOfStatement.clear();
      spdxOfStatement.set(value, spdx);
    }
    if (spdx !== null) return spdx;
  }
  return undefined;
}

/** One rights statement (trimmed, not empty) to an SPDX id, or undefined. */
function statementToSpdx(value: string): string | undefined {
  const cc = ccLicence.exec(value);
  if (cc) return `CC-${cc[1].toUpperCase()}-${cc[2]}`;
  if (/creativecommons\.org\/publicdomain\/zero\/1\.0/i.test(value)) return 'CC0-1.0';
  if (/creativecommons\.org\/publicdomain\/mark/i.test(value)) return undefined;
  const spdxUrl = /spdx\.org\/licenses\/([A-Za-z0-9.+-]+?)(?:\.html)?$/.exec(value)?.[1];
  const osi = /opensource\.org\/licenses?\/([A-Za-z0-9.+-]+)/i.exec(value)?.[1];
  for (const id of [spdxUrl, osi, value]) {
    if (!id || /\s/.test(id)) continue;
    const canonical = canonicalSpdx(id);
    if (canonical) return canonical;
  }
  return undefined;
}

let spdxIds: Map<string, string> | undefined;
function canonicalSpdx(id: string): string | undefined {
  if (checkLicence(id).ok && /^[A-Za-z0-9.+-]+$/.test(id)) {
    // checkLicence accepts the exact spelling; look up case-insensitively too (DataCite writes "cc-by-4.0").
    return id;
  }
  if (!spdxIds) {
    spdxIds = new Map();
    for (const candidate of [
      'CC-BY-4.0',
      'CC-BY-SA-4.0',
      'CC-BY-NC-4.0',
      'CC-BY-NC-SA-4.0',
      'CC-BY-ND-4.0',
      'CC-BY-NC-ND-4.0',
      'CC-BY-3.0',
      'CC-BY-SA-3.0',
      'CC-BY-NC-3.0',
      'CC-BY-NC-SA-3.0',
      'CC-BY-2.0',
      'CC0-1.0',
      'MIT',
      'Apache-2.0',
      'BSD-3-Clause',
      'BSD-2-Clause',
      'GPL-3.0-only',
      'GPL-2.0-only',
      'ODbL-1.0',
      'PDDL-1.0',
      'ODC-By-1.0',
    ]) {
      spdxIds.set(candidate.toLowerCase(), candidate);
    }
  }
  return spdxIds.get(id.toLowerCase());
}

/** A full calendar date (YYYY-MM-DD) from a datestamp or W3CDTF date; undefined for years or months alone. */
export function calendarDate(value: string | undefined): string | undefined {
  const day = /^(\d{4}-\d{2}-\d{2})(?:$|T)/.exec(value?.trim() ?? '')?.[1];
  return day !== undefined && isCalendarDate(day) ? day : undefined;
}

export function unique(values: Iterable<string>): string[] {
  // A loop rather than spread/map/filter/Set-spread: it runs for every field of every harvested record.
  const out: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed && !seen.has(trimmed)) {
      seen.add(trimmed);
      out.push(trimmed);
    }
  }
  return out;
}

/**
 * An http(s) URL that can be published (catalog/publishable-url.ts: no other scheme, no white space or control
 * characters, no credentials) in the WHATWG URL parser's serialisation, or undefined.
 */
export function httpUrl(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!isPublishableUrl(trimmed)) return undefined;
  const href = new URL(trimmed).href;
  return isPublishableUrl(href) ? href : undefined;
}

// DOI Handbook §2.2: prefix "10." and a registrant code, "/", then a suffix of printable characters.
const doiPattern = /^10\.\d{4,9}\/\S+$/;

/** The DOI (`10.x/y`) of a DOI, a doi: URI or a doi.org URL, or undefined for text that is no DOI. */
export function doiOf(value: string | undefined): string | undefined {
  const trimmed = value?.trim().replace(/^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)/i, '');
  return trimmed && doiPattern.test(trimmed) ? trimmed : undefined;
}

/**
 * The https://doi.org/ URL of a DOI, or undefined for text that is no DOI. `?` and `#` are percent-encoded (they
 * would end the path); the URL parser encodes the rest that a path cannot hold.
 */
export function doiUrl(doi: string | undefined): string | undefined {
  const name = doiOf(doi);
  return name ? httpUrl(`https://doi.org/${name.replace(/[?#]/g, encodeURIComponent)}`) : undefined;
}

/** Drops undefined values and empty arrays so that records stay minimal and schema-valid. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) out[key] = v;
  }
  return out as T;
}
