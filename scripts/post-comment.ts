// Posts or updates the check's one comment on a pull request (run by .github/workflows/comment.yml from the
// default branch, with a token that may write to pull requests). Its input, the artifact of check.yml, was
// written by a workflow the pull request itself may have changed, so nothing in it is trusted:
//   - pr-number.txt must be a number, and that pull request's head commit must be the one the check ran on
//     (--head-sha, taken from the workflow_run event, which GitHub writes): a crafted artifact cannot make the
//     bot comment on another pull request;
//   - problems.json is data, never text to post: at most maxCheckReportBytes, valid against
//     schemas/check-report.schema.json, and rendered here by the fixed template of renderComment, which shows
//     every string from it literally in a code span. The commit and the run's address come from the event.
// Usage: node scripts/post-comment.ts --dir DIR --repo OWNER/NAME --head-sha SHA [--run-url URL]
//        [--api-url URL] [--author LOGIN]
// Environment: GITHUB_TOKEN; GITHUB_API_URL (the API root, set by Actions). Exit codes: 0 posted, 2 refused.
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkReportFile, maxCheckReportBytes, parseCheckReport } from '../catalog/report/check-report.ts';
import { commentMarker, renderComment } from '../catalog/report/markdown.ts';
import { createGitHub, parseRepository, step, tokenFromEnvironment } from '../cli/github/client.ts';
import { upsertComment } from '../cli/github/comment.ts';

export async function postComment(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string' },
      repo: { type: 'string' },
      'head-sha': { type: 'string' },
      'run-url': { type: 'string' },
      'api-url': { type: 'string' },
      author: { type: 'string' },
    },
    strict: true,
  });
  if (!values.dir || !values.repo || !values['head-sha'])
    throw new Error('usage: post-comment.ts --dir DIR --repo OWNER/NAME --head-sha SHA [--run-url URL]');
  const repository = parseRepository(values.repo);
  if (!repository) throw new Error(`--repo '${values.repo}' is not OWNER/NAME`);
  const headSha = values['head-sha'];
  if (!/^[0-9a-f]{40}$/.test(headSha))
    throw new Error(`--head-sha ${JSON.stringify(headSha.slice(0, 60))} is not a commit id (40 hex digits)`);

  const number = (await readBounded(join(values.dir, 'pr-number.txt'), 64)).trim();
  // Quoted as JSON: a line break in it must not start a workflow command in the log.
  if (!/^[1-9]\d{0,9}$/.test(number))
    throw new Error(
      `pr-number.txt holds ${JSON.stringify(number.slice(0, 40))}, not a pull-request number; nothing was posted`,
    );
  const report = parseCheckReport(await readBounded(join(values.dir, checkReportFile), maxCheckReportBytes));
  const counts = { checked: report.checked, errors: report.errors, warnings: report.warnings };
  const body = renderComment(report.problems, counts, { commit: headSha, runUrl: values['run-url'] });

  const github = createGitHub({ token: tokenFromEnvironment(env), apiUrl: values['api-url'] ?? env.GITHUB_API_URL });
  const { data: pull } = await step(`read pull request #${number}`, () =>
    github.rest.pulls.get({ ...repository, pull_number: Number(number) }),
  );
  if (pull.head.sha !== headSha) {
    throw new Error(
      `pull request #${number} is at ${pull.head.sha}, but the check ran on ${headSha}: the artifact names ` +
        `another pull request, or a newer push superseded this run; nothing was posted`,
    );
  }
  const result = await upsertComment(github, {
    ...repository,
    issueNumber: Number(number),
    body,
    marker: commentMarker,
    author: values.author,
  });
  return `${result.action} comment ${result.id} on #${number}: ${result.url}`;
}

/**
 * Reads a file of the artifact, refusing it unread when it is larger than `limit` bytes or not a regular file.
 * O_NOFOLLOW: a symbolic link in the artifact (e.g. to /proc/self/environ) must not make this job read, and then
 * quote in its log, a file of the runner.
 */
async function readBounded(path: string, limit: number): Promise<string> {
  const name = path.split(/[/\\]/).pop();
  const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP')
      throw new Error(`${name} in the artifact is a symbolic link, not a file; nothing was posted`, { cause: error });
    throw new Error(`the artifact has no readable ${name} (${error.code ?? error.message}); nothing was posted`, {
      cause: error,
    });
  });
  try {
    const { size, isFile } = await file.stat().then((s) => ({ size: s.size, isFile: s.isFile() }));
    if (!isFile) throw new Error(`${name} in the artifact is not a file; nothing was posted`);
    if (size > limit)
      throw new Error(
        `${name}:1:1 # CHECK_REPORT_INVALID is ${size} bytes, more than ${limit} Fix: let the check write it; ` +
          `nothing was posted`,
      );
    return await readFile(file, 'utf8');
  } finally {
    await file.close();
  }
}

if (import.meta.main) {
  postComment(process.argv.slice(2)).then(
    (line) => process.stdout.write(line + '\n'),
    (error: Error) => {
      process.stderr.write(`post-comment: ${error.message}\n`);
      process.exit(2);
    },
  );
}
