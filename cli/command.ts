// The shape every `catalogue` command has, after citty (unjs/citty, src/command.ts): a command is a definition,
// meta, args and run, and its usage text is rendered from the same args that parse the line (cli/usage.ts), so the
// two cannot disagree. The commands are listed, each behind a lazy import, in cli/commands/index.ts.
import { parseArgs } from 'node:util';

export interface CommandContext {
  /** The catalogue folder (`--catalog DIR`, default the repository's own `archive/`). */
  catalog: string;
  /** `--json`: machine-readable output on stdout. */
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Today's date in UTC, YYYY-MM-DD. */
  today: string;
}

/** An option, `--name` or `--name VALUE`. */
export interface OptionArg {
  type: 'string' | 'boolean';
  /** For the usage: what the option does, its default and its unit. More lines may follow a '\n'. */
  description: string;
  /** For the usage: the placeholder of a string option's value, e.g. DIR (default VALUE). */
  value?: string;
  /** The option may be repeated; its values come as an array. */
  multiple?: boolean;
  /** The value when the option is not given (a string option). */
  default?: string;
}

/** Positional arguments: the usage shows them as `<name>` (required), `[name]` or `name...` (multiple). */
export interface PositionalArg {
  type: 'positional';
  description: string;
  required?: boolean;
  multiple?: boolean;
}

export type ArgsDef = Record<string, OptionArg | PositionalArg>;

type OptionValue<A> = A extends { type: 'boolean' }
  ? A extends { multiple: true }
    ? boolean[]
    : boolean
  : A extends { multiple: true }
    ? string[]
    : string;

/** The parsed options of an ArgsDef, by name; absent when not given and without a default. */
export type OptionValues<A extends ArgsDef> = {
  -readonly [K in keyof A as A[K] extends PositionalArg | { default: string } ? never : K]?: OptionValue<A[K]>;
} & {
  -readonly [K in keyof A as A[K] extends { default: string } ? K : never]: OptionValue<A[K]>;
};

export interface ParsedArgs<A extends ArgsDef> {
  values: OptionValues<A>;
  /** The positional arguments in order; none is accepted unless the definition declares one. */
  positionals: string[];
}

export interface CommandMeta {
  name: string;
  /**
   * One line for the list of a group's subcommands. A command's own summary is in the registry
   * (cli/commands/index.ts), so that `catalogue --help` shows it without importing the command.
   */
  summary?: string;
  /** What the command does, after its usage line and before its options; exit codes and environment. */
  description?: string;
}

export interface CommandDef<A extends ArgsDef = ArgsDef> {
  meta: CommandMeta;
  args: A;
  /** Returns the exit code: 0 ok, 1 problems found, 2 usage or environment error. */
  run(input: ParsedArgs<A>, context: CommandContext): Promise<number>;
}

/**
 * A command whose args are not known here: each definition's `run` takes the values of its own args, which only
 * parseCommandArgs, called with those same args, produces.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandDef = CommandDef<any>;

/** A command made of subcommands, chosen by the first argument: `catalogue mirror sync ...`. */
export interface CommandGroup {
  meta: CommandMeta;
  subCommands: Record<string, AnyCommandDef>;
}

export type Command = AnyCommandDef | CommandGroup;

/** Types `args` once so that `run` sees the parsed values of exactly these options. */
export function defineCommand<A extends ArgsDef>(command: CommandDef<A>): CommandDef<A> {
  return command;
}

export function defineGroup(group: CommandGroup): CommandGroup {
  return group;
}

export function isGroup(command: Command): command is CommandGroup {
  return 'subCommands' in command;
}

/** Wrong arguments: exit code 2 with the command's usage. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something outside the user's input is missing or broken (a tool, a variable, a server): exit code 2. */
export class EnvironmentError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnvironmentError';
    this.code = code;
  }
}

/** Parses `args` by the definition with node:util parseArgs, strict; its errors become UsageError. */
export function parseCommandArgs<A extends ArgsDef>(args: string[], definition: A): ParsedArgs<A> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string }> = {};
  let allowPositionals = false;
  for (const [name, arg] of Object.entries(definition)) {
    if (arg.type === 'positional') allowPositionals = true;
    else {
      options[name] = { type: arg.type };
      if (arg.multiple) options[name].multiple = true;
      if (arg.default !== undefined) options[name].default = arg.default;
    }
  }
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals, strict: true });
    return { values: values as OptionValues<A>, positionals };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
