// `catalogue convert`: OME-Zarr conversions of an entry's TIFF, OME-TIFF, PNG, JPEG and MRC images, stored in the
// mirror under `.derived/` and listed in the manifest's `derived` (storage/convert.ts).
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { entriesDir, manifestFile } from '../../catalog/layout.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { convertEntry } from '../../storage/convert.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { findMirror, loadMirrors, openStore } from '../../storage/mirrors.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

/** An accession's manifest in the catalogue, a folder's manifest.json, or the file itself. */
async function manifestPath(argument: string, catalog: string): Promise<string> {
  if (accessionPattern.test(argument)) return join(catalog, entriesDir, argument, manifestFile);
  const path = resolve(argument);
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ? join(path, manifestFile) : path;
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
Exit 1 when an image could not be converted, 2 when the mirror cannot be reached (run again to resume).`,
  },
  args: {
    target: { type: 'positional', required: true, description: 'an accession, an entry folder or a manifest.json' },
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
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession, entry folder or manifest.json');
    if (values.ngff !== '0.5' && values.ngff !== '0.4') throw new UsageError(`--ngff ${values.ngff}: give 0.5 or 0.4`);
    const path = await manifestPath(positionals[0], context.catalog);
    const read = await readManifestFile(path);
    for (const problem of read.problems) context.stderr.write(formatProblem(problem) + '\n');
    if (!read.manifest) return 1;
    const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
    const store = openStore(findMirror(config, values.mirror ?? read.manifest.location.mirror), config);
    const result = await convertEntry(read.manifest, {
      originals: values.files ? { folder: resolve(values.files) } : { store },
      target: store,
      version: values.ngff,
      only: values.only,
      force: values.force,
      workDir: values.work ? resolve(values.work) : undefined,
      save: (manifest) => writeFileAtomic(path, JSON.stringify(manifest, null, 2) + '\n'),
      onFile: (file, outcome) => context.stderr.write(`${file}: ${outcome}\n`),
    });
    if (context.json) writeJson(context, { ...result, manifest: undefined });
    else {
      for (const problem of result.problems)
        context.stderr.write(`${problem.path}: ${problem.code} ${problem.message}. Fix: ${problem.fix}\n`);
      context.stdout.write(
        `${store.id}: ${result.converted.length} converted (${result.written} objects written, ${result.unchanged} ` +
          `already there), ${result.listed.length} already listed, ${result.problems.length} problem(s).\n`,
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
