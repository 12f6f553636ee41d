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
const workflow = async (name: string) => parse(await readFile(join(repositoryRoot, '.github', 'workflows', name), 'utf8')) as Workflow;

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; 'working-directory'?: string }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress'?: boolean }; jobs: Record<string, { permissions?: unknown; steps: Step[] }> }

const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

describe('workflows', () => {
  it('pass actionlint (scripts/lint-workflows.mjs)', async () => {
    const result = await run(process.execPath, [join(repositoryRoot, 'scripts', 'lint-workflows.mjs')], { cwd: repositoryRoot });
    expect(result.stderr).toBe('');
  }, 120_000);

  it('lint-workflows fails with actionlint\'s message on a broken workflow', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'workflow-')), 'broken.yml');
    await writeFile(file, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo fine\n      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n        run: echo both\n');
    const failure = await run(process.execPath, [join(repositoryRoot, 'scripts', 'lint-workflows.mjs'), file], { cwd: repositoryRoot }).then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/broken\.yml:10:9: this step is for running action since it contains at least one of "uses", "with" keys, but also contains "run" key .*\[syntax-check\]\n/);
    expect(failure?.stderr).toContain('lint-workflows: 1 problem(s) in 1 workflow(s).');
  }, 120_000);

  it('check.yml runs on pull_request with a read-only token and reports annotations, summary and comment', async () => {
    const check = await workflow('check.yml');
    expect(Object.keys(check.on)).toEqual(['pull_request']);
    expect(check.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(check.jobs)) expect(job.permissions).toBeUndefined();
    const script = steps(check).map((s) => s.run ?? '').join('\n');
    expect(script).toContain('git diff --name-only');
    expect(script).toContain('report --catalog archive');
    expect(script).toContain('--summary "$GITHUB_STEP_SUMMARY"');
    expect(steps(check).some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    // No checkout keeps a token in the PR's .git/config.
    for (const s of steps(check).filter((s) => s.uses?.startsWith('actions/checkout@'))) expect(s.with?.['persist-credentials']).toBe(false);
  });

  it('comment.yml may write to pull requests but never checks out or runs the pull request\'s code', async () => {
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
    expect(steps(comment).map((s) => s.run ?? '').join('\n')).toContain('scripts/post-comment.ts');
  });

  it('mint.yml mints on push to main in one queue that is never cancelled, through the retry script', async () => {
    const mint = await workflow('mint.yml');
    expect(mint.on.push).toMatchObject({ branches: ['main'] });
    expect(mint.permissions).toEqual({ contents: 'write' });
    expect(mint.concurrency?.['cancel-in-progress']).toBe(false);
    expect(mint.concurrency?.group).toBeTruthy();
    expect(steps(mint).map((s) => s.run ?? '').join('\n')).toContain('scripts/mint-and-push.sh');
  });
});
