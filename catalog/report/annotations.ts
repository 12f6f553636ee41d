// Problems as GitHub Actions workflow commands, so that each one shows as an annotation on its exact line of the
// pull request's diff. Format and escaping follow the Actions toolkit (actions/toolkit, packages/core/src/command.ts)
// and the docs, "Workflow commands for GitHub Actions" (docs.github.com/actions/reference/workflow-commands):
//   ::error file={name},line={line},col={col},title={title}::{message}
import type { Problem } from '../problems.ts';

/**
 * Escapes the message part of a workflow command. `%` first, so that the escapes themselves are not escaped;
 * CR and LF because a command ends at the end of its line (toolkit `escapeData`).
 */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Escapes a property value: as the message, plus ':' and ',', which separate the properties
 * (toolkit `escapeProperty`).
 */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationOptions {
  /**
   * Turns a problem's file (relative to the catalogue) into a path relative to the repository root, which is what
   * GitHub matches against the pull request's files. Default: the file as it is.
   */
  filePath?: (problem: Problem) => string;
}

/** One workflow command for a problem: `::error` or `::warning`, always on a single line. */
export function renderAnnotation(problem: Problem, options: AnnotationOptions = {}): string {
  const file = options.filePath ? options.filePath(problem) : problem.file;
  const properties: [string, string][] = [
    ['file', file],
    ['line', String(problem.line ?? 1)],
    ['col', String(problem.column ?? 1)],
    ['title', `${problem.code}${problem.pointer ? ` at #${problem.pointer}` : ''}`],
  ];
  // The annotation may span several lines once GitHub unescapes %0A: the fix goes on its own line.
  const message = problem.fix ? `${problem.message}\nFix: ${problem.fix}` : problem.message;
  const command = problem.severity === 'warning' ? 'warning' : 'error';
  const fields = properties.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',');
  return `::${command} ${fields}::${escapeData(message)}`;
}

/**
 * GitHub shows at most 10 error and 10 warning annotations per step (the rest stay in the log only); a notice
 * then says how many are not shown and where to find them.
 */
export const annotationsShownPerKind = 10;

/** Every problem as a workflow command, one per line, ending with a newline (or '' when there is none). */
export function renderAnnotations(problems: readonly Problem[], options: AnnotationOptions = {}): string {
  const lines = problems.map((p) => renderAnnotation(p, options) + '\n');
  const errors = problems.filter((p) => p.severity !== 'warning').length;
  const hidden =
    Math.max(0, errors - annotationsShownPerKind) + Math.max(0, problems.length - errors - annotationsShownPerKind);
  if (hidden > 0)
    lines.push(
      `::notice title=${escapeProperty('More problems than annotations')}::` +
        escapeData(
          `${hidden} more problem(s) than GitHub shows as annotations: ` +
            `see the job summary or the pull-request comment for all ${problems.length}.`,
        ) +
        '\n',
    );
  return lines.join('');
}
