// The check's result as data (schemas/check-report.schema.json): what the unprivileged pull-request check hands
// to the privileged comment workflow. The comment is rendered from it by a fixed template
// (renderComment in markdown.ts), so the pull request decides which problems are listed but never the
// comment's text around them (GitHub Security Lab, "Keeping your GitHub Actions and workflows secure Part 1:
// Preventing pwn requests": treat the artifact of a workflow_run as untrusted input).
import { validatorFor, type CheckReport, type ReportedProblem } from '../../schemas/index.ts';
import { CatalogError } from '../errors.ts';
import type { Problem } from '../problems.ts';
import type { ReportCounts } from './markdown.ts';

/** The artifact's name in the check's upload and the comment's download. */
export const checkReportFile = 'problems.json';

/** Largest report read (bytes). 500 problems at the schema's longest strings, escaped as JSON, stay below it. */
export const maxCheckReportBytes = 2 * 1024 * 1024;

/** The bounds of schemas/check-report.schema.json, which toCheckReport applies so that its output always validates. */
export const checkReportLimits = { problems: 500, file: 300, pointer: 300, message: 1000, fix: 500 } as const;

export type { CheckReport, ReportedProblem };

/** A report that is not what `catalogue report` writes: the comment is not posted. */
export class CheckReportError extends CatalogError {
  readonly file: string;
  readonly pointer: string;
  constructor(file: string, pointer: string, message: string, options?: { cause?: unknown }) {
    super('CHECK_REPORT_INVALID', message, options);
    this.name = 'CheckReportError';
    this.file = file;
    this.pointer = pointer;
  }
}

export interface ToCheckReportOptions {
  /** Turns a problem's file into the path shown (default: as it is). */
  filePath?: (problem: Problem) => string;
}

/**
 * The check's result as a report that validates: the first 500 problems (the counts keep the totals) and every
 * string cut to the schema's bound, with '…' marking a cut.
 */
export function toCheckReport(
  problems: readonly Problem[],
  counts: ReportCounts,
  options: ToCheckReportOptions = {},
): CheckReport {
  const limits = checkReportLimits;
  return {
    schemaVersion: 1,
    checked: counts.checked,
    errors: counts.errors,
    warnings: counts.warnings,
    problems: problems.slice(0, limits.problems).map((p) => {
      const reported: ReportedProblem = {
        file: cut(options.filePath ? options.filePath(p) : p.file, limits.file) || '(unknown file)',
        pointer: cut(p.pointer, limits.pointer),
        code: /^[A-Z][A-Z0-9_]{1,63}$/.test(p.code) ? p.code : 'UNKNOWN_CODE',
        message: cut(p.message, limits.message) || '(no message)',
        severity: p.severity,
      };
      if (p.line !== undefined && p.line >= 1) reported.line = Math.floor(p.line);
      if (p.column !== undefined && p.column >= 1) reported.column = Math.floor(p.column);
      if (p.fix) reported.fix = cut(p.fix, limits.fix);
      return reported;
    }),
  };
}

/**
 * Reads a report written by a workflow the pull request may have changed: at most maxCheckReportBytes, JSON,
 * valid against schemas/check-report.schema.json, and counts that agree with the problems listed. Throws a
 * CheckReportError whose message is one problem line (`file:1:1 #/pointer CHECK_REPORT_INVALID ... Fix: ...`).
 * @param file the name shown in the message
 */
export function parseCheckReport(text: string, file = checkReportFile): CheckReport {
  const fail = (pointer: string, message: string, cause?: unknown): never => {
    throw new CheckReportError(
      file,
      pointer,
      `${file}:1:1 #${pointer} CHECK_REPORT_INVALID ${message} ` +
        `Fix: let the check write it (\`catalogue report --problems ${checkReportFile}\` from the base branch); ` +
        'nothing was posted',
      { cause },
    );
  };
  if (Buffer.byteLength(text, 'utf8') > maxCheckReportBytes) fail('', `is larger than ${maxCheckReportBytes} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Not JSON.parse's message: it quotes the input, which is not to be echoed into a privileged job's log.
    fail('', 'is not JSON', error);
  }
  const validate = validatorFor('check-report');
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    // ajv's messages quote schema values only (patterns, limits), never the input.
    fail(first?.instancePath ?? '', `${first?.message ?? 'does not match the schema'}${more}`);
  }
  const report = data as CheckReport;
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  if (errors > report.errors) fail('/errors', `counts ${report.errors} errors but lists ${errors}`);
  if (report.problems.length - errors > report.warnings)
    fail('/warnings', `counts ${report.warnings} warnings but lists ${report.problems.length - errors}`);
  return report;
}

function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Never split a surrogate pair: a lone surrogate is not valid UTF-8 when the JSON is written.
  let end = limit - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  return `${text.slice(0, end)}…`;
}
