// Shared by the submission tests: run the CLI in-process with captured output, copy fixtures.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** The invalid submissions, one per rule, shared with test/catalog/submissions.test.ts. */
export const invalidCases = fileURLToPath(new URL('../catalog/fixtures/submissions/invalid/', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await main(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) } as never);
    return { code, stdout, stderr };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A private copy of a fixture folder (tests may change it). */
export async function copyFixture(relative: string, name?: string): Promise<string> {
  return copyFolder(join(fixtures, relative), name ?? relative.split('/').pop()!);
}

/** A private copy of an invalid case as a submission folder (without its expected.json), named after its rule. */
export async function copyInvalidCase(rule: string, name = rule): Promise<string> {
  return copyFolder(join(invalidCases, rule), name);
}

async function copyFolder(source: string, name: string): Promise<string> {
  const target = join(await mkdtemp(join(tmpdir(), 'submission-')), name);
  await cp(source, target, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
  return target;
}

/**
 * The start of the problem line an invalid case must produce, `file:line:column #pointer CODE`, from its
 * expected.json; a problem with no position is printed at 1:1 (catalog/problems.ts formatProblem).
 */
export async function expectedProblemLine(rule: string): Promise<string> {
  const [want] = JSON.parse(await readFile(join(invalidCases, rule, 'expected.json'), 'utf8')) as {
    file: string;
    line?: number;
    column?: number;
    pointer: string;
    code: string;
  }[];
  return `${want.file}:${want.line ?? 1}:${want.column ?? 1} #${want.pointer} ${want.code}`;
}
