// How the command line shows what went wrong, in one place: each layer's base error (http, catalog, harvester,
// storage, site) and the command line's own are a message and exit code 2; anything else is a bug and keeps its stack.
import { CatalogError, SourceFileError } from '../catalog/errors.ts';
import { formatProblem, sourceProblem } from '../catalog/problems.ts';
import { DoiError } from '../doi/errors.ts';
import { HarvestError } from '../harvester/errors.ts';
import { NetworkPolicyError } from '../http/errors.ts';
import { SiteBuildError } from '../site/lib/errors.ts';
import { StorageError } from '../storage/errors.ts';
import { EnvironmentError, UsageError } from './command.ts';

export interface ErrorReport {
  /** 2: usage or environment error (README, "The command line"). */
  readonly exitCode: 2;
  /** One line (or a few) for stderr, after `catalogue <command>: `. */
  readonly message: string;
  /** Whether the command's usage follows the message: the arguments were wrong. */
  readonly showUsage: boolean;
}

/** What to tell the user about an error a command threw; undefined for one that is a bug. */
export function reportError(error: unknown): ErrorReport | undefined {
  if (error instanceof UsageError) return { exitCode: 2, message: error.message, showUsage: true };
  // A file that cannot be read is one problem line: file, line, column, pointer, code, message and fix.
  if (error instanceof SourceFileError)
    return { exitCode: 2, message: formatProblem(sourceProblem(error)), showUsage: false };
  // A failed Astro or Pagefind step: the message names the step, `output` holds its tail.
  if (error instanceof SiteBuildError) {
    const what = error.code.startsWith('PUBLISH_') ? 'published' : 'built';
    return { exitCode: 2, message: `the site could not be ${what}: ${error.message}`, showUsage: false };
  }
  const fromALayer =
    error instanceof EnvironmentError ||
    error instanceof CatalogError ||
    error instanceof StorageError ||
    error instanceof HarvestError ||
    error instanceof DoiError ||
    error instanceof NetworkPolicyError;
  if (fromALayer) return { exitCode: 2, message: error.message, showUsage: false };
  return undefined;
}
