// The command line as a user meets it: exit codes 0 / 1 / 2, --json shapes, and never a stack trace for
// something the user did wrong.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = new URL('../../cli/catalogue.mjs', import.meta.url).pathname;
const fixtures = new URL('../catalog/fixtures/submissions/', import.meta.url).pathname;

async function catalogue(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, CATALOGUE_TODAY: '2026-06-01', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-cli-'));
  await cp(join(fixtures, 'valid', 'minimal-confocal'), join(root, 'submissions', 'minimal-confocal'), {
    recursive: true,
  });
  const minted = await catalogue(['accession', 'mint', '--catalog', root, '--date', '2026-01-02', '--json']);
  expect(minted.code).toBe(0);
  await cp(join(fixtures, 'valid', 'minimal-confocal'), join(root, 'submissions', 'embargoed'), { recursive: true });
  await writeFile(
    join(root, 'submissions', 'embargoed', 'entry.yaml'),
    (await import('node:fs'))
      .readFileSync(join(fixtures, 'valid', 'minimal-confocal', 'entry.yaml'), 'utf8')
      .replace('releaseDate: 2024-03-15', 'releaseDate: 2030-01-01'),
  );
  // A prefix belongs to exactly one record.
  await writeFile(
    join(root, 'submissions', 'embargoed', 'manifest.json'),
    (await import('node:fs'))
      .readFileSync(join(fixtures, 'valid', 'minimal-confocal', 'manifest.json'), 'utf8')
      .replace('submissions/minimal-confocal/', 'submissions/embargoed/'),
  );
  expect((await catalogue(['accession', 'mint', '--catalog', root, '--date', '2026-01-03'])).code).toBe(0);
});

describe('catalogue', () => {
  it('prints help and exits 0 with --help, 2 without a command', async () => {
    const help = await catalogue(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['check', 'list', 'show', 'accession', 'generate']) expect(help.stdout).toContain(command);
    expect((await catalogue([])).code).toBe(2);
  });

  it('exits 2 with the usage for an unknown command or option', async () => {
    const unknown = await catalogue(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badOption = await catalogue(['list', '--colour', 'red', '--catalog', root]);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('Usage: catalogue list');
    expect(badOption.stderr).not.toMatch(/\n\s+at /);
  });

  it('list --json prints accession, title, status, version and origin', async () => {
    const { code, stdout } = await catalogue(['list', '--json', '--catalog', root]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        accession: 'BIC0000013',
        title: 'Confocal images of mitochondrial networks in HeLa cells under starvation',
        status: 'live',
        version: 1,
        origin: null,
      },
      {
        accession: 'BIC0000021',
        title: 'Confocal images of mitochondrial networks in HeLa cells under starvation',
        status: 'embargoed',
        version: 1,
        origin: null,
      },
    ]);
  });

  it('show prints a record, and exits 1 for an accession that is not there', async () => {
    const shown = await catalogue(['show', 'BIC0000013', '--json', '--catalog', root]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).record.study.license).toBe('CC-BY-4.0');
    expect((await catalogue(['show', 'BIC0000099', '--catalog', root])).code).toBe(1);
  });

  it('check exits 1 on every kind of bad submission, one line per problem and no stack trace', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'catalogue-bad-'));
    await cp(join(fixtures, 'invalid'), join(bad, 'submissions'), {
      recursive: true,
      filter: (src) => !src.endsWith('expected.json'),
    });
    const { code, stdout, stderr } = await catalogue(['check', '--catalog', bad]);
    expect(code).toBe(1);
    expect(stdout + stderr).not.toMatch(/\n\s+at /);
    const lines = stdout.trim().split('\n');
    for (const line of lines)
      expect(line).toMatch(/^submissions\/[a-z0-9-]+\/(entry\.yaml|manifest\.json)(:\d+:\d+)? #\S* [A-Z_0-9]+ /);
    expect(lines.length).toBeGreaterThanOrEqual(36);
    const json = JSON.parse((await catalogue(['check', '--json', '--catalog', bad])).stdout);
    expect(json.errors).toBeGreaterThanOrEqual(36);
  });

  it('start exits 1, serving nothing, when a released entry has errors, as build does', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'catalogue-cli-broken-'));
    await cp(root, broken, { recursive: true });
    const listed = JSON.parse((await catalogue(['list', '--catalog', broken, '--json'])).stdout) as {
      accession: string;
      status: string;
    }[];
    const { accession } = listed.find((line) => line.status === 'live')!;
    const entry = join(broken, 'entries', accession, 'entry.yaml');
    await writeFile(entry, (await readFile(entry, 'utf8')).replace(/^ {2}title: .*$/m, '  title: Short'));
    const started = await catalogue(['start', '--catalog', broken, '--port', '0']);
    expect(started.code, started.stderr).toBe(1);
    expect(started.stderr).toMatch(new RegExp(`^entries/${accession}/entry\\.yaml:1:1 # RELEASED_ENTRY_INVALID `, 'm'));
    expect(started.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('accession verify checks the check digit', async () => {
    expect((await catalogue(['accession', 'verify', 'BIC0000013'])).code).toBe(0);
    expect((await catalogue(['accession', 'verify', 'BIC0000031'])).code).toBe(1);
  });

  it('exits 2, without a stack trace, when the catalogue folder is not a catalogue', async () => {
    const result = await catalogue(['withdraw', 'BIC0000013', '--reason', 'short', '--catalog', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('reason of at least 10 characters');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
