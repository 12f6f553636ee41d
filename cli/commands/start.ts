import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, ReleasedEntryError } from '../../site/lib/build-site.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { loadMirrors } from '../../storage/mirrors.ts';
import { renderYaml } from '../../catalog/write.ts';
import { defineCommand } from '../command.ts';
import { defaultCatalog } from '../main.ts';
import { defaultSiteOut } from './build.ts';
import { hostArg, parsePort, portArg, serveUntilStopped } from './serve.ts';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The embedded default bucket (storage/mirrors.yaml, mirror `local`); data/ is git-ignored. */
const localBucket = resolve(repositoryRoot, 'data', 'buckets', 'local');
/** Where the local bucket is served beside the site, so that the demo's download links work. */
const filesPrefix = '/files/';

async function isEmpty(folder: string): Promise<boolean> {
  return readdir(folder).then(
    (names) => names.length === 0,
    () => true,
  );
}

// The README's main command (`npm start`): build the demo catalogue (archive/) into a site and serve it, with the
// demo's files from the local bucket (filled on first run) served at /files/ and linked from every entry page.
export default defineCommand({
  meta: {
    name: 'start',
    description: `
Builds the site of the catalogue (default archive/) into site/dist and serves it, printing the address. For the
demo catalogue it first fills the local bucket (data/buckets/local/) with the demo files if it is empty, and serves
that bucket at /files/ so that the entry pages' download links work. Stops on Ctrl-C. Same as
\`catalogue build\` then \`catalogue serve\`, plus the demo files.`,
  },
  args: {
    port: portArg,
    host: hostArg,
  },
  async run({ values }, context) {
    const port = parsePort(values.port);
    const host = values.host ?? '127.0.0.1';
    const baseUrl = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${port || 4321}/`;
    const demo = resolve(context.catalog) === defaultCatalog;
    if (demo && (await isEmpty(localBucket))) {
      context.stderr.write(`Writing the demo files to ${localBucket}...\n`);
      const { writeDemoData } = await import('../../catalog/demo/data.ts');
      const { files, bytes } = await writeDemoData(localBucket);
      context.stderr.write(`Wrote ${files} files (${(bytes / 2 ** 20).toFixed(1)} MiB).\n`);
    }
    if (demo) {
      // The previews the demo's manifests list: drawn once, then found in the bucket (a bucket filled by an older
      // checkout gets those it lacks).
      const { drawDemoPreviews } = await import('../demo-bucket.ts');
      const pictures = await drawDemoPreviews(localBucket, context.catalog);
      if (pictures > 0) context.stderr.write(`Drew the previews of ${pictures} demo images.\n`);
    }
    // The local mirror has no public address of its own; here it is this server's /files/.
    if (demo && !process.env.CATALOGUE_MIRRORS) {
      const { mirrors } = await loadMirrors();
      const served = mirrors.map((m) =>
        m.id === 'local' && m.kind === 'folder' && !m.publicBaseUrl
          ? { ...m, path: localBucket, publicBaseUrl: new URL(filesPrefix, baseUrl).href }
          : m,
      );
      const file = resolve(repositoryRoot, 'data', 'mirrors.start.yaml');
      await mkdir(resolve(repositoryRoot, 'data'), { recursive: true });
      await writeFile(
        file,
        `# Written by \`npm start\`: storage/mirrors.yaml with the local bucket served at ${filesPrefix}\n` +
          `${renderYaml({ mirrors: served })}`,
      );
      process.env.CATALOGUE_MIRRORS = file;
    }
    context.stderr.write(`Building the site of ${context.catalog}...\n`);
    try {
      const result = await buildSite({ catalog: context.catalog, out: defaultSiteOut, baseUrl, today: context.today });
      context.stderr.write(
        `Built ${result.records} records, ${result.pages} pages in ${(result.ms / 1000).toFixed(1)} s.\n`,
      );
    } catch (error) {
      // A released entry with errors is a problem found (exit 1), as in `catalogue build`.
      if (error instanceof ReleasedEntryError) {
        context.stderr.write(
          `${error.problems.map(formatProblem).join('\n')}\nthe site was not built: a released entry would be ` +
            `missing from it; correct it, or run \`catalogue build --publish-last-good\` then \`catalogue ` +
            `serve\`\n`,
        );
        return 1;
      }
      throw error;
    }
    return serveUntilStopped(
      defaultSiteOut,
      port,
      host,
      context,
      demo ? [{ prefix: filesPrefix, root: join(localBucket) }] : [],
    );
  },
});
