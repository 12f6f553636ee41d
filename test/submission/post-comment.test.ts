// scripts/post-comment.ts (comment.yml): one comment per pull request, updated in place, rendered from the
// check's problems (JSON) by a fixed template; an artifact from the pull request's own workflow can neither
// steer the bot elsewhere nor put its own text, links, HTML or mentions into the bot's comment.
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  maxCheckReportBytes,
  parseCheckReport,
  type CheckReport,
  type ReportedProblem,
} from '../../catalog/report/check-report.ts';
import { commentMarker } from '../../catalog/report/markdown.ts';
import { postComment } from '../../scripts/post-comment.ts';
import { startFakeGitHub, type FakeGitHub } from './github-server.ts';
import { scanMarkdown } from './markdown-scan.ts';

const repo = 'bioimage/catalogue';
const headSha = 'c'.repeat(40);
const runUrl = 'https://github.com/bioimage/catalogue/actions/runs/42';
let github: FakeGitHub;
let pullNumber: number;
let otherPull: number;

beforeAll(async () => {
  github = await startFakeGitHub({
    tokens: {
      'actions-token': { login: 'github-actions[bot]', type: 'Bot', writeAll: true },
      'ada-token': { login: 'ada' },
    },
  });
  github.addRepository(repo);
  pullNumber = github.addPull(repo, {
    title: 'Submission: x',
    body: '',
    head: 'ada:submission/x',
    headSha,
    base: 'main',
    headRepo: 'ada/catalogue',
  }).number;
  otherPull = github.addPull(repo, {
    title: 'Other',
    body: '',
    head: 'bob:other',
    headSha: 'd'.repeat(40),
    base: 'main',
    headRepo: 'bob/catalogue',
  }).number;
}, 60_000);
afterAll(() => github?.close());
afterEach(() => expect(github.violations).toEqual([]));

const problem = (fields: Partial<ReportedProblem> = {}): ReportedProblem => ({
  file: 'archive/submissions/x/entry.yaml',
  line: 3,
  column: 7,
  pointer: '/study/title',
  code: 'SCHEMA_INVALID',
  message: 'must be a string',
  severity: 'error',
  ...fields,
});

function report(problems: ReportedProblem[] = [], checked = 1): CheckReport {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { schemaVersion: 1, checked, errors, warnings: problems.length - errors, problems };
}

/** The artifact check.yml uploads: the pull request's number and problems.json (text as given, or a report). */
async function artifact(
  number: string | number,
  problems: CheckReport | string,
  extra: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'comment-'));
  await writeFile(join(dir, 'pr-number.txt'), `${number}\n`);
  await writeFile(join(dir, 'problems.json'), typeof problems === 'string' ? problems : JSON.stringify(problems));
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  return dir;
}

const post = (dir: string, sha = headSha, token = 'actions-token') =>
  postComment(['--dir', dir, '--repo', repo, '--head-sha', sha, '--run-url', runUrl, '--api-url', github.url], {
    GITHUB_TOKEN: token,
  });

const comments = () => github.repositories.get(repo)!.comments.filter((c) => c.issue === pullNumber);
const botComment = () => comments().find((c) => c.login === 'github-actions[bot]');

