// The CI renderers: workflow-command annotations, the Markdown job summary and the pull-request comment.
import { mkdir, mkdtemp, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../catalog/problems.ts';
import { escapeData, escapeProperty, renderAnnotation, renderAnnotations } from '../../catalog/report/annotations.ts';
import { checkReportLimits, parseCheckReport, toCheckReport } from '../../catalog/report/check-report.ts';
import {
  codeSpan,
  commentMarker,
  countProblems,
  escapeMarkdown,
  maxCommentLength,
  renderComment,
  renderSummary,
} from '../../catalog/report/markdown.ts';
import { fixtures, invalidCases, runCli } from './helpers.ts';
import { scanMarkdown } from './markdown-scan.ts';

const nasty: Problem = {
  file: 'submissions/a,b:c/entry.yaml',
  line: 12,
  column: 5,
  pointer: '/study/title',
  code: 'SCHEMA_INVALID',
  message: 'line one\nline two, 100% sure: yes\r\nend',
  fix: 'write it: "x, y"',
  severity: 'error',
};

/** Undoes the toolkit escaping, as the runner does. */
const unescape = (value: string) =>
  value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('annotations (GitHub Actions workflow commands)', () => {
  it('escapes %, CR and LF in the message, and also : and , in properties', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%d\ne')).toBe('a%3Ab%2Cc%25d%0Ae');
    // '%' is escaped first, so an escape already in the text stays literal.
    expect(escapeData('%0A')).toBe('%250A');
  });

  it('keeps a message with newlines, % and commas on one annotation line, with the exact file, line and column', () => {
    const text = renderAnnotation(nasty);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(
      /^::error file=submissions\/a%2Cb%3Ac\/entry\.yaml,line=12,col=5,title=SCHEMA_INVALID at #\/study\/title::/,
    );
    const [, properties, message] = /^::error (.*?)::(.*)$/.exec(text)!;
    // Properties split on ',' and '=' only where the command means it.
    const parsed = Object.fromEntries(
      properties
        .split(',')
        .map((p) => p.split('='))
        .map(([k, v]) => [k, unescape(v)]),
    );
    expect(parsed).toEqual({ file: nasty.file, line: '12', col: '5', title: 'SCHEMA_INVALID at #/study/title' });
    expect(unescape(message)).toBe(`${nasty.message}\nFix: ${nasty.fix}`);
  });

  it('uses ::warning for warnings and line 1 when a problem has no line', () => {
    const text = renderAnnotations([
      { file: 'accessions.tsv', pointer: '', code: 'X', message: 'm', severity: 'warning' },
    ]);
    expect(text).toBe('::warning file=accessions.tsv,line=1,col=1,title=X::m\n');
    expect(renderAnnotations([])).toBe('');
  });

  it('adds a notice when there are more problems than GitHub shows (10 errors, 10 warnings per step)', () => {
    const errors = Array.from({ length: 12 }, (_, i) => ({ ...nasty, line: i + 1 }));
    const text = renderAnnotations([...errors, { ...nasty, severity: 'warning' as const }])
      .trimEnd()
      .split('\n');
    expect(text).toHaveLength(14);
    expect(text.at(-1)).toBe(
      '::notice title=More problems than annotations::2 more problem(s) than GitHub ' +
        'shows as annotations: see the job summary or the pull-request comment ' +
        'for all 13.',
    );
    expect(renderAnnotations(errors.slice(0, 10))).not.toContain('::notice');
  });
});

