// The preview step shared by `catalogue previews` and `catalogue upload`: make the previews of a manifest's
// images on a store, write the manifest file (whole or not at all) when its `derived` list changed, and print
// one line per problem and a summary.
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import type { Manifest } from '../../schemas/index.ts';
import { makePreviews, type PreviewRun } from '../../storage/previews.ts';
import { createProgressBar } from '../../storage/progress.ts';
import type { ObjectStore } from '../../storage/store.ts';
import type { CommandContext } from '../command.ts';

/** Codes that say an image has no preview (a warning); the others are errors. */
const warningCodes = new Set(['PREVIEW_UNSUPPORTED', 'PREVIEW_TOO_LARGE', 'PREVIEW_UNREADABLE']);

/** Runs the step; returns the run and the exit code (0 done or only warnings, 1 errors, 2 mirror down). */
export async function runPreviewStep(
  manifest: Manifest,
  manifestPath: string,
  store: ObjectStore,
  context: CommandContext,
): Promise<{ run: PreviewRun; exitCode: number }> {
  const bar = createProgressBar(context.stderr as NodeJS.WriteStream, 'items');
  const run = await makePreviews(manifest, { store, onProgress: (done, total) => bar.update(done, total) });
  bar.done();
  if (run.changed) await writeFileAtomic(manifestPath, JSON.stringify(run.manifest, null, 2) + '\n');
  if (!context.json) {
    for (const problem of run.problems) {
      const severity = warningCodes.has(problem.code) ? 'warning' : 'error';
      context.stderr.write(`${problem.path}: ${problem.code} (${severity}) ${problem.message}\n`);
    }
    context.stdout.write(
      `${store.id}: previews made for ${run.made} image(s), ${run.present} already there, ` +
        `${run.problems.length} without${run.changed ? `; ${manifestPath} updated` : ''}.\n`,
    );
  }
  if (run.unavailable) {
    context.stderr.write(`mirror '${store.id}' stopped answering: ${run.unavailable}\nRun again to resume.\n`);
    return { run, exitCode: 2 };
  }
  return { run, exitCode: run.problems.some((p) => !warningCodes.has(p.code)) ? 1 : 0 };
}
