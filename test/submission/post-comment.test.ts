// scripts/post-comment.ts (comment.yml): one comment per pull request, updated in place, and an artifact from
// the pull request's own workflow that cannot steer the bot elsewhere.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commentMarker, countProblems, renderComment } from '../../catalog/report/markdown.ts';
import { postComment } from '../../scripts/post-comment.ts';
import { startFakeGitHub, type FakeGitHub } from './github-server.ts';

const repo = 'bioimage/catalogue';
const headSha = 'c'.repeat(40);
let github: FakeGitHub;
let pullNumber: number;
let otherPull: number;

beforeAll(async () => {
  github = await startFakeGitHub({ tokens: { 'actions-token': { login: 'github-actions[bot]', type: 'Bot', writeAll: true }, 'ada-token': { login: 'ada' } } });
  github.addRepository(repo);
  pullNumber = github.addPull(repo, { title: 'Submission: x', body: '', head: 'ada:submission/x', headSha, base: 'main', headRepo: 'ada/catalogue' }).number;
  otherPull = github.addPull(repo, { title: 'Other', body: '', head: 'bob:other', headSha: 'd'.repeat(40), base: 'main', headRepo: 'bob/catalogue' }).number;
}, 60_000);
afterAll(() => github?.close());
afterEach(() => expect(github.violations).toEqual([]));

async function artifact(number: string | number, body: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'comment-'));
  await writeFile(join(dir, 'pr-number.txt'), `${number}\n`);
  await writeFile(join(dir, 'comment.md'), body);
  return dir;
}

const post = (dir: string, sha = headSha, token = 'actions-token') =>
  postComment(['--dir', dir, '--repo', repo, '--head-sha', sha, '--api-url', github.url], { GITHUB_TOKEN: token });

const comments = () => github.repositories.get(repo)!.comments.filter((c) => c.issue === pullNumber);

describe('post-comment', () => {
  it('creates the comment once, then updates that same comment, leaving people\'s comments alone', async () => {
    // A person quoting the marker must not have their comment taken over.
    github.addComment(repo, { issue: pullNumber, body: `I saw ${commentMarker} somewhere`, login: 'ada', type: 'User' });
    const first = renderComment([], countProblems([], 1));
    expect(await post(await artifact(pullNumber, first))).toMatch(/^created comment \d+ on #1/);
    const second = renderComment([{ file: 'a.yaml', line: 3, pointer: '/x', code: 'X', message: 'broken', severity: 'error' }], countProblems([{ severity: 'error' } as never], 1));
    expect(await post(await artifact(pullNumber, second))).toMatch(/^updated comment \d+ on #1/);
    const bot = comments().filter((c) => c.login === 'github-actions[bot]');
    expect(bot).toHaveLength(1);
    expect(bot[0].body).toBe(second);
    expect(comments().find((c) => c.login === 'ada')!.body).toBe(`I saw ${commentMarker} somewhere`);
  });

  it('finds its comment beyond the first page of comments', async () => {
    for (let i = 0; i < 120; i++) github.addComment(repo, { issue: otherPull, body: `comment ${i}`, login: 'bob', type: 'User' });
    const body = renderComment([], countProblems([], 1));
    expect(await post(await artifact(otherPull, body), 'd'.repeat(40))).toMatch(/^created/);
    expect(await post(await artifact(otherPull, body), 'd'.repeat(40))).toMatch(/^updated/);
    expect(github.requests.some((r) => r.operationId === 'issues/list-comments')).toBe(true);
  });

  it('refuses an artifact that names another pull request than the one checked', async () => {
    const body = renderComment([], countProblems([], 1));
    await expect(post(await artifact(otherPull, body))).rejects.toThrow(`pull request #${otherPull} is at ${'d'.repeat(40)}, but the check ran on ${headSha}`);
  });

  it('refuses a pull-request number that is not a number, and a body without the marker', async () => {
    await expect(post(await artifact('1; rm -rf /', 'x'))).rejects.toThrow("pr-number.txt holds '1; rm -rf /', not a pull-request number");
    await expect(post(await artifact(pullNumber, 'hello'))).rejects.toThrow("comment.md does not start with the check's marker");
  });

  it('explains a token that may not comment (403) and a missing token', async () => {
    const body = renderComment([], countProblems([], 1));
    await expect(post(await artifact(pullNumber, body), headSha, 'ada-token')).rejects.toThrow(/GitHub refused to comment on bioimage\/catalogue#1 \(403|GitHub refused to update comment/);
    await expect(postComment(['--dir', await artifact(pullNumber, body), '--repo', repo, '--head-sha', headSha, '--api-url', github.url], {})).rejects.toThrow('no GitHub token: set GITHUB_TOKEN');
  });
});
