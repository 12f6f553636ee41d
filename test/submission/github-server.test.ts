// The stand-in GitHub must itself catch requests GitHub does not document, or the submit tests could not fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './github-server.ts';

let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub({ tokens: { t: { login: 'ada' } } });
  github.addRepository('ada/repo');
}, 60_000);
afterAll(() => github?.close());

async function call(method: string, path: string, body?: unknown): Promise<number> {
  const response = await fetch(github.url + path, {
    method,
    headers: { authorization: 'token t', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.status;
}

describe('the OpenAPI checks of the stand-in GitHub', () => {
  const cases: [string, string, string, unknown, string][] = [
    ['an operation that does not exist', 'POST', '/repos/ada/repo/git/blobz', { content: 'x' }, 'no such operation'],
    ['a method the path does not have', 'DELETE', '/repos/ada/repo/git/blobs', undefined, 'no such operation'],
    [
      'a body without a required property',
      'POST',
      '/repos/ada/repo/git/blobs',
      { encoding: 'utf-8' },
      "must have required property 'content'",
    ],
    [
      'a property of the wrong type',
      'POST',
      '/repos/ada/repo/git/refs',
      { ref: 'refs/heads/x', sha: 42 },
      'must be string',
    ],
    [
      'a value outside its enum',
      'POST',
      '/repos/ada/repo/git/trees',
      { tree: [{ path: 'a', mode: '100600', type: 'blob', sha: 'x' }] },
      'must be equal to one of the allowed values',
    ],
    [
      'an undeclared query parameter',
      'GET',
      '/repos/ada/repo/issues/1/comments?perpage=100',
      undefined,
      'undeclared query parameter perpage',
    ],
    [
      'a query parameter of the wrong type',
      'GET',
      '/repos/ada/repo/issues/1/comments?per_page=many',
      undefined,
      'query parameter per_page=many',
    ],
    [
      'a path parameter of the wrong type',
      'GET',
      '/repos/ada/repo/pulls/abc',
      undefined,
      'path parameter pull_number=abc',
    ],
    ['a missing required body', 'POST', '/repos/ada/repo/git/commits', undefined, 'requires a body'],
  ];
  for (const [what, method, path, body, message] of cases) {
    it(`records ${what}`, async () => {
      const before = github.violations.length;
      expect(await call(method, path, body)).toBe(400);
      expect(github.violations.length).toBe(before + 1);
      expect(github.violations.at(-1)).toContain(message);
    });
  }

  it('accepts a documented request and answers from its state', async () => {
    const before = github.violations.length;
    expect(await call('POST', '/repos/ada/repo/git/blobs', { content: 'hello', encoding: 'utf-8' })).toBe(201);
    expect(await call('GET', '/repos/ada/repo/git/ref/heads%2Fmain')).toBe(200);
    expect(await call('GET', '/repos/ada/repo/git/ref/heads/nope')).toBe(404);
    expect(github.violations.length).toBe(before);
  });

  it('answers 401 to an unknown token, as GitHub does', async () => {
    const response = await fetch(`${github.url}/user`, { headers: { authorization: 'token wrong' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: 'Bad credentials' });
  });
});
