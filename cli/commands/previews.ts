// `catalogue previews`: the previews of an entry's images, made from the copies on its primary mirror.
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { openEntryManifest } from './entry-manifest.ts';
import { runPreviewStep } from './preview-step.ts';

export default defineCommand({
  meta: {
    name: 'previews',
    description: `
catalogue previews <accession | entry folder | manifest.json> [--mirror ID].
For every image of the manifest (TIFF, OME-TIFF, OME-Zarr, MRC, PNG, JPEG), a thumbnail (256 px) and a preview
(1024 px) by the recipe preview@1: the middle z section of the first time point, each channel contrasted and
coloured. Each original is read from the mirror (by default the manifest's own, location.mirror), checked against
its sha256, drawn, and the pictures are stored beside it under .derived/previews/<sha256>/preview@1/; the manifest's
\`derived\` list gains them and the manifest file is rewritten whole. Pictures already there are not made again.
An image that cannot be drawn (too large, an unsupported layout) is a warning; a corrupt original an error.
Exit codes: 0 done (warnings allowed), 1 errors, 2 the mirror cannot be reached (run again to resume).`,
  },
  args: {
    target: { type: 'positional', required: true, description: 'an accession, an entry folder or a manifest.json' },
    mirror: { type: 'string', value: 'ID', description: "the mirror holding the originals (default: the manifest's)" },
    mirrors: {
      type: 'string',
      value: 'FILE',
      description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
    },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession, entry folder or manifest.json');
    const opened = await openEntryManifest(positionals[0], values, context);
    if (!opened) return 1;
    const { run, exitCode } = await runPreviewStep(opened.manifest, opened.path, opened.store, context);
    if (context.json) {
      const { manifest: _manifest, ...summary } = run;
      writeJson(context, summary);
    }
    return exitCode;
  },
});
