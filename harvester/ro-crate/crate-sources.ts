// Where a partner's crates are listed: a list of URLs, a sitemap (sitemaps.org protocol 0.9) whose <loc> entries are
// the crates, or a folder of a GitHub repository read through the REST API (@octokit/rest, as GIDE search gathers
// the BioImage Archive's crates). Every request goes through http/node-fetch.ts, with its address policy and limits.
import { Octokit } from '@octokit/rest';
import { createNodeFetch } from '../../http/node-fetch.ts';
import { httpUrl } from '../crosswalks/common.ts';
import { HarvestError } from '../errors.ts';
import type { HttpClient } from '../http.ts';
import { cleanPartnerText } from '../partner-text.ts';
import { children, child, parseXml, textOf } from '../xml.ts';
import { defaultMaxCrateBytes } from './read-crate.ts';

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/** Sitemaps protocol 0.9: at most 50,000 URLs and 50 MB uncompressed per sitemap. */
const maxSitemapUrls = 50_000;

export type CrateSource =
  | { urls: string[] }
  | { sitemap: string }
  | { github: { owner: string; repo: string; path: string; ref?: string } };

/** One crate of a GitHub folder: its address for people, and the blob that holds it. */
export interface GitHubCrate {
  url: string;
  path: string;
  blob: string;
  size: number;
}

/** The crate URLs a sitemap lists (its <loc> entries, in order, each once). */
export async function sitemapCrateUrls(http: HttpClient, sitemapUrl: string): Promise<string[]> {
  const response = await http({ url: sitemapUrl });
  const { root } = parseXml(response.text, { maxBytes: 50 * 1024 * 1024, maxDepth: 16 });
  if (root.ns !== SITEMAP_NS || root.name !== 'urlset')
    throw new HarvestError(
      'SITEMAP_INVALID',
      `${cleanPartnerText(sitemapUrl, 300)} is not a sitemap: its root is <${cleanPartnerText(root.name, 40)}>, ` +
        `not <urlset> in ${SITEMAP_NS}`,
    );
  const urls = children(root, SITEMAP_NS, 'url')
    .map((u) => httpUrl(textOf(child(u, SITEMAP_NS, 'loc'))))
    .filter((u): u is string => u !== undefined);
  return [...new Set(urls)].slice(0, maxSitemapUrls);
}

export interface GitHubFolderOptions {
  /** REST API root (default https://api.github.com). */
  apiUrl?: string;
  /** A token raises GitHub's rate limit; public repositories need none. */
  token?: string;
  allowPrivateNetwork?: boolean;
  userAgent: string;
  maxBytes?: number;
}

export interface GitHubFolder {
  /** The commit the folder was read at. */
  commit: string;
  crates: GitHubCrate[];
  /** The crate's text, read from its blob. */
  read(crate: GitHubCrate): Promise<string>;
}

const crateFileName = /(^|[-_])ro-crate-metadata\.json$/;

/** Reads the commit at `ref` and, unless it is `knownCommit`, the crates of the folder at that commit. */
export async function readGitHubFolder(
  source: { owner: string; repo: string; path: string; ref?: string },
  options: GitHubFolderOptions,
  knownCommit?: string,
): Promise<GitHubFolder | { commit: string; unchanged: true }> {
  const maxBytes = options.maxBytes ?? defaultMaxCrateBytes;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: options.userAgent,
    // The API's answers are partner input too: the same address policy and size limits as every harvest request
    // (a folder listing of 1,000 files is ~400 KB of JSON).
    request: {
      fetch: createNodeFetch({ maxBytes: 16 * 1024 * 1024, allowPrivateNetwork: options.allowPrivateNetwork }),
    },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const { owner, repo } = source;
  const where = `github:${owner}/${repo}/${source.path}`;
  try {
    const ref = source.ref ?? (await octokit.rest.repos.get({ owner, repo })).data.default_branch;
    const { data: reference } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${ref}` });
    const commit = reference.object.sha;
    if (commit === knownCommit) return { commit, unchanged: true };
    // The commit's tree, listed whole (git trees API): the contents API lists at most 1,000 files of a folder, and
    // the BioImage Archive's folder holds more than 800 crates.
    const { data: commitData } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: commit });
    const { data: tree } = await octokit.rest.git.getTree({
      owner,
      repo,
      tree_sha: commitData.tree.sha,
      recursive: 'true',
    });
    if (tree.truncated)
      throw new HarvestError(
        'GITHUB_TREE_TRUNCATED',
        `${cleanPartnerText(where, 300)}: the repository is too large to list`,
      );
    const folder = source.path.replace(/^\/+|\/+$/g, '');
    if (
      folder &&
      !tree.tree.some((e) => e.path === folder && e.type === 'tree') &&
      !tree.tree.some((e) => e.path?.startsWith(`${folder}/`))
    )
      throw new HarvestError('GITHUB_NO_FOLDER', `${cleanPartnerText(where, 300)}: no such folder at ${commit}`);
    const crates = tree.tree
      .filter((e) => {
        if (e.type !== 'blob' || !e.path || !e.sha) return false;
        const slash = e.path.lastIndexOf('/');
        return (slash < 0 ? '' : e.path.slice(0, slash)) === folder && crateFileName.test(e.path.slice(slash + 1));
      })
      .map((e) => ({
        url: `https://github.com/${owner}/${repo}/blob/${ref}/${e.path!}`,
        path: e.path!,
        blob: e.sha!,
        size: e.size ?? 0,
      }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      commit,
      crates,
      async read(crate) {
        if (crate.size > maxBytes)
          throw new HarvestError('RESPONSE_TOO_LARGE', `${crate.path} is ${crate.size} bytes, above ${maxBytes}`);
        const { data } = await octokit.rest.git.getBlob({ owner, repo, file_sha: crate.blob });
        return data.encoding === 'base64' ? Buffer.from(data.content, 'base64').toString('utf8') : data.content;
      },
    };
  } catch (error) {
    if (error instanceof HarvestError) throw error;
    const status = (error as { status?: unknown }).status;
    throw new HarvestError(
      typeof status === 'number' ? `HTTP_${status}` : 'NETWORK',
      `${cleanPartnerText(where, 300)}: ${cleanPartnerText((error as Error).message, 300)}`,
      { cause: error },
    );
  }
}
