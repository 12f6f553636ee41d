// Prefix ownership: a storage prefix belongs to exactly one record. Every mirror holds every live entry's files
// under the same keys (replication copies keys, storage/replicate.ts), and a tombstone with `deleteFiles: true`
// lets storage delete everything under its prefix, so two records sharing a prefix, or one prefix inside another
// (`a/` and `a/b/`), would let one record overwrite, list or delete the other's files. The mirror named in the
// manifest does not separate them for the same reason.
//
// Equality: prefixes end with '/' (manifest schema), so `a/` never matches `ab/`; letters are compared without
// case, since a folder mirror on a case-insensitive filesystem (macOS, Windows) stores `A/` and `a/` as one
// folder. Harvested copies sit under `partners/<partner>/<the partner's prefix>` (storage/federation.ts), so own
// records may not use `partners/` at all.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { entriesDir, harvestedDir, manifestFile, submissionNamePattern, submissionsDir } from './layout.ts';
import type { Problem } from './problems.ts';
import { maxSourceBytes, parseSource } from './source.ts';

export const partnersPrefix = 'partners/';

/** One record's claim on a prefix. */
export interface PrefixClaim {
  /** The prefix as written (harvested: as stored in our mirrors, `partners/<partner>/<prefix>`). */
  readonly prefix: string;
  /** The record, as people name it: `entries/BIC0000013`, `submissions/<name>`, `harvested/<partner>/<file>`. */
  readonly record: string;
  readonly kind: 'entry' | 'tombstone' | 'submission' | 'harvested';
  /** The file that holds the prefix, relative to the catalogue, and the JSON pointer of the prefix in it. */
  readonly file: string;
  readonly pointer: string;
  /** Whether this check inspects the record (and so reports its problems). */
  readonly inScope: boolean;
}

/** The form two prefixes are compared in: lower case, ending with '/'. */
export function prefixKey(prefix: string): string {
  const lower = prefix.toLowerCase();
  return lower.endsWith('/') ? lower : lower + '/';
}

/** The prefix a harvested record's files take in our mirrors. */
export function harvestedPrefix(partner: string, prefix: string): string {
  return `${partnersPrefix}${partner}/${prefix}`;
}

// The manifest's location comes first in every manifest the catalogue writes (storage/manifest.ts), so 1 KiB
// of the head nearly always holds it; the whole file is parsed otherwise. One buffer serves every read.
const headBytes = 1024;
const head = Buffer.alloc(headBytes);
const locationInHead = /"location"\s*:\s*(\{[^{}]*\})/;

