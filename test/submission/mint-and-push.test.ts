// scripts/mint-and-push.sh, the retry loop of mint.yml, against a real bare repository with several clones:
// merges close together must never end with the same accession twice.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cp, mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtures, repositoryRoot } from './helpers.ts';

const exec = promisify(execFile);
const script = join(repositoryRoot, 'scripts', 'mint-and-push.sh');
const identity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.org',
};
const env = {
  ...process.env,
  ...identity,
  NODE: process.execPath,
  PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
  CATALOGUE_TODAY: '2025-06-01',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

const git = (cwd: string, ...args: string[]) => exec('git', args, { cwd, env }).then((r) => r.stdout.trim());

let work: string;
let origin: string;

/** Adds a submission (the valid fixture under a new name) to a clone and pushes it: a merged pull request. */
async function merge(clone: string, name: string): Promise<void> {
  const folder = join(clone, 'archive', 'submissions', name);
  await cp(join(fixtures, 'valid', 'ribosome-complex-tem'), folder, { recursive: true });
  // A prefix belongs to exactly one record: each merged submission has its own.
  const manifest = join(folder, 'manifest.json');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace('submissions/ribosome-complex-tem/', `submissions/${name}/`),
  );
  await git(clone, 'add', 'archive');
  await git(
    clone,
    'commit',
    '-q',
    '-m',
    `Merge pull request #1 from ada/submission/${name}`,
    '-m',
    `Submission: ${name}`,
  );
  await git(clone, 'push', '-q', 'origin', 'HEAD:main');
}

async function clone(name: string): Promise<string> {
  const path = join(work, name);
  await git(work, 'clone', '-q', origin, path);
  return path;
}

