// One problem = one line: `file:line:column #/json/pointer CODE message`, and the fix where there is one.
import type { SourceFileError } from './errors.ts';

export type Severity = 'error' | 'warning';

/** A problem found in a file of the catalogue. Plain readonly fields so that it serialises as JSON. */
export interface Problem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer (RFC 6901) of the offending value; '' for the whole document. */
  readonly pointer: string;
  /** SCREAMING_SNAKE code, stable across releases (see README "What CI will say"). */
  readonly code: string;
  readonly message: string;
  /** How to fix it, when there is a fix. */
  readonly fix?: string;
  readonly severity: Severity;
}

/** The problem of a file that could not be read or parsed. */
export function sourceProblem(error: SourceFileError): Problem {
  return { file: error.file, line: error.line, column: error.column, pointer: error.pointer ?? '', code: error.code, message: error.message, fix: error.fix, severity: 'error' };
}

export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line ?? 1}:${problem.column ?? 1}`;
  const level = problem.severity === 'warning' ? ' (warning)' : '';
  const fix = problem.fix ? ` Fix: ${problem.fix}` : '';
  return `${where} #${problem.pointer} ${problem.code}${level} ${problem.message}${fix}`;
}

export function countErrors(problems: readonly Problem[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}

/** Escapes one token of a JSON pointer (RFC 6901 §3). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function joinPointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => '/' + pointerToken(t)).join('');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}
