// Every invalid fixture is named after the rule it breaks and says, in expected.json, the problems it must
// produce (code, JSON pointer, line, and the file, column and fix where given). The submission tests
// (test/submission/) read the same cases.
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { formatProblem, type Problem } from '../../catalog/problems.ts';

const fixtures = new URL('./fixtures/submissions/', import.meta.url).pathname;
const today = '2026-01-01';

async function catalogueWith(caseFolder: string, name: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'catalogue-'));
  await cp(caseFolder, join(root, 'submissions', name), {
    recursive: true,
    filter: (src) => !src.endsWith('expected.json'),
  });
  return root;
}

interface Expected {
  /** Relative to the submission folder. */
  file?: string;
  code: string;
  pointer: string;
  line?: number;
  column?: number;
  fix?: string;
}

describe('valid submissions', async () => {
  for (const name of await readdir(join(fixtures, 'valid'))) {
    it(`${name} passes with no problem at all`, async () => {
      const root = await catalogueWith(join(fixtures, 'valid', name), name);
      const result = await checkCatalogue(root, { today });
      expect(result.problems.map(formatProblem)).toEqual([]);
      expect(result.checked).toBe(1);
    });
  }
});

describe('invalid submissions', async () => {
  for (const name of (await readdir(join(fixtures, 'invalid'))).sort()) {
    it(`${name} is rejected with the problem it names`, async () => {
      const folder = join(fixtures, 'invalid', name);
      const expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Expected[];
      const root = await catalogueWith(folder, name);
      const { problems } = await checkCatalogue(root, { today });
      const errors = problems.filter((p) => p.severity === 'error');
      expect(errors.length, problems.map(formatProblem).join('\n')).toBeGreaterThan(0);
      for (const want of expected) {
        const at = (p: Problem) =>
          (want.line === undefined || p.line === want.line) && (want.column === undefined || p.column === want.column);
        const match = errors.find((p: Problem) => p.code === want.code && p.pointer === want.pointer && at(p));
        expect(
          match,
          `expected ${JSON.stringify(want)} among:\n${problems.map(formatProblem).join('\n')}`,
        ).toBeDefined();
        if (want.fix) expect(match!.fix).toBe(want.fix);
        if (want.file) expect(match!.file).toBe(`submissions/${name}/${want.file}`);
        // Every problem names its file inside the submission folder.
        expect(match!.file.startsWith(`submissions/${name}/`)).toBe(true);
        if (existsSync(join(folder, 'manifest.json')) && want.code.startsWith('PATH_'))
          expect(match!.file).toBe(`submissions/${name}/manifest.json`);
      }
      // Nothing else is an error: one mistake is reported once, not as a cascade.
      const unexpected = errors.filter((p) => !expected.some((w) => w.code === p.code && w.pointer === p.pointer));
      expect(unexpected.map(formatProblem)).toEqual([]);
    });
  }
});
