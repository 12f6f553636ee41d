// `catalogue`: one command line for the whole project. Global options: --catalog DIR, --json, --help.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { todayUtc } from '../catalog/dates.ts';
import { isGroup, parseCommandArgs, UsageError } from './command.ts';
import type { AnyCommandDef, Command, CommandContext } from './command.ts';
import { commands } from './commands/index.ts';
import { reportError } from './errors.ts';
import { listChoices, renderGroupUsage, renderMainUsage, renderUsage } from './usage.ts';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
/** The repository's own catalogue. */
export const defaultCatalog = resolve(repositoryRoot, 'archive');

const mainUsage = () => renderMainUsage(Object.entries(commands).map(([name, entry]) => [name, entry.summary]));

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

type Selected =
  | { definition: AnyCommandDef; path: string; usage: string; args: string[] }
  | { definition?: undefined; usage: string; problem: string };

/**
 * The definition the line names: the command itself, or the subcommand a group's first argument names
 * (`catalogue mirror sync`); without one, the group's usage, which lists them all, and what is wrong.
 */
function selectDefinition(name: string, command: Command, summary: string, args: string[]): Selected {
  if (!isGroup(command)) return { definition: command, path: name, usage: renderUsage(name, command, summary), args };
  const [sub, ...rest] = args;
  if (sub !== undefined && Object.hasOwn(command.subCommands, sub)) {
    const definition = command.subCommands[sub];
    return { definition, path: `${name} ${sub}`, usage: renderUsage(`${name} ${sub}`, definition), args: rest };
  }
  const names = Object.keys(command.subCommands);
  const problem = sub === undefined ? `give a subcommand: ${listChoices(names)}` : `unknown subcommand '${sub}'`;
  return { usage: renderGroupUsage(name, command, summary), problem };
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
    (globals.help ? io.stdout : io.stderr).write(mainUsage());
    return globals.help ? 0 : 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr.write(`catalogue: unknown command '${name}'.\n\n${mainUsage()}`);
    return 2;
  }
  const selected = selectDefinition(name, (await entry.load()).default, entry.summary, args);
  if (globals.help) {
    io.stdout.write(selected.usage);
    return 0;
  }
  if (!selected.definition) {
    io.stderr.write(`catalogue ${name}: ${selected.problem}\n\n${selected.usage}`);
    return 2;
  }
  const { definition, path, usage } = selected;
  const context: CommandContext = {
    catalog: resolve(globals.catalog ?? process.env.CATALOGUE_DIR ?? defaultCatalog),
    json: globals.json,
    stdout: io.stdout,
    stderr: io.stderr,
    today: todayUtc(),
  };
  try {
    return await definition.run(parseCommandArgs(selected.args, definition.args), context);
  } catch (error) {
    // What a user did wrong gets a message, never a stack trace; a bug keeps its stack.
    const report = reportError(error);
    if (!report) throw error;
    io.stderr.write(`catalogue ${path}: ${report.message}\n${report.showUsage ? `\n${usage}` : ''}`);
    return report.exitCode;
  }
}
