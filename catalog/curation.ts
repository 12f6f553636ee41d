// Curation records (curation/<ACCESSION>.yaml, schemas/curation.schema.json) and the criteria they are judged by
// (curation/criteria.yaml): read with line numbers, checked like every other file of the catalogue, and turned into
// the "Reference dataset" label of each entry, with its history.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CurationRecord } from '../schemas/index.ts';
import { isValidOrcid } from './checks/orcid.ts';
import { SourceFileError } from './errors.ts';
import { joinPointer, sourceProblem, type Problem } from './problems.ts';
import { decodeSource, parseSource } from './source.ts';
import { locateFindings, schemaFindings, type Finding } from './validate.ts';

export const curationDir = 'curation';
export const criteriaFile = `${curationDir}/criteria.yaml`;

export interface Criterion {
  id: string;
  title: string;
  description: string;
  /** A reference dataset must meet it. */
  required: boolean;
}

/** The label of an entry now, and every event that led to it (oldest first). */
export interface CurationLabel {
  accession: string;
  /** True when the last event says `reference`. */
  reference: boolean;
  history: CurationRecord['history'];
}

export interface CurationResult {
  criteria: Criterion[];
  labels: Map<string, CurationLabel>;
  problems: Problem[];
}

const criterionId = /^[a-z][a-z0-9-]{0,62}$/;

function readDocument(root: string, file: string) {
  return parseSource(file, decodeSource(file, readFileSync(join(root, file))));
}

function readCriteria(root: string, problems: Problem[]): Criterion[] {
  let document;
  try {
    document = readDocument(root, criteriaFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if (error instanceof SourceFileError) {
      problems.push(sourceProblem(error));
      return [];
    }
    throw error;
  }
  const list = (document.data as { criteria?: unknown } | null)?.criteria;
  const findings: Finding[] = [];
  const out: Criterion[] = [];
  if (!Array.isArray(list))
    findings.push({
      pointer: '',
      code: 'CRITERIA_INVALID',
      message: 'the file must hold `criteria:`, a list of {id, title, description, required}',
      severity: 'error',
    });
  else
    list.forEach((item, i) => {
      const c = item as Partial<Criterion> | null;
      if (!c || typeof c.id !== 'string' || !criterionId.test(c.id) || typeof c.title !== 'string')
        findings.push({
          pointer: joinPointer('criteria', i),
          code: 'CRITERIA_INVALID',
          message: 'a criterion needs an `id` (lower case letters, digits and hyphens) and a `title`',
          severity: 'error',
        });
      else
        out.push({
          id: c.id,
          title: c.title,
          description: typeof c.description === 'string' ? c.description : '',
          required: c.required === true,
        });
    });
  problems.push(...locateFindings(document, findings));
  return out;
}

/** What the catalogue knows of each accession, for the checks that span files. */
export interface KnownRecord {
  status: string;
  version: number | null;
}

/**
 * Reads and checks every curation record. `known` holds the entries and tombstones of the catalogue (by
 * accession); `today` is YYYY-MM-DD. Only records without errors give a label.
 */
export function readCuration(root: string, known: ReadonlyMap<string, KnownRecord>, today: string): CurationResult {
  const problems: Problem[] = [];
  const criteria = readCriteria(root, problems);
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const labels = new Map<string, CurationLabel>();
  let names: string[];
  try {
    names = readdirSync(join(root, curationDir)).filter((n) => n.endsWith('.yaml') && n !== 'criteria.yaml');
  } catch {
    return { criteria, labels, problems };
  }
  for (const name of names.sort()) {
    const file = `${curationDir}/${name}`;
    let document;
    try {
      document = readDocument(root, file);
    } catch (error) {
      if (error instanceof SourceFileError) {
        problems.push(sourceProblem(error));
        continue;
      }
      throw error;
    }
    const findings = schemaFindings('curation', document.data);
    if (findings.length === 0)
      findings.push(...curationFindings(document.data as CurationRecord, name, { byId, known, today }));
    problems.push(...locateFindings(document, findings));
    if (findings.some((f) => f.severity === 'error')) continue;
    const record = document.data as CurationRecord;
    labels.set(record.accession, {
      accession: record.accession,
      reference: record.history.at(-1)!.label === 'reference',
      history: record.history,
    });
  }
  return { criteria, labels, problems };
}

function curationFindings(
  record: CurationRecord,
  name: string,
  context: { byId: Map<string, Criterion>; known: ReadonlyMap<string, KnownRecord>; today: string },
): Finding[] {
  const out: Finding[] = [];
  const error = (pointer: string, code: string, message: string, fix?: string) =>
    out.push({ pointer, code, message, fix, severity: 'error' });
  if (name !== `${record.accession}.yaml`)
    error(
      '/accession',
      'CURATION_FILE_NAME',
      `the file is named ${name} but is about ${record.accession}`,
      `rename it ${record.accession}.yaml`,
    );
  const entry = context.known.get(record.accession);
  if (!entry)
    error(
      '/accession',
      'CURATION_UNKNOWN_ENTRY',
      `no entry ${record.accession} in the catalogue`,
      'check the accession',
    );
  let previous = '';
  record.history.forEach((event, i) => {
    const at = (...tokens: (string | number)[]) => joinPointer('history', i, ...tokens);
    if (event.date > context.today)
      error(at('date'), 'CURATION_DATE_FUTURE', `the review date ${event.date} is after today (${context.today})`);
    if (event.date < previous)
      error(
        at('date'),
        'CURATION_HISTORY_ORDER',
        `${event.date} is before the event above it (${previous})`,
        'keep the history oldest first',
      );
    previous = event.date;
    if (entry?.version != null && event.version > entry.version)
      error(
        at('version'),
        'CURATION_VERSION',
        `the entry has no version ${event.version} (its latest is ${entry.version})`,
      );
    event.reviewers.forEach((reviewer, j) => {
      if (!isValidOrcid(reviewer.orcid))
        error(
          at('reviewers', j, 'orcid'),
          'ORCID_CHECKSUM',
          `the ORCID iD ${reviewer.orcid} fails its check digit`,
          'copy the iD from https://orcid.org',
        );
    });
    event.criteria.forEach((id, j) => {
      if (!context.byId.has(id))
        error(
          at('criteria', j),
          'CURATION_CRITERION_UNKNOWN',
          `'${id}' is not a criterion of ${criteriaFile}`,
          `use one of: ${[...context.byId.keys()].join(', ') || `(none; add them to ${criteriaFile})`}`,
        );
    });
    if (event.label === 'reference')
      for (const criterion of context.byId.values())
        if (criterion.required && !event.criteria.includes(criterion.id))
          error(
            at('criteria'),
            'CURATION_CRITERION_MISSING',
            `a reference dataset must meet '${criterion.id}' (${criterion.title})`,
          );
    if (event.label === 'revoked' && !event.note)
      error(at(), 'CURATION_NOTE_MISSING', 'a revoked label needs a `note` saying why', 'add `note:`');
  });
  return out;
}
