// The check report is written by a workflow the pull request may have changed, then read by the privileged comment
// job: any text must give a CheckReportError (one problem line) or a report whose comment stays under GitHub's limit.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { CheckReportError, parseCheckReport } from '../../catalog/report/check-report.ts';
import { maxCommentLength, renderComment } from '../../catalog/report/markdown.ts';

const problem = fc.record({
  file: fc.string({ maxLength: 40 }),
  line: fc.integer({ min: -1, max: 10 }),
  column: fc.integer({ min: 0, max: 10 }),
  pointer: fc.string({ maxLength: 20 }),
  code: fc.oneof(fc.constant('SCHEMA_INVALID'), fc.string({ maxLength: 12 })),
  message: fc.string({ maxLength: 60 }),
  fix: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  severity: fc.constantFrom('error', 'warning', 'note'),
});
const report = fc.record({
  schemaVersion: fc.constantFrom(1, 2, '1'),
  checked: fc.integer({ min: -1, max: 20 }),
  errors: fc.integer({ min: 0, max: 5 }),
  warnings: fc.integer({ min: 0, max: 5 }),
  problems: fc.array(problem, { maxLength: 6 }),
});
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  report.map((r) => JSON.stringify(r)),
  fc.anything({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
);

test.prop([text], { numRuns: 400 })('reads any artifact as a report or one problem line, never a crash', (input) => {
  try {
    const parsed = parseCheckReport(input);
    const body = renderComment(parsed.problems, parsed);
    expect(body.length).toBeLessThanOrEqual(maxCommentLength);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckReportError);
    const { message } = error as CheckReportError;
    expect(message).toMatch(/^problems\.json:1:1 #\S* CHECK_REPORT_INVALID /);
    expect(message).not.toContain('\n');
  }
});
