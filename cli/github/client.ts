// The GitHub REST client (@octokit/rest) and the translation of its failures into messages a person can act on.
// Node-only, used by `catalogue submit` and scripts/post-comment.ts; the catalogue itself never talks to GitHub.
import { Octokit } from '@octokit/rest';
import { EnvironmentError } from '../command.ts';

export const defaultApiUrl = 'https://api.github.com';

export interface GitHubOptions {
  /** A GitHub token (classic with `public_repo`, or fine-grained with Contents and Pull requests: write). */
  token: string;
  /** REST API root, e.g. https://github.example.org/api/v3 for GitHub Enterprise Server (default api.github.com). */
  apiUrl?: string;
}

export type GitHub = InstanceType<typeof Octokit>;

export function createGitHub(options: GitHubOptions): GitHub {
  return new Octokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? defaultApiUrl).replace(/\/+$/, ''),
    userAgent: 'bioimage-catalogue',
    // Octokit logs deprecations and request details; the user sees our messages instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

/** The token from the environment (GITHUB_TOKEN, then GH_TOKEN as the GitHub CLI names it), or a clear error. */
export function tokenFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  if (!token) {
    throw new EnvironmentError(
      'GITHUB_TOKEN_MISSING',
      'no GitHub token: set GITHUB_TOKEN to a token that may fork the repository and open pull requests ' +
        '(a classic token with the public_repo scope, or a fine-grained token with Contents: write and Pull ' +
        'requests: write; ' +
        'create one at https://github.com/settings/tokens), e.g. GITHUB_TOKEN=ghp_... npx catalogue submit <folder>',
    );
  }
  return token;
}

interface OctokitRequestError {
  status: number;
  message: string;
  response?: { data?: unknown; headers?: Record<string, string | number | undefined>; url?: string };
  request?: { method?: string; url?: string };
}

function isRequestError(error: unknown): error is OctokitRequestError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as { name?: string }).name === 'HttpError'
  );
}

/** GitHub's own words: `message` and, for 422, each `errors[].message` or `code`. */
function githubMessage(error: OctokitRequestError): string {
  const data = error.response?.data as
    | { message?: string; errors?: ({ message?: string; code?: string; field?: string; resource?: string } | string)[] }
    | undefined;
  const parts = [data?.message ?? error.message];
  for (const item of data?.errors ?? []) {
    if (typeof item === 'string') parts.push(item);
    else parts.push(item.message ?? [item.resource, item.field, item.code].filter(Boolean).join(' '));
  }
  return parts.filter(Boolean).join('; ');
}

/**
 * Turns a failed GitHub request into an EnvironmentError that says what was being done, what GitHub answered
 * and what to do. `what` completes "GitHub refused to ...", e.g. "create the branch submission/x in you/repo".
 */
export function explainGitHubError(error: unknown, what: string): Error {
  if (!isRequestError(error)) {
    const cause = error as { message?: string; code?: string };
    if (cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || /fetch failed/.test(cause?.message ?? '')) {
      return new EnvironmentError(
        'GITHUB_UNREACHABLE',
        `cannot reach GitHub to ${what}: ${cause.message}; check the network or --api-url`,
        { cause: error },
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
  const said = githubMessage(error);
  const headers = error.response?.headers ?? {};
  switch (error.status) {
    case 401:
      return new EnvironmentError(
        'GITHUB_UNAUTHORIZED',
        `GitHub rejected the token while trying to ${what} (401 ${said}): GITHUB_TOKEN is wrong, revoked or ` +
          `expired; create a new one at https://github.com/settings/tokens`,
        { cause: error },
      );
    case 403:
      if (String(headers['x-ratelimit-remaining']) === '0') {
        return new EnvironmentError(
          'GITHUB_RATE_LIMITED',
          `GitHub's rate limit is exhausted (403 ${said}); try again after ` +
            `${new Date(Number(headers['x-ratelimit-reset']) * 1000).toISOString()}`,
          { cause: error },
        );
      }
      return new EnvironmentError(
        'GITHUB_FORBIDDEN',
        `GitHub refused to ${what} (403 ${said}): the token lacks a permission; it needs the public_repo scope ` +
          `(classic) or Contents: write and Pull requests: write (fine-grained)`,
        { cause: error },
      );
    case 404:
      return new EnvironmentError(
        'GITHUB_NOT_FOUND',
        `GitHub could not ${what} (404 ${said}): check the repository name (--repo owner/name) and that the ` +
          `token can see it`,
        { cause: error },
      );
    case 409:
      return new EnvironmentError('GITHUB_CONFLICT', `GitHub could not ${what} (409 ${said}); try again in a minute`, {
        cause: error,
      });
    case 422:
      return new EnvironmentError('GITHUB_REJECTED', `GitHub rejected the request to ${what} (422 ${said})`, {
        cause: error,
      });
    default:
      return new EnvironmentError('GITHUB_ERROR', `GitHub failed to ${what} (${error.status} ${said})`, {
        cause: error,
      });
  }
}

/** Runs one GitHub call and explains its failure (see explainGitHubError). */
export async function step<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainGitHubError(error, what);
  }
}

/** The HTTP status of a failed Octokit request, or undefined for anything else. */
export function statusOf(error: unknown): number | undefined {
  return isRequestError(error) ? error.status : undefined;
}

/** Parses `owner/name` (GitHub's rules: owner 1-39 of [A-Za-z0-9-], name of [A-Za-z0-9._-]). */
export function parseRepository(value: string): { owner: string; repo: string } | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(value.trim());
  if (!match || match[2] === '.' || match[2] === '..') return undefined;
  return { owner: match[1], repo: match[2].replace(/\.git$/, '') };
}
