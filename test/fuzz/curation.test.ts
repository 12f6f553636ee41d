// Property-based tests of the reader of curation records (curation/<ACCESSION>.yaml and curation/criteria.yaml),
// which come in pull requests: whatever the bytes, readCuration never throws, gives no label for a broken record,
// and says what is wrong as problem lines naming the file.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { stringify, parse } from 'yaml';
import { readCuration } from '../../catalog/curation.ts';
import { formatProblem } from '../../catalog/problems.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 100 };
const archive = new URL('../../archive/curation/', import.meta.url).pathname;
const validRecord = readFileSync(join(archive, 'BIC0000013.yaml'), 'utf8');
const validCriteria = readFileSync(join(archive, 'criteria.yaml'), 'utf8');
const known = new Map([['BIC0000013', { status: 'live', version: 1 }]]);

/** The valid record with one value replaced by anything JSON can hold, at a random path. */
const mutated = fc
  .tuple(
    fc.array(fc.oneof(fc.constantFrom('history', 'reviewers', 'criteria', 'accession', 0, 'orcid', 'date')), {
      maxLength: 4,
    }),
    fc.jsonValue(),
  )
  .map(([path, value]) => {
    const data = parse(validRecord) as Record<string, unknown>;
    let node: Record<string | number, unknown> = data;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) break;
      node = next as Record<string | number, unknown>;
    }
    node[path.at(-1) ?? 'accession'] = value;
    return stringify(data);
  });

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curation-fuzz-'));
  await mkdir(join(root, 'curation'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('curation records', () => {
  it.prop([fc.oneof(mutated, fc.string({ unit: 'binary', maxLength: 2000 })), fc.boolean()], runs)(
    'any record or criteria file gives labels or problem lines, never an exception',
    async (text, asCriteria) => {
      await writeFile(join(root, 'curation', 'BIC0000013.yaml'), asCriteria ? validRecord : text);
      await writeFile(join(root, 'curation', 'criteria.yaml'), asCriteria ? text : validCriteria);
      const { labels, problems } = readCuration(root, known, '2026-12-07');
      for (const problem of problems) {
        expect(problem.file).toMatch(/^curation\/(BIC0000013|criteria)\.yaml$/);
        expect(formatProblem(problem)).not.toMatch(/\n/);
      }
      const recordErrors = problems.filter((p) => p.file.endsWith('BIC0000013.yaml') && p.severity === 'error');
      if (recordErrors.length > 0) expect(labels.size).toBe(0);
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
  );
});
