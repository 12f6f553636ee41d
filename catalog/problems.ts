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
  return {
    file: error.file,
    line: error.line,
    column: error.column,
    pointer: error.pointer ?? '',
    code: error.code,
    message: error.message,
    fix: error.fix,
    severity: 'error',
  };
}

/**
 * The problem as one line. Keys and values come from untrusted files: a line break in one would start a second,
 * forged, problem line, and a space in the pointer would end it early. So the pointer is written in its URI
 * fragment form (RFC 6901 §6: percent-encoded UTF-8), and line breaks and invisible characters elsewhere as escapes.
 */
export function formatProblem(problem: Problem): string {
  const where = `${oneLine(problem.file)}:${problem.line ?? 1}:${problem.column ?? 1}`;
  const level = problem.severity === 'warning' ? ' (warning)' : '';
  const fix = problem.fix ? ` Fix: ${oneLine(problem.fix)}` : '';
  return `${where} #${pointerFragment(problem.pointer)} ${problem.code}${level} ${oneLine(problem.message)}${fix}`;
}

// RFC 3986 §3.5: fragment = *( pchar / "/" / "?" ); pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
const fragmentUnsafe = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu;

/** A JSON pointer as a URI fragment (without the `#`), RFC 6901 §6. */
export function pointerFragment(pointer: string): string {
  // A lone surrogate has no UTF-8 form: it is written as U+FFFD.
  return pointer.replace(fragmentUnsafe, (c) => encodeURIComponent(/^[\ud800-\udfff]$/u.test(c) ? '\uFFFD' : c));
}

// C0 and C1 controls, line and paragraph separators, zero-width and bidirectional marks, the byte-order mark.
const invisible =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;
const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text on one line, every invisible character shown as an escape (`\n`, `\u200b`). */
export function oneLine(text: string): string {
  return text.replace(invisible, (c) => escapes[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
