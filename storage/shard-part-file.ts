// Reading the part file one job of a sharded run wrote (`manifest create --shard`, `convert --shard`), for the merge.
// Parts come from other jobs, so each is read as untrusted: bounded in size, decoded and parsed by the catalogue's
// source reader, every problem a line naming the file (a broken part is refused, never half-read).
import { readFile, stat } from 'node:fs/promises';
import { SourceFileError } from '../catalog/errors.ts';
import { sourceProblem, type Problem } from '../catalog/problems.ts';
import { decodeSource, maxSourceBytes, parseSource, type SourceDocument } from '../catalog/source.ts';

/** An error line about a part file; `fix` says how to write the part again. */
export const partProblem = (file: string, pointer: string, code: string, message: string, fix: string): Problem => ({
  file,
  pointer,
  code,
  message,
  fix,
  severity: 'error',
});

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads and parses a part file; `file` is the name its problem lines give, `fix` how to write it again. */
export async function readPartDocument(
  path: string,
  file: string,
  fix: string,
): Promise<{ document?: SourceDocument; problems: Problem[] }> {
  try {
    // UTF-8 takes at most 4 bytes a character: a larger file cannot be within the source limit.
    if ((await stat(path)).size > 4 * maxSourceBytes)
      return {
        problems: [partProblem(file, '', 'FILE_TOO_LARGE', `is larger than ${4 * maxSourceBytes} bytes`, fix)],
      };
    return { document: parseSource(file, decodeSource(file, await readFile(path))), problems: [] };
  } catch (error) {
    if (error instanceof SourceFileError) return { problems: [{ ...sourceProblem(error), file }] };
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problems: [partProblem(file, '', 'FILE_UNREADABLE', `cannot be read (${reason})`, fix)] };
  }
}
