// The command registry: `--help` and `check` load neither the S3 SDK nor Astro, every command's usage is
// rendered from its definitions, and every row of the README's command table still runs.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { defineCommand, isGroup, parseCommandArgs, UsageError } from '../../cli/command.ts';
import type { AnyCommandDef, ArgsDef } from '../../cli/command.ts';
import { commands } from '../../cli/commands/index.ts';
import { main } from '../../cli/main.ts';
import { renderUsage } from '../../cli/usage.ts';

const run = promisify(execFile);
const repository = new URL('../../', import.meta.url).pathname;
const cli = join(repository, 'cli', 'catalogue.mjs');
const tracer = join(import.meta.dirname, 'fixtures', 'trace-modules.mjs');
const catalog = join(import.meta.dirname, '..', 'catalog', 'fixtures', 'submissions', 'valid');

/** The module URLs a run of the command line resolved. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const out = join(await mkdtemp(join(tmpdir(), 'catalogue-trace-')), 'modules.txt');
  await run(process.execPath, ['--import', tracer, cli, ...args], {
    env: { ...process.env, TRACE_MODULES_OUT: out },
  }).catch((error: { code?: number }) => {
    if (typeof error.code !== 'number') throw error;
  });
  return (await readFile(out, 'utf8')).trim().split('\n');
}

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as NodeJS.WritableStream;
  const code = await main(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr };
}

/** Every runnable definition, by its path on the command line: `check`, `mirror sync`... */
async function definitions(): Promise<Array<[string, AnyCommandDef]>> {
  const all: Array<[string, AnyCommandDef]> = [];
  for (const [name, entry] of Object.entries(commands)) {
    const command = (await entry.load()).default;
    if (!isGroup(command)) all.push([name, command]);
    else for (const [sub, def] of Object.entries(command.subCommands)) all.push([`${name} ${sub}`, def]);
  }
  return all;
}

describe('lazy commands', () => {
  const heavy = (url: string) => /node_modules\/(@aws-sdk|astro)\//.test(url);

  it('--help imports no command and neither the S3 SDK nor Astro', async () => {
    const loaded = await modulesLoadedBy(['--help']);
    const commandFiles = loaded.filter((url) => url.includes('/cli/commands/'));
    expect(commandFiles).toEqual([expect.stringMatching(/\/cli\/commands\/index\.ts$/)]);
    expect(loaded.filter(heavy)).toEqual([]);
  });

  it('check imports only its own command and neither the S3 SDK nor Astro', async () => {
    const loaded = await modulesLoadedBy(['check', '--catalog', catalog]);
    const commandFiles = loaded.filter((url) => url.includes('/cli/commands/')).map((url) => url.split('/').pop());
    expect(commandFiles.sort()).toEqual(['check.ts', 'index.ts']);
    expect(loaded.filter(heavy)).toEqual([]);
  });

  it('a storage command does load the S3 SDK (the trace sees it)', async () => {
    const loaded = await modulesLoadedBy(['mirror', 'status', '--catalog', catalog]);
    expect(loaded.some(heavy)).toBe(true);
  });
});

describe('usage from the definitions', () => {
  it('`catalogue <command> --help` lists every option and argument of the definition', async () => {
    for (const [path, definition] of await definitions()) {
      const { code, stdout } = await capture([...path.split(' '), '--help']);
      expect(code, path).toBe(0);
      expect(stdout.startsWith(`Usage: catalogue ${path}`), path).toBe(true);
      for (const [name, arg] of Object.entries(definition.args as ArgsDef)) {
        expect(stdout, `${path} ${name}`).toContain(arg.type === 'positional' ? name : `--${name}`);
        expect(stdout, `${path} ${name}`).toContain(arg.description.split('\n')[0]);
      }
    }
  });

  it('a group shows its subcommands, and names them when none is given', async () => {
    const help = await capture(['manifest', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: catalogue manifest <create\|verify>/);
    expect(help.stdout).toContain('Usage: catalogue manifest verify <manifest> [options]');
    const none = await capture(['mirror']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give a subcommand: sync, verify, repair or status');
    const unknown = await capture(['manifest', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'frobnicate'");
  });

  it('renders placeholders, repeated options, positionals and continuation lines', () => {
    const command = defineCommand({
      meta: { name: 'demo', summary: 'a demo', description: 'What it does.' },
      args: {
        paths: { type: 'positional', multiple: true, description: 'the paths' },
        out: { type: 'string', value: 'DIR', description: 'where to write\nsecond line' },
        tag: { type: 'string', multiple: true, description: 'a tag' },
        quiet: { type: 'boolean', description: 'say less' },
      },
      run: async () => 0,
    });
    expect(renderUsage('demo', command)).toBe(
      [
        'Usage: catalogue demo [paths]... [options]',
        '',
        'a demo',
        '',
        'What it does.',
        '',
        'Arguments:',
        '  [paths]...  the paths',
        '',
        'Options:',
        '  --out DIR       where to write',
        '                  second line',
        '  --tag VALUE...  a tag',
        '  --quiet         say less',
        '',
        'Options for every command: --catalog DIR, --json, --help.',
        '',
      ].join('\n'),
    );
  });

  it('parses by the same definitions: unknown options and undeclared positionals are usage errors', () => {
    const args = { out: { type: 'string', description: 'd' }, all: { type: 'boolean', description: 'd' } } as const;
    const parsed = parseCommandArgs(['--out', 'x', '--all'], args);
    expect(parsed).toEqual({ values: { out: 'x', all: true }, positionals: [] });
    expect(() => parseCommandArgs(['--colour'], args)).toThrow(UsageError);
    expect(() => parseCommandArgs(['stray'], args)).toThrow(UsageError);
    const withDefault = { format: { type: 'string', default: 'plain', description: 'd' } } as const;
    expect(parseCommandArgs([], withDefault).values.format).toBe('plain');
  });
});

describe('the README command table', () => {
  it('every command and option it names is one the command line knows', async () => {
    const readme = await readFile(join(repository, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| Command | What it does |')).split('\n\n')[0];
    const rows = table.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(10);
    let checked = 0;
    for (const row of rows) {
      const cell = row.split(' | ')[0];
      for (const [, span] of cell.matchAll(/`([^`]+)`/g)) {
        const [name, ...rest] = span.split(' ');
        const command = (await commands[name].load()).default;
        const options = rest.filter((t) => /^\[?--/.test(t)).map((t) => t.replace(/^\[/, '').replace(/\]$/, ''));
        // `manifest create / verify` names two subcommands of a group; `accession mint` is an argument.
        const subs = isGroup(command) ? rest.filter((t) => /^[a-z]+$/.test(t)) : [];
        for (const path of subs.length ? subs.map((sub) => [name, sub]) : [[name]]) {
          const { code, stdout } = await capture([...path, '--help']);
          expect(code, span).toBe(0);
          expect(stdout, span).toContain(`Usage: catalogue ${path.join(' ')}`);
          for (const option of options) expect(stdout, `${span}: ${option}`).toContain(option);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(rows.length);
  });
});