function mint(cwd: string, extra: Record<string, string> = {}) {
  return exec('sh', [script], {
    cwd,
    env: { ...env, MINT_MESSAGE: 'Merge pull request #7 from ada/x\n\nSubmission: x', ...extra },
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

/** What main holds after the runs: ledger accessions, entry folders, submissions left. */
async function mainState(): Promise<{ ledger: string[]; sources: string[]; entries: string[]; submissions: string[] }> {
  const check = await clone(`check-${Date.now()}`);
  const lines = (await readFile(join(check, 'archive', 'accessions.tsv'), 'utf8'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
  const list = (path: string) => readdir(join(check, 'archive', path)).catch(() => [] as string[]);
  return {
    ledger: lines.map((l) => l.split('\t')[0]),
    sources: lines.map((l) => l.split('\t')[2]),
    entries: await list('entries'),
    submissions: await list('submissions'),
  };
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'mint-'));
  origin = join(work, 'origin.git');
  await git(work, 'init', '-q', '--bare', '-b', 'main', origin);
  const seed = join(work, 'seed');
  await git(work, 'clone', '-q', origin, seed);
  await mkdir(join(seed, 'archive'), { recursive: true });
  await writeFile(join(seed, 'archive', 'accessions.tsv'), '# accession\tminted\tsource\n');
  await git(seed, 'add', 'archive');
  await git(seed, 'commit', '-q', '-m', 'Empty catalogue');
  await git(seed, 'push', '-q', 'origin', 'HEAD:main');
});

describe('scripts/mint-and-push.sh', () => {
  it("mints, commits once and pushes; the version summary is the pull request's title", async () => {
    const seed = join(work, 'seed');
    await merge(seed, 'study-alpha');
    const runner = await clone('runner');
    const result = await mint(runner);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('minted BIC0000013 for submissions/study-alpha');
    expect(result.stdout).toMatch(/pushed [0-9a-f]+ to origin\/main \(attempt 1\)/);
    const state = await mainState();
    expect(state).toEqual({
      ledger: ['BIC0000013'],
      sources: ['submissions/study-alpha'],
      entries: ['BIC0000013'],
      submissions: [],
    });
    const log = await git(runner, 'log', '-1', '--format=%s%n%b', 'origin/main');
    expect(log).toBe('Mint accessions BIC0000013\nSubmission: x');
    // Nothing left to mint: a second run pushes nothing.
    const again = await mint(runner);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to mint');
  }, 60_000);

  it('starts again from a fresh origin/main when its push is rejected, and never reuses an accession', async () => {
    const seed = join(work, 'seed');
    await merge(seed, 'study-alpha');
    const stale = await clone('stale');
    // Another merge lands after the runner checked out main.
    await merge(seed, 'study-beta');
    const result = await mint(stale);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('the push was rejected (main moved on); minting again from a fresh origin/main');
    expect(result.stdout).toMatch(/\(attempt 2\)/);
    const state = await mainState();
    expect(state.ledger).toEqual(['BIC0000013', 'BIC0000021']);
    expect(state.sources.sort()).toEqual(['submissions/study-alpha', 'submissions/study-beta']);
    expect(state.entries.sort()).toEqual(['BIC0000013', 'BIC0000021']);
    expect(state.submissions).toEqual([]);
  }, 60_000);

  it('three runners for merges close together end with distinct accessions, each submission minted once', async () => {
    const seed = join(work, 'seed');
    await merge(seed, 'study-alpha');
    const first = await clone('first');
    await merge(seed, 'study-beta');
    const second = await clone('second');
    await merge(seed, 'study-gamma');
    const third = await clone('third');
    const results = await Promise.all([mint(first), mint(second), mint(third)]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const state = await mainState();
    expect(state.ledger).toHaveLength(3);
    expect(new Set(state.ledger).size).toBe(3);
    expect(state.sources.sort()).toEqual([
      'submissions/study-alpha',
      'submissions/study-beta',
      'submissions/study-gamma',
    ]);
    expect(state.entries.sort()).toEqual([...state.ledger].sort());
    expect(state.submissions).toEqual([]);
  }, 120_000);

  it("takes a pull request's title as the version summary verbatim, even when it " +
    'looks like an option or a command', async () => {
    const seed = join(work, 'seed');
    await merge(seed, 'study-alpha');
    const runner = await clone('runner');
    expect((await mint(runner)).code).toBe(0);
    await git(seed, 'pull', '-q', 'origin', 'main');
    const file = join(seed, 'archive', 'entries', 'BIC0000013', 'entry.yaml');
    const titles = [
      '--help',
      '-x',
      '--summary',
      '--json',
      '--catalog=/etc',
      '$(id) `id` ${HOME}',
      'it\'s "quoted" \\ here',
    ];
    for (const [i, title] of titles.entries()) {
      // A merged pull request that edits a released entry: mint gives it a new version with the title as summary.
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replace(/^( {2}title: .*?)( \(edit \d+\))?$/m, `$1 (edit ${i})`));
      await git(seed, 'commit', '-q', '-am', `Merge pull request #${i + 8} from ada/edit`, '-m', title);
      await git(seed, 'push', '-q', 'origin', 'HEAD:main');
      await git(runner, 'pull', '-q', 'origin', 'main');
      const result = await mint(runner, { MINT_MESSAGE: `Merge pull request #${i + 8} from ada/edit\n\n${title}` });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain('Usage:');
      expect(result.stdout).toMatch(/pushed [0-9a-f]+ to origin\/main/);
      await git(seed, 'pull', '-q', 'origin', 'main');
    }
    // A merge commit whose message also carries the description: the title line alone is the summary.
    await writeFile(file, (await readFile(file, 'utf8')).replace(/ \(edit \d+\)$/m, ' (edited)'));
    await git(
      seed,
      'commit',
      '-q',
      '-am',
      'Merge pull request #20 from ada/edit',
      '-m',
      'Fix the title\n--help\n$(id)',
    );
    await git(seed, 'push', '-q', 'origin', 'HEAD:main');
    await git(runner, 'pull', '-q', 'origin', 'main');
    expect(
      (await mint(runner, { MINT_MESSAGE: 'Merge pull request #20 from ada/edit\n\nFix the title\n--help\n$(id)' }))
        .code,
    ).toBe(0);
    await git(seed, 'pull', '-q', 'origin', 'main');
    const entry = parse(await readFile(file, 'utf8')) as { version: number; versions: { summary: string }[] };
    expect(entry.version).toBe(titles.length + 2);
    expect(entry.versions.map((v) => v.summary)).toEqual(['Initial release', ...titles, 'Fix the title']);
  }, 120_000);

  it('sends the push token to the remote only: minting never sees it and .git/config never holds it', async () => {
    const seed = join(work, 'seed');
    await merge(seed, 'study-alpha');
    const runner = await clone('runner');
    // A remote over HTTP that records what git sends and refuses it: the run gives up, having shown its header.
    const seen: (string | undefined)[] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(403).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    // A NODE that writes down the environment minting runs with, then runs Node.
    const witness = join(work, 'node-env.txt');
    const wrapper = join(work, 'node-witness.sh');
    await writeFile(wrapper, `#!/bin/sh\nenv > '${witness}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
    try {
      const { port } = server.address() as AddressInfo;
      await git(runner, 'remote', 'add', 'http', `http://127.0.0.1:${port}/catalogue.git`);
      const result = await mint(runner, {
        MINT_PUSH_TOKEN: 'secret-push-token',
        MINT_REMOTE: 'http',
        MINT_ATTEMPTS: '1',
        NODE: wrapper,
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('minted BIC0000013');
      expect(seen.length).toBeGreaterThan(0);
      for (const header of seen)
        expect(header).toBe(`basic ${Buffer.from('x-access-token:secret-push-token').toString('base64')}`);
      expect(await readFile(witness, 'utf8')).not.toContain('secret-push-token');
      expect(await readFile(join(runner, '.git', 'config'), 'utf8')).not.toContain('secret-push-token');
      // Without a token, git sends no header of its own.
      seen.length = 0;
      await git(runner, 'reset', '-q', '--hard', 'origin/main');
      expect((await mint(runner, { MINT_REMOTE: 'http', MINT_ATTEMPTS: '1' })).code).toBe(1);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((header) => header === undefined)).toBe(true);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a catch-up run (schedule or by hand: no merge message) mints what earlier ' +
    'runs left, then does nothing', async () => {
    const seed = join(work, 'seed');
    // Two merges whose runs never minted (one replaced while pending, one failed).
    await merge(seed, 'study-alpha');
    await merge(seed, 'study-beta');
    const runner = await clone('catch-up');
    const result = await mint(runner, { MINT_MESSAGE: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/pushed [0-9a-f]+ to origin\/main/);
    expect((await mainState()).submissions).toEqual([]);
    const head = await git(runner, 'rev-parse', 'origin/main');
    const again = await mint(runner, { MINT_MESSAGE: '' });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing to mint');
    await git(runner, 'fetch', '-q', 'origin');
    expect(await git(runner, 'rev-parse', 'origin/main')).toBe(head);
    expect(await git(runner, 'status', '--porcelain')).toBe('');
  }, 60_000);

  it('refuses to run on a working tree with uncommitted changes', async () => {
    const runner = await clone('dirty');
    await writeFile(join(runner, 'archive', 'accessions.tsv'), 'edited\n');
    const result = await mint(runner);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the working tree has uncommitted changes');
  }, 30_000);
});
