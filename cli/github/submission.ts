// Opens a pull request that adds one submission folder, entirely through the REST API, for people who don't use
// git: fork (if needed), branch, commit the files through the Git data API (blobs, tree, commit, ref), pull
// request. GitHub REST docs: "Git database" (docs.github.com/rest/git) and "Forks" (forks are created
// asynchronously: the API answers 202 and the fork's git data appears a little later).
import { EnvironmentError } from '../command.ts';
import { explainGitHubError, statusOf, step, type GitHub } from './client.ts';

export interface SubmissionFile {
  /** Path inside the submission folder, e.g. entry.yaml. */
  name: string;
  content: string;
}

export interface OpenSubmissionOptions {
  /** The upstream repository that holds the catalogue. */
  owner: string;
  repo: string;
  /** The submission's folder name (archive/submissions/<name>/). */
  name: string;
  files: readonly SubmissionFile[];
  /** Folder of the catalogue in the repository (default archive). */
  catalogPath?: string;
  title: string;
  body: string;
  /** How long to wait for a new fork: attempts (default 30) and pause between them (ms, default 2000). */
  forkWait?: { attempts?: number; intervalMs?: number };
  /** Progress, one line at a time (default: nothing). */
  progress?: (line: string) => void;
}

export interface OpenedSubmission {
  number: number;
  url: string;
  /** Where the branch is: the user's fork, or the upstream itself when the user owns it. */
  head: { owner: string; repo: string; branch: string };
  commit: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openSubmission(github: GitHub, options: OpenSubmissionOptions): Promise<OpenedSubmission> {
  const say = options.progress ?? (() => {});
  const upstream = `${options.owner}/${options.repo}`;
  const folder = `${options.catalogPath ?? 'archive'}/submissions/${options.name}`;

  const { data: user } = await step("identify the token's user", () => github.rest.users.getAuthenticated());
  const { data: repository } = await step(`read the repository ${upstream}`, () =>
    github.rest.repos.get({ owner: options.owner, repo: options.repo }),
  );
  const base = repository.default_branch;

  // A submission with the same name upstream would be overwritten: refuse before anything is created.
  try {
    await github.rest.repos.getContent({ owner: options.owner, repo: options.repo, path: folder, ref: base });
    throw new EnvironmentError(
      'SUBMISSION_EXISTS',
      `${upstream} already has ${folder}/; choose another name with --name`,
    );
  } catch (error) {
    if (error instanceof EnvironmentError) throw error;
    if (statusOf(error) !== 404) throw explainGitHubError(error, `look for ${folder} in ${upstream}`);
  }

  // The user's own repository takes the branch directly; anyone else works in a fork.
  let head = { owner: options.owner, repo: options.repo };
  if (user.login.toLowerCase() !== options.owner.toLowerCase()) {
    say(`forking ${upstream} (or finding your fork)...`);
    const { data: fork } = await step(`fork ${upstream}`, () =>
      github.rest.repos.createFork({ owner: options.owner, repo: options.repo, default_branch_only: true }),
    );
    head = { owner: fork.owner.login, repo: fork.name };
    await waitForBranch(github, head, base, options.forkWait);
    // An older fork may lag behind; bring its default branch up to date (a fork that diverged stays as it is:
    // the pull request is then compared from the common ancestor, which is fine for a new folder).
    await github.rest.repos.mergeUpstream({ owner: head.owner, repo: head.repo, branch: base }).catch(() => undefined);
  }
  const where = `${head.owner}/${head.repo}`;

  const { data: ref } = await step(`read the branch ${base} of ${where}`, () =>
    github.rest.git.getRef({ owner: head.owner, repo: head.repo, ref: `heads/${base}` }),
  );
  const parent = ref.object.sha;
  const { data: parentCommit } = await step(`read commit ${parent} of ${where}`, () =>
    github.rest.git.getCommit({ owner: head.owner, repo: head.repo, commit_sha: parent }),
  );

  say(`uploading ${options.files.length} file(s) to ${where}...`);
  const tree: { path: string; mode: '100644'; type: 'blob'; sha: string }[] = [];
  for (const file of options.files) {
    const { data: blob } = await step(`upload ${file.name} to ${where}`, () =>
      github.rest.git.createBlob({
        owner: head.owner,
        repo: head.repo,
        content: Buffer.from(file.content, 'utf8').toString('base64'),
        encoding: 'base64',
      }),
    );
    tree.push({ path: `${folder}/${file.name}`, mode: '100644' as const, type: 'blob' as const, sha: blob.sha });
  }
  const { data: newTree } = await step(`create the tree in ${where}`, () =>
    github.rest.git.createTree({ owner: head.owner, repo: head.repo, base_tree: parentCommit.tree.sha, tree }),
  );
  const { data: commit } = await step(`create the commit in ${where}`, () =>
    github.rest.git.createCommit({
      owner: head.owner,
      repo: head.repo,
      message: `Submit ${options.name}: ${options.title}`.slice(0, 250),
      tree: newTree.sha,
      parents: [parent],
    }),
  );

  // The branch: submission/<name>, or submission/<name>-2... when an earlier attempt left one behind.
  let branch = '';
  for (let n = 1; n <= 20 && !branch; n++) {
    const candidate = n === 1 ? `submission/${options.name}` : `submission/${options.name}-${n}`;
    try {
      await github.rest.git.createRef({
        owner: head.owner,
        repo: head.repo,
        ref: `refs/heads/${candidate}`,
        sha: commit.sha,
      });
      branch = candidate;
    } catch (error) {
      if (statusOf(error) !== 422) throw explainGitHubError(error, `create the branch ${candidate} in ${where}`);
    }
  }
  if (!branch)
    throw new EnvironmentError(
      'BRANCH_EXISTS',
      `branches submission/${options.name} to submission/${options.name}-20 all exist in ${where}; delete old ones`,
    );

  say(`opening the pull request from ${where}:${branch}...`);
  const { data: pull } = await step(`open a pull request on ${upstream}`, () =>
    github.rest.pulls.create({
      owner: options.owner,
      repo: options.repo,
      title: options.title,
      body: options.body,
      head: head.owner === options.owner ? branch : `${head.owner}:${branch}`,
      base,
      maintainer_can_modify: true,
    }),
  );
  return { number: pull.number, url: pull.html_url, head: { ...head, branch }, commit: commit.sha };
}

/** Waits until a (new) fork has its default branch; GitHub creates forks in the background. */
async function waitForBranch(
  github: GitHub,
  repo: { owner: string; repo: string },
  branch: string,
  wait: OpenSubmissionOptions['forkWait'] = {},
): Promise<void> {
  const attempts = wait.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    try {
      await github.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
      return;
    } catch (error) {
      // 404 or 409 ("Git Repository is empty") while the fork is being copied.
      const status = statusOf(error);
      if ((status !== 404 && status !== 409) || attempt >= attempts) {
        throw explainGitHubError(
          error,
          `read the new fork ${repo.owner}/${repo.repo} (it may still be being created; run submit again in a minute)`,
        );
      }
    }
    await sleep(wait.intervalMs ?? 2000);
  }
}
