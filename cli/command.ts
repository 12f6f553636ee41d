// The shape every `catalogue` command has. Commands live one per file in cli/commands/ and are found by name,
// so a new capability adds a file and touches nothing shared.
import { parseArgs, type ParseArgsConfig } from 'node:util';

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

export interface Command {
  name: string;
  /** One line for `catalogue --help`. */
  summary: string;
  /** Usage text for `catalogue <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 problems found, 2 usage or environment error. */
  run(args: string[], context: CommandContext): Promise<number>;
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

/** node:util parseArgs, strict, with errors turned into UsageError. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function writeJson(context: CommandContext, value: unknown): void {
  context.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
