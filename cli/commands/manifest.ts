import { basename, join, resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { entriesDir, manifestFile } from '../../catalog/layout.ts';
import {
  createManifest,
  formatManifestProblem,
  renderManifest,
  renderPartialManifest,
} from '../../storage/manifest.ts';
import { createProgressBar } from '../../storage/progress.ts';
import { defineCommand, defineGroup, UsageError, writeJson } from '../command.ts';
import type { ArgsDef, CommandContext, ParsedArgs } from '../command.ts';
import { shardArg, shardOf } from './shard-arg.ts';

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
  shard: shardArg,
  merge: {
    type: 'boolean',
    description: 'merge the partial manifests of every shard (files given as arguments) into the whole manifest',
  },
  parts: { type: 'positional', multiple: true, description: 'with --merge: the partial manifests, e.g. part-*.json' },
} as const satisfies ArgsDef;

/** `manifest create --merge part-*.json`: the whole manifest, byte for byte what one run writes, or nothing. */
async function merge(files: string[], out: string | undefined, context: CommandContext): Promise<number> {
  // Imported here: reading parts checks them against the JSON Schemas, which a plain `create` does not load.
  const [{ formatProblem }, { mergePartialManifests, readPartialManifest }] = await Promise.all([
    import('../../catalog/problems.ts'),
    import('../../storage/manifest-shards.ts'),
  ]);
  const parts = await Promise.all(files.map((file) => readPartialManifest(resolve(file), file)));
  const unreadable = parts.flatMap((part) => part.problems);
  const merged = unreadable.length ? { problems: unreadable } : mergePartialManifests(parts.map((p) => p.part!));
  for (const problem of merged.problems) context.stderr.write(formatProblem(problem) + '\n');
  if (!merged.manifest) {
    context.stderr.write(`No manifest written: ${merged.problems.length} problem(s) in the parts (see above).\n`);
    return 1;
  }
  const text = renderManifest(merged.manifest);
  if (out) {
    await writeFileAtomic(resolve(out), text);
    const bytes = merged.manifest.files.reduce((s, f) => s + f.size, 0);
    context.stderr.write(
      `${out}: ${merged.manifest.files.length} files, ${bytes} bytes, from ${parts.length} shards.\n`,
    );
  } else context.stdout.write(text);
  return 0;
}

async function create(input: ParsedArgs<typeof createArgs>, context: CommandContext): Promise<number> {
  const { values, positionals } = input;
  if (values.merge) {
    if (values.shard || values.prefix || values.mirror)
      throw new UsageError('--merge takes only the partial manifests (and --out): --prefix and --mirror are theirs');
    if (positionals.length === 0)
      throw new UsageError('--merge needs the partial manifest of every shard, e.g. part-*.json');
    return merge(positionals, values.out, context);
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one folder');
  const shard = shardOf(values.shard);
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
      shard,
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
  const text = result.partial
    ? renderPartialManifest(result.manifest, result.partial)
    : renderManifest(result.manifest);
  const bytes = result.manifest.files.reduce((s, f) => s + f.size, 0);
  const taken = result.partial
    ? `shard ${result.partial.shard} took ${result.manifest.files.length} of ${result.partial.files} files`
    : `${result.manifest.files.length} files`;
  if (values.out) {
    await writeFileAtomic(resolve(values.out), text);
    context.stderr.write(`${values.out}: ${taken}, ${bytes} bytes.\n`);
  } else {
    context.stdout.write(text);
    if (result.partial) context.stderr.write(`${taken}, ${bytes} bytes.\n`);
  }
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
Unsafe names (spaces, '..', control characters...), symbolic links and special files are refused.
In N jobs (a CI matrix): each runs \`manifest create FOLDER --shard K/N --out part-K.json\`, which measures the files
whose path falls in shard K (an OME-Zarr image goes whole by its folder) and writes a partial manifest, marked so
that it never passes for a whole one; then \`manifest create --merge part-*.json --out manifest.json\` checks every
shard of one split of one folder is there once and writes the manifest one run writes (docs/storage.md).`,
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
