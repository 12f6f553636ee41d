// `catalogue check`: every record against the schema and the checks beyond it, then the invariants that span
// the whole catalogue (unique accessions, the ledger, references between entries, one record per storage prefix).
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  entriesDir,
  entryFolderNames,
  listRecords,
  ledgerFile,
  manifestFile,
  submissionsDir,
  harvestedDir,
  type RecordLocation,
  type RecordScope,
} from './layout.ts';
import { readLedger } from './ledger.ts';
import type { Problem } from './problems.ts';
import type { RecordSummary } from './records.ts';
import { inspectSlice, type RecordFacts, type SliceResult } from './inspect-slice.ts';
import { inSlices, threadsFor } from './slices.ts';
import { otherClaims, prefixProblems, type PrefixClaim } from './prefixes.ts';
import { parseSource } from './source.ts';
import { readCuration, type KnownRecord } from './curation.ts';

export interface CheckOptions {
  /** Today's date, YYYY-MM-DD (UTC); decides what is embargoed. */
  today: string;
  /**
   * Check only the records these paths (files or folders, relative to the working directory or absolute) belong
   * to, plus the catalogue-wide invariants: the pull-request check. Default: every record.
   */
  only?: readonly string[];
  /** Worker threads (default: one per core, up to 4; 1 for small catalogues, where starting threads costs more). */
  threads?: number;
}

export interface CheckResult {
  problems: Problem[];
  summaries: RecordSummary[];
  checked: number;
}

/**
 * The records the given paths belong to (files or folders); a path outside the catalogue is reported, not
 * ignored. A path naming a whole area (the catalogue, entries/, submissions/, harvested/) selects all of it.
 */
function scopeFromPaths(root: string, paths: readonly string[], problems: Problem[]): RecordScope | undefined {
  const scope = { entries: new Set<string>(), submissions: new Set<string>(), harvested: new Set<string>() };
  for (const raw of paths) {
    const rel = relative(root, isAbsolute(raw) ? raw : resolve(raw));
    if (rel.startsWith('..') || isAbsolute(rel)) {
      problems.push({
        file: raw,
        pointer: '',
        code: 'OUTSIDE_CATALOGUE',
        message: 'this path is not inside the catalogue being checked',
        fix: 'pass paths under the --catalog folder',
        severity: 'error',
      });
      continue;
    }
    const [area, name, file] = rel.split(sep);
    if (!area || (!name && [entriesDir, submissionsDir, harvestedDir].includes(area))) return undefined;
    if (area === entriesDir) scope.entries.add(name);
    else if (area === submissionsDir) scope.submissions.add(name);
    else if (area === harvestedDir) scope.harvested.add(file ? `${name}/${file}` : name);
    // Other files (accessions.tsv, the harvest log...) touch no record; the invariants below still run.
  }
  return scope;
}