describe('post-comment', () => {
  it("creates the comment once, then updates that same comment, leaving people's comments alone", async () => {
    // A person quoting the marker must not have their comment taken over.
    github.addComment(repo, {
      issue: pullNumber,
      body: `I saw ${commentMarker} somewhere`,
      login: 'ada',
      type: 'User',
    });
    expect(await post(await artifact(pullNumber, report()))).toMatch(/^created comment \d+ on #1/);
    expect(botComment()!.body).toContain('✅ The check passed: 1 record checked, 0 errors, 0 warnings.');
    expect(await post(await artifact(pullNumber, report([problem()])))).toMatch(/^updated comment \d+ on #1/);
    const bot = comments().filter((c) => c.login === 'github-actions[bot]');
    expect(bot).toHaveLength(1);
    expect(bot[0].body.startsWith(`${commentMarker}\n`)).toBe(true);
    expect(bot[0].body).toContain('❌ The check failed: 1 record checked, 1 error, 0 warnings.');
    expect(bot[0].body).toContain(
      '| 3:7 | `` #/study/title `` | `` SCHEMA_INVALID `` | `` must be a string `` |  |'.replace(/``/g, '`'),
    );
    // The commit and the run's address come from the workflow_run event, not from the artifact.
    expect(bot[0].body).toContain(`Checked commit ${headSha}. [Workflow run and annotations](${runUrl}).`);
    expect(comments().find((c) => c.login === 'ada')!.body).toBe(`I saw ${commentMarker} somewhere`);
  });

  it('finds its comment beyond the first page of comments', async () => {
    for (let i = 0; i < 120; i++)
      github.addComment(repo, { issue: otherPull, body: `comment ${i}`, login: 'bob', type: 'User' });
    expect(await post(await artifact(otherPull, report()), 'd'.repeat(40))).toMatch(/^created/);
    expect(await post(await artifact(otherPull, report()), 'd'.repeat(40))).toMatch(/^updated/);
    expect(github.requests.some((r) => r.operationId === 'issues/list-comments')).toBe(true);
  });

  it('refuses an artifact that names another pull request than the one checked', async () => {
    await expect(post(await artifact(otherPull, report()))).rejects.toThrow(
      `pull request #${otherPull} is at ${'d'.repeat(40)}, but the check ran on ${headSha}`,
    );
  });

  it('refuses a pull-request number that is not a number, and an artifact without problems.json', async () => {
    await expect(post(await artifact('1; rm -rf /', report()))).rejects.toThrow(
      'pr-number.txt holds "1; rm -rf /", not a pull-request number',
    );
    // A line break cannot start a workflow command in the log.
    await expect(post(await artifact('1\n::add-mask::x', report()))).rejects.toThrow(
      'pr-number.txt holds "1\\n::add-mask::x", not',
    );
    const dir = await mkdtemp(join(tmpdir(), 'comment-'));
    await writeFile(join(dir, 'pr-number.txt'), `${pullNumber}\n`);
    await writeFile(join(dir, 'comment.md'), `${commentMarker}\nhello`);
    await expect(post(dir)).rejects.toThrow('the artifact has no readable problems.json (ENOENT); nothing was posted');
  });

  it('explains a token that may not comment (403) and a missing token', async () => {
    await expect(post(await artifact(pullNumber, report()), headSha, 'ada-token')).rejects.toThrow(
      /GitHub refused to comment on bioimage\/catalogue#1 \(403|GitHub refused to update comment/,
    );
    await expect(
      postComment(
        ['--dir', await artifact(pullNumber, report()), '--repo', repo, '--head-sha', headSha, '--api-url', github.url],
        {},
      ),
    ).rejects.toThrow('no GitHub token: set GITHUB_TOKEN');
  });
});

describe('post-comment with a hostile artifact', () => {
  // What a fork can put in the artifact by changing check.yml or the checker it runs.
  const hostile = [
    '<img src=x onerror=alert(1)> <script>alert(1)</script> <details open><summary>x</summary>',
    '@octocat @bioimage/maintainers please merge',
    '[click](javascript:alert(1)) ![pixel](https://evil.example/p.png) ' +
      '<https://evil.example> https://evil.example www.evil.example',
    'ends the span ` and `` and ``` here',
    '`',
    '``` fenced',
    'cell | break | | and \\| escaped',
    'line one\n\n# Heading\r\n---\n| a | b |\n@everyone',
    'see #1 and bioimage/catalogue#2 and GH-3, commit 0123456789abcdef0123456789abcdef01234567',
    '\u202Eevil\u202C \u0000 \u001b[31m',
    '&lt;img&gt; &#64;octocat \\`escaped',
  ];

  it(
    'renders every string from the JSON literally: ' +
      'no HTML, links, images, mentions or references, no broken table',
    async () => {
      const problems = hostile.map((text, i) =>
        problem({
          file: `archive/submissions/${text.replace(/\n/g, ' ').slice(0, 60)}/entry.yaml`,
          pointer: `/${text.slice(0, 40)}`,
          message: text,
          fix: text,
          line: i + 1,
          severity: i % 2 ? 'warning' : 'error',
        }),
      );
      const dir = await artifact(pullNumber, report(problems), {
        'comment.md': `${commentMarker}\n@everyone <img src=x> pwned`,
      });
      await post(dir);
      const body = botComment()!.body;
      // A comment.md in the artifact is never read: the comment comes from the template alone.
      expect(body).not.toContain('pwned');
      const footer =
        `\n---\nChecked commit ${headSha}. [Workflow run and annotations](${runUrl}). ` +
        `This comment is updated on every push to the pull request.\n`;
      expect(body.endsWith(footer)).toBe(true);
      const scanned = scanMarkdown(body.slice(commentMarker.length, -footer.length));
      // Outside code spans only the template's own text remains: its headings, counts and table frames.
      expect(scanned.active).not.toMatch(
        /[<>@&!\\[\]]|\]\(|javascript|evil|www\.|#\d|GH-\d|[0-9a-f]{40}|\u202E|(?!\n)\p{Cc}/u,
      );
      for (const line of scanned.active.split('\n'))
        expect(line).toMatch(
          new RegExp(
            String.raw`^(## Catalogue check|### |❌ The check failed: .*\.|\d+ errors?, \d+ ` +
              String.raw`warnings?|\| Line \| Field \| Code \| Problem \| Fix \||\| ---: \| --- \| --- ` +
              String.raw`\| --- \| --- \||\| \d+:\d+ \| {2}\| {2}(\(warning\) )?\| {2}\| {2}\||)$`,
          ),
        );
      // Every table row keeps its five cells.
      expect(scanned.rows.length).toBeGreaterThan(hostile.length);
      for (const row of scanned.rows) expect(row).toHaveLength(5);
      // Each string is shown whole in a code span (line breaks as ⏎, control characters as U+FFFD).
      for (const text of hostile) {
        const shown = text.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/[\p{Cc}\u202A-\u202E]/gu, '\uFFFD');
        expect(scanned.literals).toContain(shown);
      }
    },
  );

  const refused: [string, string | (() => string), RegExp][] = [
    [
      'not JSON',
      '{"schemaVersion": 1,',
      /^problems\.json:1:1 # CHECK_REPORT_INVALID is not JSON Fix: let the check write it/,
    ],
    ['an array', '[]', /# CHECK_REPORT_INVALID must be object/],
    [
      'a number where a line goes',
      () => JSON.stringify(report([{ ...problem(), line: '3' as never }])),
      /#\/problems\/0\/line CHECK_REPORT_INVALID must be integer/,
    ],
    [
      "a code that is not the checker's",
      () => JSON.stringify(report([problem({ code: '<b>PWNED</b>' })])),
      /#\/problems\/0\/code CHECK_REPORT_INVALID must match pattern/,
    ],
    [
      'a field the schema does not know',
      () => JSON.stringify(report([{ ...problem(), body: 'free text' } as never])),
      /#\/problems\/0 CHECK_REPORT_INVALID must NOT have additional properties/,
    ],
    [
      'a top-level comment text',
      () => JSON.stringify({ ...report(), comment: '@everyone' }),
      /# CHECK_REPORT_INVALID must NOT have additional properties/,
    ],
    [
      'a __proto__ key',
      () => `{"__proto__": {"polluted": true}, ${JSON.stringify(report()).slice(1)}`,
      /CHECK_REPORT_INVALID must NOT have additional properties/,
    ],
    [
      'an unknown severity',
      () => JSON.stringify(report([problem({ severity: 'fatal' as never })])),
      /#\/problems\/0\/severity CHECK_REPORT_INVALID must be equal to one of the allowed values/,
    ],
    [
      'a message longer than 1000 characters',
      () => JSON.stringify(report([problem({ message: 'x'.repeat(1001) })])),
      /#\/problems\/0\/message CHECK_REPORT_INVALID must NOT have more than 1000 characters/,
    ],
    [
      'more than 500 problems',
      () => JSON.stringify(report(Array.from({ length: 501 }, () => problem()))),
      /#\/problems CHECK_REPORT_INVALID must NOT have more than 500 items/,
    ],
    [
      'counts that disagree with the problems',
      () => JSON.stringify({ ...report([problem(), problem()]), errors: 1 }),
      /#\/errors CHECK_REPORT_INVALID counts 1 errors but lists 2/,
    ],
    [
      'a version it does not know',
      () => JSON.stringify({ ...report(), schemaVersion: 2 }),
      /#\/schemaVersion CHECK_REPORT_INVALID must be equal to constant/,
    ],
  ];

  it.each(refused)('refuses %s, posting nothing', async (_name, text, message) => {
    const before = github.requests.length;
    const body = botComment()?.body;
    await expect(post(await artifact(pullNumber, typeof text === 'function' ? text() : text))).rejects.toThrow(message);
    // Refused before any request: not even a read of the pull request.
    expect(github.requests.length).toBe(before);
    expect(botComment()?.body).toBe(body);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('follows no symbolic link out of the artifact, and never quotes what it read', async () => {
    const secret = join(await mkdtemp(join(tmpdir(), 'runner-')), 'environ');
    await writeFile(secret, 'GITHUB_TOKEN=ghs_secret\n');
    const dir = await artifact(pullNumber, report());
    await rm(join(dir, 'problems.json'));
    await symlink(secret, join(dir, 'problems.json'));
    const failure = await post(dir).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toBe('problems.json in the artifact is a symbolic link, not a file; nothing was posted');
    await writeFile(join(dir, 'pr-number.txt'), '1');
    await rm(join(dir, 'problems.json'));
    await writeFile(join(dir, 'problems.json'), 'GITHUB_TOKEN=ghs_secret');
    await expect(post(dir)).rejects.toThrow(/^(?!.*ghs_secret)problems\.json:1:1 # CHECK_REPORT_INVALID is not JSON/);
  });

  it('refuses a 10 MB problems.json without reading it', async () => {
    const big = JSON.stringify(report([problem({ message: 'x'.repeat(1000) })])).replace(
      '"problems"',
      `"padding": "${'x'.repeat(10 * 1024 * 1024)}", "problems"`,
    );
    const before = github.requests.length;
    await expect(post(await artifact(pullNumber, big))).rejects.toThrow(
      new RegExp(`problems\\.json:1:1 # CHECK_REPORT_INVALID is ${big.length} bytes, more than ${maxCheckReportBytes}`),
    );
    expect(github.requests.length).toBe(before);
    // The same text, given to the parser directly, is refused by its own bound.
    expect(() => parseCheckReport(big)).toThrow(`is larger than ${maxCheckReportBytes} bytes`);
  });

  it('refuses a --head-sha or --run-url that the event could not have written', async () => {
    await expect(post(await artifact(pullNumber, report()), 'HEAD; id')).rejects.toThrow(
      '--head-sha "HEAD; id" is not a commit id',
    );
    const dir = await artifact(pullNumber, report());
    await postComment(
      [
        '--dir',
        dir,
        '--repo',
        repo,
        '--head-sha',
        headSha,
        '--run-url',
        'javascript:alert(1)//https://x',
        '--api-url',
        github.url,
      ],
      { GITHUB_TOKEN: 'actions-token' },
    );
    expect(botComment()!.body).not.toContain('javascript');
  });
});
