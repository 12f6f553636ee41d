// `catalogue convert`: OME-Zarr conversions of an entry's TIFF, OME-TIFF, PNG, JPEG and MRC images, stored in the
// mirror under `.derived/` and listed in the manifest's `derived` (storage/convert.ts).
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { convertEntry } from '../../storage/convert.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { openEntryManifest } from './entry-manifest.ts';

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
    const opened = await openEntryManifest(positionals[0], values, context);
    if (!opened) return 1;
    const { path, store } = opened;
    const result = await convertEntry(opened.manifest, {
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
