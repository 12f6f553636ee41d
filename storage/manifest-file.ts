// Reading a manifest.json from disk with the catalogue's own checks: schema, safe paths, no duplicates.
// Problems carry file, line and column (catalog/source.ts) so that a hostile or broken manifest is named precisely.
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { SourceFileError } from '../catalog/errors.ts';
import { sourceProblem, type Problem } from '../catalog/problems.ts';
import { decodeSource, parseSource, type SourceDocument } from '../catalog/source.ts';
import { locateFindings, manifestFindings } from '../catalog/validate.ts';
import type { Manifest } from '../schemas/index.ts';

/** `document` (when the file parsed) locates any JSON pointer in it, for problems found later (check-objects.ts). */
export async function readManifestFile(
  path: string,
  base = process.cwd(),
): Promise<{ manifest?: Manifest; problems: Problem[]; document?: SourceDocument }> {
  const file = relative(base, path) || path;
  try {
    const document = parseSource(file, decodeSource(file, await readFile(path)));
    const problems = locateFindings(document, manifestFindings(document.data));
    const errors = problems.filter((p) => p.severity === 'error');
    return { manifest: errors.length === 0 ? (document.data as Manifest) : undefined, problems, document };
  } catch (error) {
    if (error instanceof SourceFileError) return { problems: [{ ...sourceProblem(error), file }] };
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return {
        problems: [
          {
            file,
            pointer: '',
            code: 'FILE_MISSING',
            message: 'the manifest does not exist',
            fix: 'create it with `catalogue manifest create <folder>`',
            severity: 'error',
          },
        ],
      };
    throw error;
  }
}
