// `catalogue harvest --pr`: proposes a harvest's changes as one pull request, through the REST API (the Git data
// API, as cli/github/submission.ts does for submissions): blobs, a tree on top of the default branch, a commit, a
// branch harvest/<partner>-<time> in the repository itself, then the pull request, where CI runs the catalogue's
// checks on the harvested records. The branch goes to the repository rather than a fork: harvests are run by the
// catalogue's maintainers or its scheduled workflow, whose token may write to it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { harvestedDir } from '../../catalog/layout.ts';
import { EnvironmentError } from '../command.ts';
import { explainGitHubError, statusOf, step, type GitHub } from './client.ts';

export interface PullRequestFile {
  /** Path in the repository, '/'-separated. */
  path: string;
  content: string;
}

export interface OpenHarvestPullRequestOptions {
  owner: string;
  repo: string;
  /** Branch name without the refs/heads/ prefix; a suffix -2, -3... is added when it exists. */
  branch: string;
  files: readonly PullRequestFile[];
  title: string;
  body: string;
  commitMessage: string;
  /** Blob uploads at once (default 4: enough to hide latency, few enough for GitHub's secondary rate limits). */
  concurrency?: number;
  progress?: (line: string) => void;
}

export interface OpenedPullRequest {
  number: number;
  url: string;
  branch: string;
  commit: string;
}

/** Commits `files` on a new branch from the default branch of owner/repo and opens a pull request for it. */
export async function openHarvestPullRequest(
  github: GitHub,
  options: OpenHarvestPullRequestOptions,
): Promise<OpenedPullRequest> {
  const say = options.progress ?? (() => {});
  const { owner, repo } = options;
  const where = `${owner}/${repo}`;
  const { data: repository } = await step(`read the repository ${where}`, () => github.rest.repos.get({ owner, repo }));
  const base = repository.default_branch;
  const { data: ref } = await step(`read the branch ${base} of ${where}`, () =>
    github.rest.git.getRef({ owner, repo, ref: `heads/${base}` }),
  );
  const parent = ref.object.sha;
  const { data: parentCommit } = await step(`read commit ${parent} of ${where}`, () =>
    github.rest.git.getCommit({ owner, repo, commit_sha: parent }),
  );

  say(`uploading ${options.files.length} file(s) to ${where}...`);
  const tree: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = new Array(options.files.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < options.files.length; i = next++) {
      const file = options.files[i];
      const { data: blob } = await step(`upload ${file.path} to ${where} (the token needs Contents: write on it)`, () =>
        github.rest.git.createBlob({
          owner,
          repo,
          content: Buffer.from(file.content, 'utf8').toString('base64'),
          encoding: 'base64',
        }),
      );
      tree[i] = { path: file.path, mode: '100644', type: 'blob', sha: blob.sha };
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, options.files.length) }, worker));
  const { data: newTree } = await step(`create the tree in ${where}`, () =>
    github.rest.git.createTree({ owner, repo, base_tree: parentCommit.tree.sha, tree }),
  );
  const { data: commit } = await step(`create the commit in ${where}`, () =>
    github.rest.git.createCommit({ owner, repo, message: options.commitMessage, tree: newTree.sha, parents: [parent] }),
  );

  let branch = '';
  for (let n = 1; n <= 20 && !branch; n++) {
    const candidate = n === 1 ? options.branch : `${options.branch}-${n}`;
    try {
      await github.rest.git.createRef({ owner, repo, ref: `refs/heads/${candidate}`, sha: commit.sha });
      branch = candidate;
    } catch (error) {
      // 422: the branch exists (an earlier run in the same second); anything else is a real failure.
      if (statusOf(error) !== 422)
        throw explainGitHubError(
          error,
          `create the branch ${candidate} in ${where} (the token needs Contents: write on it)`,
        );
    }
  }
  if (!branch)
    throw new EnvironmentError(
      'BRANCH_EXISTS',
      `branches ${options.branch} to ${options.branch}-20 all exist in ${where}; delete old ones`,
    );

  say(`opening the pull request from ${branch}...`);
  const { data: pull } = await step(
    `open a pull request on ${where} (the token needs Pull requests: write on it)`,
    () =>
      github.rest.pulls.create({
        owner,
        repo,
        title: options.title,
        body: options.body,
        head: branch,
        base,
        maintainer_can_modify: true,
      }),
  );
  return { number: pull.number, url: pull.html_url, branch, commit: commit.sha };
}

/**
 * The files a harvest run changed: records under harvested/<partner>/ written since `since` (the harvest writes a
 * record only when it changed or arrived again), and the extra files named (the harvest state and log), as
 * repository paths under `catalogPath`. Files are read as they are on disk; nothing outside the catalogue is read.
 */
export async function harvestChanges(
  catalog: string,
  partner: string,
  since: Date,
  extra: readonly string[],
  catalogPath: string,
): Promise<PullRequestFile[]> {
  const folder = join(catalog, harvestedDir, partner);
  const names = (await readdir(folder).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort();
  const paths: string[] = [];
  // mtime has the file system's resolution (1 s on some); a second of slack only adds files the run rewrote anyway.
  const after = since.getTime() - 1000;
  for (const name of names) {
    const info = await stat(join(folder, name));
    if (info.isFile() && info.mtimeMs >= after) paths.push(join(folder, name));
  }
  for (const file of extra)
    if (
      await stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      paths.push(file);
  return Promise.all(
    paths.map(async (path) => ({
      path: `${catalogPath}/${relative(catalog, path).split(sep).join('/')}`,
      content: await readFile(path, 'utf8'),
    })),
  );
}