/** The prefix in a manifest.json, read cheaply; undefined when the file is missing or does not say. */
export function readManifestPrefix(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = head.toString('utf8', 0, readSync(fd, head, 0, headBytes, 0));
  } finally {
    closeSync(fd);
  }
  const match = locationInHead.exec(text);
  try {
    const location = match
      ? (JSON.parse(match[1]) as { prefix?: unknown })
      : (JSON.parse(readFileSync(path, 'utf8')) as { location?: { prefix?: unknown } }).location;
    return typeof location?.prefix === 'string' ? location.prefix : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claims of the records a scoped check does not inspect: every other entry, tombstone and submission (their
 * manifests' heads), and, for the partners in `partners`, their other harvested records. Records already on the
 * main branch passed this check when they were merged, so reading their prefix cheaply is enough.
 */
export function otherClaims(
  root: string,
  entryNames: readonly string[],
  skip: { entries: ReadonlySet<string>; submissions: ReadonlySet<string>; harvested: ReadonlySet<string> },
  partners: ReadonlySet<string>,
): PrefixClaim[] {
  const claims: PrefixClaim[] = [];
  for (const name of entryNames) {
    if (skip.entries.has(name)) continue;
    const prefix = readManifestPrefix(join(root, entriesDir, name, manifestFile));
    if (prefix !== undefined)
      claims.push({
        prefix,
        record: `${entriesDir}/${name}`,
        kind: 'entry',
        file: `${entriesDir}/${name}/${manifestFile}`,
        pointer: '/location/prefix',
        inScope: false,
      });
  }
  for (const name of listNames(join(root, submissionsDir))) {
    if (skip.submissions.has(name) || !submissionNamePattern.test(name)) continue;
    const prefix = readManifestPrefix(join(root, submissionsDir, name, manifestFile));
    if (prefix !== undefined)
      claims.push({
        prefix,
        record: `${submissionsDir}/${name}`,
        kind: 'submission',
        file: `${submissionsDir}/${name}/${manifestFile}`,
        pointer: '/location/prefix',
        inScope: false,
      });
  }
  for (const partner of partners) {
    for (const name of listNames(join(root, harvestedDir, partner))) {
      if (!/\.(json|yaml)$/.test(name) || skip.harvested.has(partner) || skip.harvested.has(`${partner}/${name}`))
        continue;
      const file = `${harvestedDir}/${partner}/${name}`;
      const prefix = harvestedManifestPrefix(join(root, file), file);
      if (prefix !== undefined)
        claims.push({
          prefix: harvestedPrefix(partner, prefix),
          record: file,
          kind: 'harvested',
          file,
          pointer: '/manifest/location/prefix',
          inScope: false,
        });
    }
  }
  return claims;
}

function listNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function harvestedManifestPrefix(path: string, file: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    if (text.length > maxSourceBytes) return undefined;
    const data = parseSource(file, text).data as { manifest?: { location?: { prefix?: unknown } } } | null;
    const prefix = data?.manifest?.location?.prefix;
    return typeof prefix === 'string' ? prefix : undefined;
  } catch {
    return undefined;
  }
}

const describeKind = (claim: PrefixClaim) =>
  claim.kind === 'harvested'
    ? `the harvested record ${claim.record}`
    : claim.kind === 'submission'
      ? `the submission ${claim.record}`
      : `${claim.record}`;

function fixFor(claim: PrefixClaim): string {
  if (claim.kind === 'submission')
    return (
      "give the submission a prefix of its own that neither contains nor sits inside another record's, " +
      `e.g. ${claim.record}/, and upload its files there`
    );
  if (claim.kind === 'harvested')
    return (
      'keep one record per partner prefix: remove the duplicate harvested file, ' +
      'or ask the partner to fix its manifest'
    );
  return 'a released entry keeps its prefix: give the other record a prefix of its own';
}

/**
 * PREFIX_TAKEN: two records share a prefix, or one sits inside another's;
 * PREFIX_RESERVED: an own record uses partners/.
 */
export type PrefixProblemCode = 'PREFIX_TAKEN' | 'PREFIX_RESERVED';
export type PrefixProblem = Problem & { readonly code: PrefixProblemCode };

/**
 * One problem per record in scope whose prefix equals, contains or sits inside another record's, naming the other
 * record; and one per own record in scope that uses `partners/`. `locate` gives the line and column of a pointer.
 */
export function prefixProblems(
  claims: readonly PrefixClaim[],
  locate: (claim: PrefixClaim) => { line?: number; column?: number },
): PrefixProblem[] {
  const problems: PrefixProblem[] = [];
  const reported = new Set<PrefixClaim>();
  const report = (claim: PrefixClaim, code: PrefixProblemCode, message: string, fix: string) => {
    if (!claim.inScope || reported.has(claim)) return;
    reported.add(claim);
    problems.push({
      file: claim.file,
      ...locate(claim),
      pointer: claim.pointer,
      code,
      message,
      fix,
      severity: 'error',
    });
  };
  for (const claim of claims) {
    if (claim.kind !== 'harvested' && prefixKey(claim.prefix).startsWith(partnersPrefix)) {
      report(
        claim,
        'PREFIX_RESERVED',
        `the prefix '${claim.prefix}' is under ${partnersPrefix}, where the catalogue keeps copies of partners' files`,
        fixFor(claim),
      );
    }
  }
  // Sorted by key, a prefix comes right before everything inside it: a stack of the prefixes still open finds,
  // for each claim, the nearest one that contains it (or equals it), in one pass.
  const sorted = claims
    .map((claim) => ({ claim, key: prefixKey(claim.prefix) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const open: typeof sorted = [];
  for (const item of sorted) {
    while (open.length > 0 && !item.key.startsWith(open[open.length - 1].key)) open.pop();
    const outer = open[open.length - 1];
    if (outer) {
      const same = outer.key === item.key;
      const casing = same && outer.claim.prefix !== item.claim.prefix ? ' (letters are compared without case)' : '';
      report(
        item.claim,
        'PREFIX_TAKEN',
        same
          ? `the prefix '${item.claim.prefix}' is also the prefix of ${describeKind(outer.claim)}${casing}; ` +
              'a prefix belongs to exactly one record'
          : `the prefix '${item.claim.prefix}' is inside '${outer.claim.prefix}', ` +
              `the prefix of ${describeKind(outer.claim)}; a prefix belongs to exactly one record`,
        fixFor(item.claim),
      );
      report(
        outer.claim,
        'PREFIX_TAKEN',
        same
          ? `the prefix '${outer.claim.prefix}' is also the prefix of ${describeKind(item.claim)}${casing}; ` +
              'a prefix belongs to exactly one record'
          : `the prefix '${outer.claim.prefix}' contains '${item.claim.prefix}', ` +
              `the prefix of ${describeKind(item.claim)}; a prefix belongs to exactly one record`,
        fixFor(outer.claim),
      );
    }
    open.push(item);
  }
  return problems;
}
