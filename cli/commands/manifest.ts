import { basename, join, resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { entriesDir, manifestFile } from '../../catalog/layout.ts';
import { createManifest, formatManifestProblem } from '../../storage/manifest.ts';
import { createProgressBar } from '../../storage/progress.ts';
import { defineCommand, defineGroup, UsageError, writeJson } from '../command.ts';
import type { ArgsDef, CommandContext, ParsedArgs } from '../command.ts';

const mirrorsArg = {
  type: 'string',
  value: 'FILE',
  description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
} as const;

const createArgs = {
  folder: { type: 'positional', required: true, description: 'the folder of the data files' },
  out: { type: 'string', value: 'FILE', description: 'where to write the manifest (default: stdout)' },
  prefix: {
    type: 'string',
    value: 'PREFIX/',
    description: "the key prefix of the entry's files in the bucket (default: the folder's name and '/')",
  },
  mirror: { type: 'string', value: 'ID', description: 'the mirror holding the primary copy (default: local)' },
} as const satisfies ArgsDef;

async function create(input: ParsedArgs<typeof createArgs>, context: CommandContext): Promise<number> {
  const { values, positionals } = input;
  if (positionals.length !== 1) throw new UsageError('give exactly one folder');
  const folder = resolve(positionals[0]);
  const prefix = values.prefix ?? `${basename(folder)}/`;
  if (!/^([A-Za-z0-9_][A-Za-z0-9._-]*\/)+$/.test(prefix))
    throw new UsageError(
      `the prefix '${prefix}' is not valid: letters, digits, '.', '_', '-' in each part, ending with '/'; pass ` +
        `--prefix, e.g. --prefix BIC0000013/`,
    );
  const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
  let result;
  try {
    result = await createManifest(folder, {
      prefix,
      mirror: values.mirror,
      onProgress: (p) => bar.update(p.bytes, p.totalBytes, `${p.files}/${p.totalFiles} files`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${positionals[0]} is not a folder`);
    throw error;
  } finally {
    bar.done();
  }
  if (result.problems.length > 0) {
    for (const problem of result.problems)
      context.stderr.write(`${positionals[0]}/${formatManifestProblem(problem)}\n`);
    context.stderr.write(`No manifest written: ${result.problems.length} file(s) cannot be listed (see above).\n`);
    return 1;
  }
  for (const warning of result.warnings)
    context.stderr.write(`${positionals[0]}/${formatManifestProblem(warning, 'warning')}\n`);
  const text = JSON.stringify(result.manifest, null, 2) + '\n';
  if (values.out) {
    await writeFileAtomic(resolve(values.out), text);
    const bytes = result.manifest.files.reduce((s, f) => s + f.size, 0);
    context.stderr.write(`${values.out}: ${result.manifest.files.length} files, ${bytes} bytes.\n`);
  } else context.stdout.write(text);
  return 0;
}

/** The manifest file of an accession in the catalogue, or the argument as a path. */
export function manifestPathOf(argument: string, catalog: string): string {
  return accessionPattern.test(argument) ? join(catalog, entriesDir, argument, manifestFile) : resolve(argument);
}

const verifyArgs = {
  manifest: { type: 'positional', required: true, description: 'an accession of the catalogue, or a manifest.json' },
  mirror: { type: 'string', value: 'ID', description: "the mirror to check (default: the manifest's own)" },
  sample: { type: 'string', value: 'FRACTION', description: 'read this fraction of the objects, e.g. 0.1 (default 1)' },
  mirrors: mirrorsArg,
} as const satisfies ArgsDef;

async function verify(input: ParsedArgs<typeof verifyArgs>, context: CommandContext): Promise<number> {
  const { values, positionals } = input;
  if (positionals.length !== 1) throw new UsageError('give exactly one accession or manifest file');
  const sample = values.sample === undefined ? 1 : Number(values.sample);
  if (!(sample > 0 && sample <= 1))
    throw new UsageError('--sample is a fraction greater than 0 and at most 1, e.g. 0.1');
  // Imported here, not at the top: `manifest create` must not pay for compiling the JSON Schemas (ajv) and
  // loading the S3 SDK, which it does not use.
  const [
    { formatProblem },
    { auditStore, expectedObjects, formatFinding },
    { readManifestFile },
    { findMirror, loadMirrors, openStore },
  ] = await Promise.all([
    import('../../catalog/problems.ts'),
    import('../../storage/fixity.ts'),
    import('../../storage/manifest-file.ts'),
    import('../../storage/mirrors.ts'),
  ]);
  const { manifest, problems } = await readManifestFile(manifestPathOf(positionals[0], context.catalog));
  if (!manifest) {
    for (const problem of problems) context.stderr.write(formatProblem(problem) + '\n');
    return 1;
  }
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const mirror = findMirror(config, values.mirror ?? manifest.location.mirror);
  const store = openStore(mirror, config);
  const accession = accessionPattern.test(positionals[0]) ? positionals[0] : undefined;
  const result = await auditStore(store, expectedObjects(manifest, accession), {
    sample,
    unlistedUnder: [manifest.location.prefix],
  });
  if (context.json) writeJson(context, result);
  else {
    for (const finding of result.findings) context.stdout.write(formatFinding(finding) + '\n');
    if (result.unavailable) context.stderr.write(`mirror '${mirror.id}' is unavailable: ${result.unavailable}\n`);
    else
      context.stdout.write(
        `${mirror.id}: ${result.objects} objects, ${result.objectsRead} read (${result.bytesRead} bytes); ` +
          `${result.findings.length} problem(s).\n`,
      );
  }
  if (result.unavailable) return 2;
  return result.findings.length > 0 ? 1 : 0;
}

export default defineGroup({
  meta: { name: 'manifest' },
  subCommands: {
    create: defineCommand({
      meta: {
        name: 'create',
        summary: 'measure every file of a folder and write its manifest',
        description: `
Measures every file under <folder> (path, size, sha256 on every core, format from extension and first bytes;
an OME-Zarr folder is one image with its chunks listed under it), reads each image's header into \`image\`
(docs/images.md; unreadable headers are warnings) and writes the manifest.
Unsafe names (spaces, '..', control characters...), symbolic links and special files are refused.`,
      },
      args: createArgs,
      run: create,
    }),
    verify: defineCommand({
      meta: {
        name: 'verify',
        summary: 'check the objects of a manifest on a mirror, reading their bytes',
        description: `
Checks that every object of the manifest is on the mirror with the right size and sha256, reading the bytes,
and that no other object sits under its prefix.
Exit 1 when something is wrong, 2 when the mirror cannot be reached.`,
      },
      args: verifyArgs,
      run: verify,
    }),
  },
});
