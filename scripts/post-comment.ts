// Posts or updates the check's one comment on a pull request (run by .github/workflows/comment.yml from the
// default branch, with a token that may write to pull requests). Its input, the artifact of check.yml, was
// written by a workflow the pull request itself may have changed, so nothing in it is trusted:
//   - pr-number.txt must be a number, and that pull request's head commit must be the one the check ran on
//     (--head-sha, taken from the workflow_run event, which GitHub writes): a crafted artifact cannot make the
//     bot comment on another pull request;
//   - comment.md must carry the marker and fit GitHub's limit; it is posted as text, never executed.
// Usage: node scripts/post-comment.ts --dir DIR --repo OWNER/NAME --head-sha SHA [--api-url URL] [--author LOGIN]
// Environment: GITHUB_TOKEN; GITHUB_API_URL (the API root, set by Actions). Exit codes: 0 posted, 2 refused.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commentMarker, maxCommentLength } from '../catalog/report/markdown.ts';
import { createGitHub, parseRepository, step, tokenFromEnvironment } from '../cli/github/client.ts';
import { upsertComment } from '../cli/github/comment.ts';

export async function postComment(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, repo: { type: 'string' }, 'head-sha': { type: 'string' }, 'api-url': { type: 'string' }, author: { type: 'string' } },
    strict: true,
  });
  if (!values.dir || !values.repo || !values['head-sha']) throw new Error('usage: post-comment.ts --dir DIR --repo OWNER/NAME --head-sha SHA');
  const repository = parseRepository(values.repo);
  if (!repository) throw new Error(`--repo '${values.repo}' is not OWNER/NAME`);

  const number = (await readFile(join(values.dir, 'pr-number.txt'), 'utf8')).trim();
  if (!/^[1-9]\d{0,9}$/.test(number)) throw new Error(`pr-number.txt holds '${number.slice(0, 40)}', not a pull-request number; nothing was posted`);
  const body = await readFile(join(values.dir, 'comment.md'), 'utf8');
  if (!body.startsWith(commentMarker)) throw new Error('comment.md does not start with the check\'s marker; nothing was posted');
  if (body.length > maxCommentLength) throw new Error(`comment.md has ${body.length} characters, more than GitHub's ${maxCommentLength}; nothing was posted`);

  const github = createGitHub({ token: tokenFromEnvironment(env), apiUrl: values['api-url'] ?? env.GITHUB_API_URL });
  const { data: pull } = await step(`read pull request #${number}`, () => github.rest.pulls.get({ ...repository, pull_number: Number(number) }));
  if (pull.head.sha !== values['head-sha']) {
    throw new Error(`pull request #${number} is at ${pull.head.sha}, but the check ran on ${values['head-sha']}: the artifact names another pull request, or a newer push superseded this run; nothing was posted`);
  }
  const result = await upsertComment(github, { ...repository, issueNumber: Number(number), body, marker: commentMarker, author: values.author });
  return `${result.action} comment ${result.id} on #${number}: ${result.url}`;
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
