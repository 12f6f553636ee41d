// Usage text rendered from the command definitions (after citty's src/usage.ts): the options a command parses
// are the options its help lists, with one description each, never written twice.
import type { AnyCommandDef, ArgsDef, CommandGroup, OptionArg, PositionalArg } from './command.ts';

/** The options every command takes; main.ts splits them off before the command parses the rest. */
export const globalOptions: Array<[string, string]> = [
  ['--catalog DIR', "the catalogue to work on (default: the repository's archive/)"],
  ['--json', 'machine-readable output'],
  ['--help', 'help for a command: catalogue <command> --help'],
];

function optionLabel(name: string, arg: OptionArg): string {
  const value = arg.type === 'string' ? ` ${arg.value ?? 'VALUE'}` : '';
  return `--${name}${value}${arg.multiple ? '...' : ''}`;
}

function positionalLabel(name: string, arg: PositionalArg): string {
  const label = arg.required ? `<${name}>` : `[${name}]`;
  return arg.multiple ? `${label}...` : label;
}

/** Two columns: the label, then its description with continuation lines indented under it. */
function table(rows: Array<[string, string]>): string[] {
  const width = Math.min(24, Math.max(...rows.map(([label]) => label.length)));
  return rows.flatMap(([label, description]) => {
    const [first, ...more] = description.split('\n');
    const indent = `  ${' '.repeat(width)}  `;
    const head = label.length > width ? [`  ${label}`, indent + first] : [`  ${label.padEnd(width)}  ${first}`];
    return [...head, ...more.map((line) => indent + line)];
  });
}

function entries(args: ArgsDef) {
  const all = Object.entries(args);
  return {
    positionals: all.filter((e): e is [string, PositionalArg] => e[1].type === 'positional'),
    options: all.filter((e): e is [string, OptionArg] => e[1].type !== 'positional'),
  };
}

/** `catalogue <path> --help`: the synopsis, the description, the arguments and the options. */
export function renderUsage(path: string, command: AnyCommandDef, summary = command.meta.summary): string {
  const { positionals, options } = entries(command.args);
  const synopsis = [`catalogue ${path}`, ...positionals.map(([n, a]) => positionalLabel(n, a))];
  if (options.length) synopsis.push('[options]');
  const lines = [`Usage: ${synopsis.join(' ')}`];
  if (summary) lines.push('', summary);
  if (command.meta.description) lines.push('', command.meta.description.trim());
  if (positionals.length) {
    lines.push('', 'Arguments:', ...table(positionals.map(([n, a]) => [positionalLabel(n, a), a.description])));
  }
  if (options.length) lines.push('', 'Options:', ...table(options.map(([n, a]) => [optionLabel(n, a), a.description])));
  lines.push('', `Options for every command: ${globalOptions.map(([label]) => label).join(', ')}.`);
  return lines.join('\n') + '\n';
}

/** `catalogue <group> --help`: the subcommands, each with its whole usage. */
export function renderGroupUsage(name: string, group: CommandGroup, summary = group.meta.summary): string {
  const names = Object.keys(group.subCommands);
  const lines = [`Usage: catalogue ${name} <${names.join('|')}> [options]`];
  if (summary) lines.push('', summary);
  if (group.meta.description) lines.push('', group.meta.description.trim());
  lines.push('', 'Subcommands:', ...table(names.map((n) => [n, group.subCommands[n].meta.summary ?? ''])));
  return [lines.join('\n') + '\n', ...names.map((n) => renderUsage(`${name} ${n}`, group.subCommands[n]))].join('\n');
}

/** `catalogue --help`: every command with its one-line summary, from the registry (nothing is imported). */
export function renderMainUsage(summaries: Array<[string, string]>): string {
  return [
    'Usage: catalogue <command> [options]',
    '',
    'Commands:',
    ...table(summaries),
    '',
    'Options for every command:',
    ...table(globalOptions),
    '',
    'Exit codes: 0 ok, 1 problems found, 2 usage or environment error.',
    '',
  ].join('\n');
}

/** "a, b or c", for messages that list the choices. */
export function listChoices(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
