import { resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { createManifest, formatManifestProblem } from '../../storage/manifest.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { findMirror, loadMirrors, openStore } from '../../storage/mirrors.ts';
import { createProgressBar } from '../../storage/progress.ts';
import { uploadManifest } from '../../storage/upload.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { manifestPathOf } from './manifest.ts';
import { runPreviewStep } from './preview-step.ts';

export default defineCommand({
  meta: {
    name: 'upload',
    description: `
catalogue upload <accession> --files FOLDER --mirror ID, or catalogue upload <folder> --mirror ID.
Uploads every file of the manifest to the mirror under the manifest's prefix. An object already there with
the right size and sha256 is skipped, so an interrupted upload is finished by running the command again.
Each local file is hashed first: a file that does not match the manifest is reported and not uploaded.
With an accession the manifest is the entry's; with a folder it is --manifest FILE, or measured now.
Then, unless --no-previews, the previews of the images are made on the mirror and listed in the manifest file
(as \`catalogue previews\` does; a manifest measured now is not stored, so it gets none).
Credentials come from the environment variables that storage/mirrors.yaml names.
Exit 1 when a file could not be uploaded, 2 when the mirror cannot be reached (run again to resume).`,
  },
  args: {
    target: { type: 'positional', required: true, description: 'an accession of the catalogue, or a folder of files' },
    mirror: { type: 'string', value: 'ID', description: 'the mirror of storage/mirrors.yaml to upload to (required)' },
    files: { type: 'string', value: 'FOLDER', description: "with an accession: the folder holding the entry's files" },
    manifest: { type: 'string', value: 'FILE', description: 'with a folder: its manifest (default: measured now)' },
    prefix: {
      type: 'string',
      value: 'PREFIX/',
      description: "with a folder and no --manifest: the key prefix (default: the folder's name and '/')",
    },
    mirrors: {
      type: 'string',
      value: 'FILE',
      description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
    },
    'no-previews': {
      type: 'boolean',
      description: 'skip the previews step (make them later with `catalogue previews`)',
    },
    convert: {
      type: 'boolean',
      description: "then derive OME-Zarr images of the entry's images, listed in the manifest (see catalogue convert)",
    },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession or folder');
    if (!values.mirror) throw new UsageError('--mirror ID is required (a mirror of storage/mirrors.yaml)');
    if (values.convert && !accessionPattern.test(positionals[0]) && !values.manifest)
      throw new UsageError('--convert lists the conversions in a manifest: give an accession or --manifest FILE');
    const target = positionals[0];
    let folder: string;
    let manifestPath: string | undefined;
    if (accessionPattern.test(target)) {
      if (!values.files)
        throw new UsageError("--files FOLDER is required with an accession: the folder holding the entry's files");
      folder = resolve(values.files);
      manifestPath = manifestPathOf(target, context.catalog);
    } else {
      folder = resolve(target);
      manifestPath = values.manifest ? resolve(values.manifest) : undefined;
    }
    const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
    const store = openStore(findMirror(config, values.mirror), config);
    let manifest;
    if (manifestPath) {
      const read = await readManifestFile(manifestPath);
      for (const problem of read.problems) context.stderr.write(formatProblem(problem) + '\n');
      if (!read.manifest) return 1;
      manifest = read.manifest;
    } else {
      const created = await createManifest(folder, {
        prefix: values.prefix ?? `${folder.split('/').pop()}/`,
        mirror: values.mirror,
      });
      for (const problem of created.problems) context.stderr.write(formatManifestProblem(problem) + '\n');
      if (created.problems.length > 0) return 1;
      for (const warning of created.warnings) context.stderr.write(formatManifestProblem(warning, 'warning') + '\n');
      manifest = created.manifest;
    }
    const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
    const result = await uploadManifest(manifest, {
      folder,
      store,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.done();
    if (context.json) writeJson(context, result);
    else {
      for (const problem of result.problems)
        context.stderr.write(`${problem.path}: ${problem.code} ${problem.message}\n`);
      context.stdout.write(
        `${store.id}: ${result.uploaded} uploaded (${result.bytesUploaded} bytes), ${result.skipped} already ` +
          `there, ${result.problems.length} problem(s).\n`,
      );
    }
    if (result.unavailable) {
      context.stderr.write(
        `mirror '${store.id}' stopped answering: ${result.unavailable}\nRun the same command again to resume.\n`,
      );
      return 2;
    }
    if (result.problems.length > 0) return 1;
    if (values.convert && manifestPath) {
      const { run } = (await import('./convert.ts')).default;
      const converted = await run(
        {
          values: { ngff: '0.5', files: folder, mirror: store.id, mirrors: values.mirrors },
          positionals: [manifestPath],
        },
        context,
      );
      if (converted !== 0) return converted;
      // The conversions were written into the manifest file: the previews step reads it again.
      manifest = (await readManifestFile(manifestPath)).manifest ?? manifest;
    }
    if (values['no-previews'] || !manifestPath) return 0;
    return (await runPreviewStep(manifest, manifestPath, store, context)).exitCode;
  },
});