export async function checkCatalogue(root: string, options: CheckOptions): Promise<CheckResult> {
  const problems: Problem[] = [];
  const scope = options.only ? scopeFromPaths(root, options.only, problems) : undefined;
  const { records, issues } = await listRecords(root, scope);
  for (const issue of issues)
    problems.push({
      file: issue.path,
      pointer: '',
      code: issue.code,
      message: issue.message,
      fix: issue.fix,
      severity: 'error',
    });

  const ledger = await readLedger(root);
  for (const p of ledger.problems)
    problems.push({
      file: ledgerFile,
      line: p.line,
      column: 1,
      pointer: '',
      code: p.code,
      message: p.message,
      fix: p.fix,
      severity: 'error',
    });
  const minted = new Set(ledger.lines.map((l) => l.accession));

  const toInspect = records;
  const slices = await inspectInParallel(root, options.today, toInspect, options.threads);
  const facts = slices.flatMap((slice) => slice.facts);
  for (const slice of slices) problems.push(...slice.problems);

  // Catalogue-wide invariants. Folder names are accessions (checked per record), so the listing alone tells
  // which accessions exist, without reading every entry: that keeps the pull-request check fast.
  const existing = new Set(entryFolderNames(root));
  for (const accession of existing) {
    if (!minted.has(accession)) {
      problems.push({
        file: `${entriesDir}/${accession}`,
        pointer: '/accession',
        code: 'ACCESSION_NOT_MINTED',
        message: `${accession} was never minted by this catalogue`,
        fix: `accessions are assigned on merge: move the folder to ${submissionsDir}/<name>/ and remove the accession`,
        severity: 'error',
      });
    }
  }
  const harvestedKeys = new Map<string, string>();
  for (const fact of facts) {
    const file = relative(root, fact.file);
    if (fact.replacedBy && !existing.has(fact.replacedBy)) {
      problems.push({
        file,
        pointer: '/withdrawn/replacedBy',
        code: 'REFERENCE_UNRESOLVED',
        message: `the replacement ${fact.replacedBy} is not in the catalogue`,
        fix: 'name an existing accession or remove replacedBy',
        severity: 'error',
      });
    }
    if (fact.harvested) {
      const { partner, identifier, folderPartner } = fact.harvested;
      const key = `${partner} ${identifier}`;
      const other = harvestedKeys.get(key);
      if (other)
        problems.push({
          file,
          pointer: '/origin/identifier',
          code: 'DUPLICATE_RECORD',
          message: `${identifier} from ${partner} is also stored as ${other}`,
          fix: 'keep one file per partner record',
          severity: 'error',
        });
      else harvestedKeys.set(key, file);
      if (partner !== folderPartner) {
        problems.push({
          file,
          pointer: '/origin/partner',
          code: 'HARVESTED_PARTNER_MISMATCH',
          message: `the record is from '${partner}' but stored under ${harvestedDir}/${folderPartner}/`,
          fix: `move it to ${harvestedDir}/${partner}/`,
          severity: 'error',
        });
      }
    }
  }

  problems.push(...prefixOwnership(root, facts, existing, scope));
  problems.push(...curationProblems(root, facts, existing, options.today));

  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const summaries = facts
    .filter((f) => f.kind !== 'submission')
    .map((f) => f.summary)
    .sort((a, b) => (a.accession < b.accession ? -1 : 1));
  return { problems, summaries, checked: toInspect.length };
}

/**
 * A prefix belongs to exactly one record (catalog/prefixes.ts). The records inspected bring their prefixes; a
 * scoped check also reads the prefixes of all the others, since a new submission may clash with any of them.
 */
function prefixOwnership(
  root: string,
  facts: readonly RecordFacts[],
  entryNames: ReadonlySet<string>,
  scope: RecordScope | undefined,
): Problem[] {
  const claims: PrefixClaim[] = [];
  const partners = new Set<string>();
  for (const fact of facts) {
    if (fact.prefix === undefined) continue;
    const file = relative(root, fact.file).split(sep).join('/');
    if (fact.kind === 'harvested') {
      partners.add(file.split('/')[1]);
      claims.push({
        prefix: fact.prefix,
        record: file,
        kind: 'harvested',
        file,
        pointer: '/manifest/location/prefix',
        inScope: true,
      });
    } else {
      const record = file.slice(0, file.lastIndexOf('/'));
      claims.push({
        prefix: fact.prefix,
        record,
        kind: fact.kind,
        file: `${record}/${manifestFile}`,
        pointer: '/location/prefix',
        inScope: true,
      });
    }
  }
  // Nothing inspected claims a prefix (only the invariants are checked): the other records need not be read.
  if (claims.length === 0) return [];
  if (scope) claims.push(...otherClaims(root, [...entryNames], scope, partners));
  return prefixProblems(claims, (claim) => {
    try {
      return parseSource(claim.file, readFileSync(join(root, claim.file), 'utf8')).locate(claim.pointer);
    } catch {
      return {};
    }
  });
}

async function inspectInParallel(
  root: string,
  today: string,
  locations: RecordLocation[],
  threads?: number,
): Promise<SliceResult[]> {
  const count = threadsFor(locations.length, threads);
  if (count <= 1) return [inspectSlice(root, today, locations)];
  return inSlices<RecordLocation, SliceResult>(new URL('./check-worker.ts', import.meta.url), locations, count, {
    root,
    today,
  });
}

/** The curation records (curation/*.yaml) against the schema, the criteria and the entries they name. */
function curationProblems(root: string, facts: RecordFacts[], existing: Set<string>, today: string): Problem[] {
  const known = new Map<string, KnownRecord>([...existing].map((a) => [a, { status: 'unknown', version: null }]));
  for (const fact of facts) known.set(fact.summary.accession, fact.summary);
  return readCuration(root, known, today).problems;
}