describe('Markdown summary and comment', () => {
  it('escapes what a submission controls: HTML, table pipes, Markdown, mentions and newlines', () => {
    expect(escapeMarkdown('<script>alert(1)</script> | @org/team [x](javascript:y) *b*\nnext')).toBe(
      '&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\| @\u200Borg/team \\[x\\]\\(javascript:y\\) \\*b\\*<br>next',
    );
  });

  it('shows untrusted text literally in a code span that it cannot close, on one table row', () => {
    expect(codeSpan('plain')).toBe('` plain `');
    expect(codeSpan('a `b` c')).toBe('`` a `b` c ``');
    expect(codeSpan('```')).toBe('```` ``` ````');
    expect(codeSpan('x | y')).toBe('` x \\| y `');
    expect(codeSpan('one\r\ntwo\nthree')).toBe('` one ⏎ two ⏎ three `');
    expect(codeSpan('\u202Eabc\u0000')).toBe('` \uFFFDabc\uFFFD `');
    expect(codeSpan('')).toBe('');
    for (const text of ['`', '`x', 'x`', ' `` ', '\\', '\\`', '@a <b> [c](d)']) {
      const scanned = scanMarkdown(`| ${codeSpan(text)} |`);
      expect(scanned.literals).toEqual([text]);
      expect(scanned.active).toBe('|  |');
    }
  });

  it('groups problems by file in a table with counts and fixes', () => {
    const problems: Problem[] = [
      nasty,
      { ...nasty, line: 20, severity: 'warning', code: 'UNUSED_OBJECT', message: 'unused', fix: undefined },
      { ...nasty, file: 'other.yaml', message: 'x | y' },
    ];
    const summary = renderSummary(problems, countProblems(problems, 2));
    expect(summary).toContain('❌ The check failed: 2 records checked, 2 errors, 1 warning.');
    expect(summary).toContain('### ` submissions/a,b:c/entry.yaml `\n\n1 error, 1 warning');
    expect(summary).toContain(
      '| 12:5 | ` #/study/title ` | ` SCHEMA_INVALID ` | ` line one ⏎ line two, 100% ' +
        'sure: yes ⏎ end ` | ` write it: "x, y" ` |',
    );
    expect(summary).toContain('| 20:5 | ` #/study/title ` | ` UNUSED_OBJECT ` (warning) | ` unused ` |  |');
    expect(summary).toContain('| ` x \\| y ` |');
    // Every table row keeps its five cells.
    for (const row of summary.split('\n').filter((l) => l.startsWith('| ')))
      expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(renderSummary([], countProblems([], 3))).toContain(
      '✅ The check passed: 3 records checked, 0 errors, 0 warnings.',
    );
  });

  it("starts the comment with its hidden marker and stays under GitHub's size limit", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...nasty, line: i + 1, message: 'x'.repeat(200) }));
    const body = renderComment(many, countProblems(many, 1), {
      runUrl: 'https://github.com/o/r/actions/runs/1',
      commit: 'a'.repeat(40),
    });
    expect(body.startsWith(commentMarker + '\n')).toBe(true);
    expect(body.length).toBeLessThanOrEqual(maxCommentLength);
    expect(body).toMatch(/… and \d+ more problems/);
    expect(body).toContain('[Workflow run and annotations](https://github.com/o/r/actions/runs/1).');
    expect(body).toContain(`Checked commit ${'a'.repeat(40)}.`);
    // Only an https link and a real commit id are shown.
    const hostile = renderComment([], countProblems([], 1), { runUrl: 'javascript:alert(1)', commit: 'not-a-sha' });
    expect(hostile).not.toContain('javascript');
    expect(hostile).not.toContain('not-a-sha');
  });
});

