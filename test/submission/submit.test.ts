// `catalogue submit` against a stand-in GitHub that checks every request against GitHub's OpenAPI description.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, copyInvalidCase, expectedProblemLine, runCli } from './helpers.ts';
import { startFakeGitHub, type FakeGitHub } from './github-server.ts';

const upstream = 'bioimage/catalogue';
let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub({
    tokens: {
      'token-ada': { login: 'ada' },
      'token-owner': { login: 'bioimage' },
      'token-readonly': { login: 'ada', readOnly: true },
    },
    forkDelay: 1,
  });
  github.addRepository(upstream, { 'README.md': '# catalogue\n', 'archive/accessions.tsv': '# accession\n' });
}, 60_000);
afterAll(() => github?.close());
afterEach(() => {
  // Every request of every test must be one GitHub documents.
  expect(github.violations).toEqual([]);
});

const submit = (
  folder: string,
  extra: string[] = [],
  env: Record<string, string | undefined> = { GITHUB_TOKEN: 'token-ada' },
) =>
  runCli(['submit', folder, '--repo', upstream, '--api-url', github.url, ...extra], {
    GH_TOKEN: undefined,
    CATALOGUE_TODAY: '2025-06-01',
    ...env,
  });

describe('catalogue submit', () => {
  it('forks, commits entry.yaml and manifest.json on a branch and opens a pull request with a checklist', async () => {
    const folder = await copyFixture('valid/ribosome-complex-tem');
    const result = await submit(folder, ['--json']);
    expect(result.stderr).toContain('forking bioimage/catalogue');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      submitted: true,
      number: 1,
      branch: 'ada/catalogue:submission/ribosome-complex-tem',
    });

    const fork = github.repositories.get('ada/catalogue')!;
    expect(fork.parent).toBe(upstream);
    const files = github.filesAt(fork.refs.get('refs/heads/submission/ribosome-complex-tem')!);
    expect(files.get('archive/submissions/ribosome-complex-tem/entry.yaml')).toBe(
      await readFile(join(folder, 'entry.yaml'), 'utf8'),
    );
    expect(files.get('archive/submissions/ribosome-complex-tem/manifest.json')).toBe(
      await readFile(join(folder, 'manifest.json'), 'utf8'),
    );
    // The rest of the repository is kept (the tree is based on the branch's tree).
    expect(files.get('README.md')).toBe('# catalogue\n');

    const pull = github.repositories.get(upstream)!.pulls[0];
    expect(pull.head).toBe('ada:submission/ribosome-complex-tem');
    expect(pull.base).toBe('main');
    expect(pull.title).toBe('Submission: Transmission electron microscopy of stress and polarity in ribosome complex');
    expect(pull.body).toContain('- [ ] The files listed in manifest.json are uploaded where the manifest says.');
    expect(pull.body).toContain('archive/submissions/ribosome-complex-tem/');
    // The calls went through the Git data API, in order.
    const operations = github.requests.map((r) => r.operationId);
    expect(operations).toEqual(
      expect.arrayContaining([
        'repos/create-fork',
        'git/create-blob',
        'git/create-tree',
        'git/create-commit',
        'git/create-ref',
        'pulls/create',
      ]),
    );
  });

  it('reuses the fork and picks a new branch name when the first one exists', async () => {
    const folder = await copyFixture('valid/ribosome-complex-tem', 'ribosome-complex-tem-2');
    const first = await submit(folder);
    expect(first.code).toBe(0);
    const again = await submit(folder, ['--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).branch).toBe('ada/catalogue:submission/ribosome-complex-tem-2-2');
  });

  it('works in the upstream itself, without a fork, for its owner', async () => {
    const folder = await copyFixture('valid/ribosome-complex-tem', 'owner-submission');
    const result = await submit(folder, ['--json'], { GITHUB_TOKEN: 'token-owner' });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).branch).toBe('bioimage/catalogue:submission/owner-submission');
    expect(github.repositories.get(upstream)!.pulls.at(-1)!.head).toBe('bioimage:submission/owner-submission');
  });

  it('refuses a name that upstream already has', async () => {
    github.addRepository('other/catalogue', { 'archive/submissions/taken-name/entry.yaml': 'x' });
    const folder = await copyFixture('valid/ribosome-complex-tem', 'taken-name');
    const result = await runCli(['submit', folder, '--repo', 'other/catalogue', '--api-url', github.url], {
      GITHUB_TOKEN: 'token-ada',
      CATALOGUE_TODAY: '2025-06-01',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'other/catalogue already has archive/submissions/taken-name/; choose another name with --name',
    );
  });

  it('--dry-run validates and sends nothing', async () => {
    const before = github.requests.length;
    const result = await submit(await copyFixture('valid/ribosome-complex-tem'), ['--dry-run'], {
      GITHUB_TOKEN: undefined,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid. Would open on bioimage/catalogue');
    expect(github.requests.length).toBe(before);
  });
});

describe('catalogue submit --data (manifest built by storage/manifest.ts)', () => {
  it('builds manifest.json from the data folder, validates it and submits it', async () => {
    const folder = await copyInvalidCase('manifest-missing', 'built-manifest');
    const data = join(dirname(folder), 'data');
    await mkdir(join(data, 'images'), { recursive: true });
    await writeFile(join(data, 'images', 'cell_001.tif'), Buffer.from('II*\0 synthetic tiff bytes'));
    const result = await submit(folder, ['--data', data, '--json']);
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8'));
    expect(manifest.location).toEqual({ mirror: 'local', prefix: 'submissions/built-manifest/' });
    expect(manifest.files).toMatchObject([{ path: 'images/cell_001.tif', size: 25 }]);
    const fork = github.repositories.get('ada/catalogue')!;
    const files = github.filesAt(fork.refs.get('refs/heads/submission/built-manifest')!);
    expect(JSON.parse(files.get('archive/submissions/built-manifest/manifest.json')!)).toEqual(manifest);
  });

  it('refuses to overwrite an existing manifest, and reports data files a manifest cannot list', async () => {
    const existing = await submit(await copyFixture('valid/ribosome-complex-tem', 'has-manifest'), ['--data', '.']);
    expect(existing.code).toBe(2);
    expect(existing.stderr).toContain('already has manifest.json');
    const folder = await copyInvalidCase('manifest-missing', 'bad-data');
    const data = join(dirname(folder), 'data');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'bad name?.tif'), 'x');
    const before = github.requests.length;
    const result = await submit(folder, ['--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad name\?\.tif: [A-Z_]+ /);
    expect(result.stderr).toContain('nothing was written or sent');
    expect(github.requests.length).toBe(before);
  });
});

describe('catalogue submit: failures', () => {
  it('says how to get a token when GITHUB_TOKEN is missing', async () => {
    const result = await submit(await copyFixture('valid/ribosome-complex-tem'), [], { GITHUB_TOKEN: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('catalogue submit: no GitHub token: set GITHUB_TOKEN');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  const rules = [
    'orcid-check-digit',
    'manifest-missing',
    'yaml-syntax',
    'accession-in-submission',
    'manifest-path-traversal',
  ];
  for (const rule of rules) {
    it(`rejects an invalid submission (${rule}) with its file, line and field, and sends nothing`, async () => {
      const expected = await expectedProblemLine(rule);
      const before = github.requests.length;
      const result = await submit(await copyInvalidCase(rule));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${rule}/${expected}`);
      expect(result.stderr).toContain('nothing was sent');
      expect(github.requests.length).toBe(before);
    });
  }

  it('explains a rejected token (401)', async () => {
    const result = await submit(await copyFixture('valid/ribosome-complex-tem'), [], { GITHUB_TOKEN: 'not-a-token' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "GitHub rejected the token while trying to identify the token's user (401 Bad credentials)",
    );
  });

  it('explains a missing permission (403)', async () => {
    const result = await submit(await copyFixture('valid/ribosome-complex-tem', 'readonly-attempt'), [], {
      GITHUB_TOKEN: 'token-readonly',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        String.raw`GitHub refused to fork bioimage\/catalogue \(403 Resource not accessible by ` +
          String.raw`personal access token\): the token lacks a permission`,
      ),
    );
  });

  it("explains a rejected pull request (422) with GitHub's own reason", async () => {
    github.failNext('pulls/create', 422, 'Validation Failed', [
      { resource: 'PullRequest', code: 'custom', message: 'No commits between main and submission/x' },
    ]);
    const result = await submit(await copyFixture('valid/ribosome-complex-tem', 'rejected-pull'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'GitHub rejected the request to open a pull request on bioimage/catalogue (422 ' +
        'Validation Failed; No commits between main and submission/x)',
    );
  });

  it('explains an unknown repository (404)', async () => {
    const result = await runCli(
      ['submit', await copyFixture('valid/ribosome-complex-tem'), '--repo', 'nobody/nothing', '--api-url', github.url],
      { GITHUB_TOKEN: 'token-ada', CATALOGUE_TODAY: '2025-06-01' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GitHub could not read the repository nobody/nothing (404 Not Found)');
  });

  it('refuses entry.yaml or manifest.json as a symbolic link or a FIFO, without waiting on it', async () => {
    const linked = await copyFixture('valid/ribosome-complex-tem', 'linked-entry');
    await rename(join(linked, 'entry.yaml'), join(dirname(linked), 'elsewhere.yaml'));
    await symlink(join(dirname(linked), 'elsewhere.yaml'), join(linked, 'entry.yaml'));
    const link = await submit(linked, ['--dry-run']);
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('entry.yaml is a symbolic link; put the file itself there');
    const fifo = await copyFixture('valid/ribosome-complex-tem', 'fifo-manifest');
    await rename(join(fifo, 'manifest.json'), join(dirname(fifo), 'fifo-manifest.json'));
    execFileSync('mkfifo', [join(fifo, 'manifest.json')]);
    const special = await submit(fifo, ['--dry-run']);
    expect(special.code).toBe(2);
    expect(special.stderr).toContain('manifest.json is not a regular file');
  }, 20_000);

  it('rejects a folder name that cannot name a submission, and a bad --repo', async () => {
    const bad = await runCli(['submit', await copyFixture('valid/ribosome-complex-tem', 'Bad_Name')], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'Bad_Name' cannot name a submission");
    const repo = await runCli(
      ['submit', await copyFixture('valid/ribosome-complex-tem'), '--repo', 'not a repo', '--dry-run'],
      {},
    );
    expect(repo.code).toBe(2);
    expect(repo.stderr).toContain("'not a repo' is not a GitHub repository");
  });
});
