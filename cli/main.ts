// `catalogue`: one command line for the whole project. Global options: --catalog DIR, --json, --help.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { todayUtc } from '../catalog/dates.ts';
import { CatalogError, SourceFileError } from '../catalog/errors.ts';
import { formatProblem, sourceProblem } from '../catalog/problems.ts';
import { EnvironmentError, UsageError, type Command, type CommandContext } from './command.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
/** The repository's own catalogue. */
export const defaultCatalog = resolve(repositoryRoot, 'archive');

const commandsFolder = new URL('./commands/', import.meta.url);

/** The names of all commands: one file per command, cli/commands/<name>.ts. */
async function commandNames(): Promise<string[]> {
  return (await readdir(commandsFolder)).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
}

// Only the command that runs is imported: `check` must not pay for loading the S3 SDK or Astro.
async function loadCommand(name: string): Promise<Command | undefined> {
  if (!(await commandNames()).includes(name)) return undefined;
  return (await import(new URL(`${name}.ts`, commandsFolder).href)).default as Command;
}

async function loadCommands(): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  for (const name of await commandNames()) {
    const command = await loadCommand(name);
    if (command) commands.set(command.name, command);
  }
  return commands;
}

function helpText(commands: Map<string, Command>): string {
  const width = Math.max(...[...commands.keys()].map((n) => n.length));
  return [
    'Usage: catalogue <command> [options]',
    '',
    'Commands:',
    ...[...commands.values()].map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --catalog DIR  the catalogue to work on (default: the repository\'s archive/)',
    '  --json         machine-readable output',
    '  --help         help for a command: catalogue <command> --help',
    '',
    'Exit codes: 0 ok, 1 problems found, 2 usage or environment error.',
    '',
  ].join('\n');
}

/** Splits off the global options, which may stand anywhere on the line. */
function takeGlobalOptions(argv: string[]): { catalog?: string; json: boolean; help: boolean; rest: string[] } {
  const rest: string[] = [];
  let catalog: string | undefined;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--catalog') {
      catalog = argv[++i];
      if (!catalog) throw new UsageError('--catalog needs a folder');
    } else if (arg.startsWith('--catalog=')) catalog = arg.slice('--catalog='.length);
    else rest.push(arg);
  }
  return { catalog, json, help, rest };
}

export async function main(argv: string[], io: Pick<CommandContext, 'stdout' | 'stderr'> = process): Promise<number> {
  let globals: ReturnType<typeof takeGlobalOptions>;
  try {
    globals = takeGlobalOptions(argv);
  } catch (error) {
    io.stderr.write(`catalogue: ${(error as Error).message}\n`);
    return 2;
  }
  const [name, ...args] = globals.rest;
  if (!name) {
    (globals.help ? io.stdout : io.stderr).write(helpText(await loadCommands()));
    return globals.help ? 0 : 2;
  }
  const command = /^[a-z][a-z-]*$/.test(name) ? await loadCommand(name) : undefined;
  if (!command) {
    io.stderr.write(`catalogue: unknown command '${name}'.\n\n${helpText(await loadCommands())}`);
    return 2;
  }
  if (globals.help) {
    io.stdout.write(`${command.usage.trim()}\n`);
    return 0;
  }
  const context: CommandContext = {
    catalog: resolve(globals.catalog ?? process.env.CATALOGUE_DIR ?? defaultCatalog),
    json: globals.json,
    stdout: io.stdout,
    stderr: io.stderr,
    today: todayUtc(),
  };
  try {
    return await command.run(args, context);
  } catch (error) {
    // What a user did wrong gets a message, never a stack trace; a bug keeps its stack.
    if (error instanceof UsageError) {
      io.stderr.write(`catalogue ${name}: ${error.message}\n\n${command.usage.trim()}\n`);
      return 2;
    }
    if (error instanceof SourceFileError) {
      io.stderr.write(`catalogue ${name}: ${formatProblem(sourceProblem(error))}\n`);
      return 2;
    }
    if (error instanceof EnvironmentError || error instanceof CatalogError) {
      io.stderr.write(`catalogue ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
