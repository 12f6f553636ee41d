// `catalogue check-objects`: the pull-request check that a submission's files are where its manifest says.
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { entriesDir, manifestFile } from '../../catalog/layout.ts';
import { countErrors, formatProblem, type Problem } from '../../catalog/problems.ts';
import { checkObjectSizes } from '../../storage/check-objects.ts';
import { MissingCredentialsError } from '../../storage/errors.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { loadMirrors, openStore } from '../../storage/mirrors.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

/** A folder's manifest.json, an accession's in the catalogue, or the file itself. */
async function manifestPath(argument: string, catalog: string): Promise<string> {
  if (accessionPattern.test(argument)) return join(catalog, entriesDir, argument, manifestFile);
  const path = resolve(argument);
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? join(path, manifestFile) : path;
}

export default defineCommand({
  meta: {
    name: 'check-objects',
    description: `
For each manifest: where the mirror it names (location.mirror, or --mirror) can be reached, every object it
lists must exist under location.prefix with the size it says. One listing per manifest; no bytes are read
(\`catalogue manifest verify\` reads them). Problems are one line each, at the manifest's line:
  archive/submissions/my-study/manifest.json:14:15 #/files/2/size OBJECT_WRONG_SIZE ...
A mirror that cannot be reached (down, or its credential variables unset, as on a fork's pull request) is a
warning and checks nothing. Exit codes: 0 all present (or not reachable), 1 problems, 2 usage.`,
  },
  args: {
    manifests: {
      type: 'positional',
      required: true,
      multiple: true,
      description: 'submission folders, manifest.json files or accessions',
    },
    mirror: {
      type: 'string',
      value: 'ID',
      description: "the mirror to check (default: each manifest's location.mirror)",
    },
    mirrors: {
      type: 'string',
      value: 'FILE',
      description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
    },
  },
  async run({ values, positionals }, context) {
    if (positionals.length === 0)
      throw new UsageError('give at least one submission folder, manifest.json or accession');
    const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
    const problems: Problem[] = [];
    const report: Array<{ manifest: string; mirror?: string; checked: number; unavailable?: string }> = [];
    for (const argument of positionals) {
      const path = await manifestPath(argument, context.catalog);
      const read = await readManifestFile(path);
      if (!read.manifest || !read.document) {
        problems.push(...read.problems);
        report.push({ manifest: path, checked: 0 });
        continue;
      }
      const file = read.document.file;
      const id = values.mirror ?? read.manifest.location.mirror;
      const mirror = config.mirrors.find((m) => m.id === id);
      if (!mirror) {
        problems.push({
          file,
          ...read.document.locate('/location/mirror'),
          pointer: '/location/mirror',
          code: 'MIRROR_UNKNOWN',
          message: `no mirror '${id}' in storage/mirrors.yaml (known: ${config.mirrors.map((m) => m.id).join(', ')})`,
          fix: 'name one of the known mirrors in location.mirror',
          severity: 'error',
        });
        report.push({ manifest: file, mirror: id, checked: 0 });
        continue;
      }
      let result;
      try {
        result = await checkObjectSizes(read.manifest, openStore(mirror, config), {
          file,
          locate: read.document.locate,
        });
      } catch (error) {
        // openStore throws for credential variables that are not set: the bucket is not reachable from here.
        if (!(error instanceof MissingCredentialsError)) throw error;
        result = { checked: 0, problems: [], unavailable: error.message };
      }
      if (result.unavailable) {
        problems.push({
          file,
          ...read.document.locate('/location/mirror'),
          pointer: '/location/mirror',
          code: 'MIRROR_UNREACHABLE',
          message: `the objects were not checked: ${result.unavailable}`,
          severity: 'warning',
        });
      }
      problems.push(...result.problems);
      report.push({
        manifest: file,
        mirror: id,
        checked: result.checked,
        ...(result.unavailable ? { unavailable: result.unavailable } : {}),
      });
    }
    if (context.json) writeJson(context, { manifests: report, problems });
    else {
      for (const problem of problems) context.stdout.write(formatProblem(problem) + '\n');
      const checked = report.reduce((s, r) => s + r.checked, 0);
      context.stderr.write(
        `${checked} object(s) checked in ${report.length} manifest(s); ${countErrors(problems)} problem(s).\n`,
      );
    }
    return countErrors(problems) > 0 ? 1 : 0;
  },
});
