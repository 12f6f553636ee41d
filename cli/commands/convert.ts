// `catalogue convert`: OME-Zarr conversions of an entry's TIFF, OME-TIFF, PNG, JPEG and MRC images, stored in the
// mirror under `.derived/` and listed in the manifest's `derived` (storage/convert.ts); in N jobs with --shard,
// each writing a part that `--merge` lists (storage/convert-shards.ts).
import { relative, resolve } from 'node:path';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { convertPartOf, mergeConvertParts, readConvertPart, renderConvertPart } from '../../storage/convert-shards.ts';
import { convertEntry, recipes } from '../../storage/convert.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { formatShard } from '../../storage/shards.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import type { CommandContext } from '../command.ts';
import { manifestFileOf, openEntryManifest } from './entry-manifest.ts';
import { shardArg, shardOf } from './shard-arg.ts';

/** `convert <target> --merge convert-*.json`: the parts of every shard listed in the manifest, or nothing. */
async function mergeParts(target: string, files: string[], context: CommandContext): Promise<number> {
  const path = await manifestFileOf(target, context.catalog);
  const read = await readManifestFile(path);
  for (const problem of read.problems) context.stderr.write(formatProblem(problem) + '\n');
  if (!read.manifest) return 1;
  const parts = await Promise.all(files.map((file) => readConvertPart(resolve(file), file)));
  const unreadable = parts.flatMap((part) => part.problems);
  const merged = unreadable.length
    ? { problems: unreadable }
    : mergeConvertParts(
        read.manifest,
        relative(process.cwd(), path) || path,
        parts.map((part) => part.part!),
      );
  for (const problem of merged.problems) context.stderr.write(formatProblem(problem) + '\n');
  if (!merged.manifest) {
    context.stderr.write(`No conversion listed: ${merged.problems.length} problem(s) in the parts (see above).\n`);
    return 1;
  }
  const converted = parts.reduce((sum, part) => sum + part.part!.part.converted.length, 0);
  const changed = merged.manifest !== read.manifest;
  if (changed) await writeFileAtomic(path, JSON.stringify(merged.manifest, null, 2) + '\n');
  context.stdout.write(
    `${relative(process.cwd(), path) || path}: ${converted} conversion(s) of ${parts.length} shard(s) merged, ` +
      `${changed ? 'manifest rewritten' : 'manifest unchanged'}.\n`,
  );
  return 0;
}

export default defineCommand({
  meta: {
    name: 'convert',
    description: `
catalogue convert <entry folder or accession> [--mirror ID] [--files FOLDER] [--ngff 0.5|0.4].
Converts each TIFF, OME-TIFF, PNG, JPEG and MRC file of the manifest to an OME-Zarr image (a multiscale pyramid,
chunks of 1024 x 1024 compressed with zstd; --ngff 0.4 writes Zarr v2 with zlib for readers without Zarr v3).
The originals are read from the mirror (or from --files FOLDER) and never changed; each conversion is stored in the
mirror under <prefix>.derived/ome-zarr/<sha256>/<recipe>/<name>.ome.zarr/ and listed in the manifest's derived
files, which is rewritten in place. Running it again finishes an interrupted conversion and changes nothing else.
Exit 1 when an image could not be converted, 2 when the mirror cannot be reached (run again to resume).
In N jobs (a CI matrix): each runs \`convert ENTRY --shard K/N --out convert-K.json\`, which converts the images
whose manifest path falls in shard K and writes what it listed to the part file (the manifest is left alone); then
\`convert ENTRY --merge convert-*.json\` checks every shard is there once and lists them in the manifest, as one
run would have (docs/ome-zarr-conversion.md, "In N jobs").`,
  },
  args: {
    target: { type: 'positional', required: true, description: 'an accession, an entry folder or a manifest.json' },
    parts: {
      type: 'positional',
      multiple: true,
      description: 'with --merge: the parts of the shards, e.g. convert-*.json',
    },
    mirror: { type: 'string', value: 'ID', description: "the mirror to read and write (default: the manifest's own)" },
    files: {
      type: 'string',
      value: 'FOLDER',
      description: 'read the originals from this folder instead of the mirror',
    },
    ngff: { type: 'string', value: 'VERSION', default: '0.5', description: 'OME-NGFF version, 0.5 or 0.4' },
    only: {
      type: 'string',
      value: 'PATH',
      multiple: true,
      description: 'convert only this manifest path (repeatable)',
    },
    force: { type: 'boolean', description: 'convert again images whose conversion the manifest lists' },
    work: {
      type: 'string',
      value: 'DIR',
      description: 'where originals from a remote mirror are copied (default: tmp)',
    },
    mirrors: {
      type: 'string',
      value: 'FILE',
      description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
    },
    shard: shardArg,
    out: { type: 'string', value: 'FILE', description: "with --shard: where to write the shard's part" },
    merge: {
      type: 'boolean',
      description: 'list the parts of every shard (files given after the target) in the manifest',
    },
  },
  async run({ values, positionals }, context) {
    if (values.merge) {
      const others = ['shard', 'out', 'only', 'force', 'files', 'work', 'mirror'] as const;
      const given = others.filter((name) => values[name] !== undefined);
      if (given.length > 0) throw new UsageError(`--merge takes only the target and the parts, not --${given[0]}`);
      if (positionals.length < 2) throw new UsageError('--merge needs the target and the parts, e.g. convert-*.json');
      return mergeParts(positionals[0], positionals.slice(1), context);
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one accession, entry folder or manifest.json');
    if (values.ngff !== '0.5' && values.ngff !== '0.4') throw new UsageError(`--ngff ${values.ngff}: give 0.5 or 0.4`);
    const shard = shardOf(values.shard);
    if (shard && !values.out) throw new UsageError('--shard writes a part: give it --out FILE, e.g. convert-1.json');
    if (!shard && values.out) throw new UsageError('--out applies only with --shard');
    const opened = await openEntryManifest(positionals[0], values, context);
    if (!opened) return 1;
    const { path, store } = opened;
    const result = await convertEntry(opened.manifest, {
      originals: values.files ? { folder: resolve(values.files) } : { store },
      target: store,
      version: values.ngff,
      only: values.only,
      force: values.force,
      shard,
      workDir: values.work ? resolve(values.work) : undefined,
      // A shard leaves the manifest alone: its part, written once at the end, is listed by --merge.
      save: shard ? async () => {} : (manifest) => writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n'),
      onFile: (file, outcome) => context.stderr.write(`${file}: ${outcome}\n`),
    });
    if (shard)
      await writeFileAtomic(
        resolve(values.out!),
        renderConvertPart(convertPartOf(opened.manifest, result, shard, recipes[values.ngff])),
      );
    if (context.json) writeJson(context, { ...(shard ? { shard } : {}), ...result, manifest: undefined });
    else {
      for (const problem of result.problems)
        context.stderr.write(`${problem.path}: ${problem.code} ${problem.message}. Fix: ${problem.fix}\n`);
      const taken = shard ? `shard ${formatShard(shard)} took ${result.inShard} of ${result.images} images: ` : '';
      context.stdout.write(
        `${store.id}: ${taken}${result.converted.length} converted (${result.written} objects written, ` +
          `${result.unchanged} already there), ${result.listed.length} already listed, ` +
          `${result.problems.length} problem(s)${shard ? `; part written to ${values.out}` : ''}.\n`,
      );
    }
    if (result.unavailable) {
      context.stderr.write(
        `mirror '${store.id}' stopped answering: ${result.unavailable}\nRun the same command again to resume.\n`,
      );
      return 2;
    }
    return result.problems.length > 0 ? 1 : 0;
  },
});