describe('catalogue report', () => {
  async function catalogueWith(cases: string[]): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'report-'));
    await mkdir(join(root, 'archive', 'submissions'), { recursive: true });
    // expected.json belongs to the fixture, not to the submission (a submission holds entry.yaml and manifest.json).
    for (const c of cases) {
      const source = c.startsWith('invalid/') ? join(invalidCases, c.slice('invalid/'.length)) : join(fixtures, c);
      const target = join(root, 'archive', 'submissions', c.split('/').pop()!);
      await cp(source, target, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
    }
    return root;
  }

  it(
    'annotates the changed submission on its exact line, ' + 'writes the summary and the comment, and exits 1',
    async () => {
      const root = await catalogueWith(['invalid/orcid-check-digit', 'valid/ribosome-complex-tem']);
      const changed = join(root, 'changed.txt');
      await writeFile(changed, 'archive/submissions/orcid-check-digit/entry.yaml\n');
      const summary = join(root, 'summary.md');
      const comment = join(root, 'comment.md');
      const cwd = process.cwd();
      process.chdir(root);
      try {
        const result = await runCli(
          [
            'report',
            '--catalog',
            'archive',
            '--paths-from',
            changed,
            '--summary',
            summary,
            '--comment',
            comment,
            '--run-url',
            'https://github.com/o/r/actions/runs/9',
          ],
          { CATALOGUE_TODAY: '2025-06-01' },
        );
        expect(result.code).toBe(1);
        expect(result.stdout).toBe(
          '::error file=archive/submissions/orcid-check-digit/entry.yaml,line=10,col=7,' +
            'title=ORCID_CHECKSUM at #/study/authors/0/orcid::the ORCID iD ' +
            "'0000-0002-1825-0098' fails its check digit (a mistyped digit?)%0AFix: copy " +
            "the iD from the author's https://orcid.org page\n",
        );
        expect(result.stderr).toContain('1 record(s) checked: 1 error(s), 0 warning(s).');
      } finally {
        process.chdir(cwd);
      }
      expect(await readFile(summary, 'utf8')).toContain('### ` archive/submissions/orcid-check-digit/entry.yaml `');
      const body = await readFile(comment, 'utf8');
      expect(body.startsWith(commentMarker)).toBe(true);
      expect(body).toContain('` ORCID_CHECKSUM `');
    },
  );

  it('writes the problems as JSON that the comment workflow accepts (--problems)', async () => {
    const root = await catalogueWith(['invalid/orcid-check-digit']);
    const problems = join(root, 'problems.json');
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await runCli(['report', '--catalog', 'archive', '--problems', problems], {
        CATALOGUE_TODAY: '2025-06-01',
      });
      expect(result.code).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    const report = parseCheckReport(await readFile(problems, 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, checked: 1, errors: 1, warnings: 0 });
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'archive/submissions/orcid-check-digit/entry.yaml',
        line: 10,
        column: 7,
        pointer: '/study/authors/0/orcid',
        code: 'ORCID_CHECKSUM',
        severity: 'error',
      }),
    ]);
  });

  it("cuts a report to the schema's bounds, so that what the check writes always validates", () => {
    const long: Problem = {
      file: 'f'.repeat(400),
      pointer: '/' + 'p'.repeat(400),
      code: 'not a code',
      message: '😀'.repeat(600),
      fix: 'x'.repeat(600),
      severity: 'error',
    };
    const many = Array.from({ length: 600 }, () => long);
    const report = toCheckReport(many, countProblems(many, 1));
    expect(report.problems).toHaveLength(checkReportLimits.problems);
    expect(report.errors).toBe(600);
    const reparsed = parseCheckReport(JSON.stringify(report));
    expect(reparsed.problems[0].message.endsWith('…')).toBe(true);
    expect(reparsed.problems[0].code).toBe('UNKNOWN_CODE');
    // The comment counts the problems left out.
    expect(renderComment(reparsed.problems, { checked: 1, errors: 600, warnings: 0 })).toMatch(
      /… and \d+ more problems/,
    );
  });

  it('checks only the invariants when nothing in the catalogue changed, and passes', async () => {
    const root = await catalogueWith(['invalid/orcid-check-digit']);
    const changed = join(root, 'changed.txt');
    await writeFile(changed, '');
    const result = await runCli(
      ['report', '--catalog', join(root, 'archive'), '--paths-from', changed, '--format', 'plain'],
      {},
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('0 record(s) checked');
  });

  it("prints check's plain lines with repository paths on --format plain, and rejects other formats", async () => {
    const root = await catalogueWith(['invalid/manifest-path-traversal']);
    const result = await runCli(['report', '--catalog', join(root, 'archive'), '--format', 'plain'], {});
    expect(result.code).toBe(1);
    // Outside the working directory GitHub could not place it anyway: the path is shown in full.
    expect(result.stdout).toContain(
      `${join(root, 'archive')}/submissions/manifest-path-traversal/manifest.json:6:7 #/files/0/path PATH_TRAVERSAL`,
    );
    const bad = await runCli(['report', '--format', 'xml'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be annotations or plain');
  });
});
