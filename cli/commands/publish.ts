import { resolve } from 'node:path';
import { publishSite } from '../../site/lib/publish-site.ts';
import { assertSafePrefix } from '../../storage/keys.ts';
import { findMirror, loadMirrors, openStore } from '../../storage/mirrors.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { defaultSiteOut } from './build.ts';

export default defineCommand({
  meta: {
    name: 'publish',
    description: `
catalogue publish --to MIRROR [--dir DIR] [--prefix PREFIX/]
Puts the site built by \`catalogue build\` (default site/dist) into a mirror of storage/mirrors.yaml, a bucket or
folder that serves it. Only files whose bytes changed are sent; new files are stored before the pages that link
to them, and files of the previous site are removed last, so no page ever links to a missing file. Each object
gets its Content-Type and Cache-Control (fingerprinted search files for a year, pages and data for 5 minutes).
Objects this command did not put there are never removed or replaced (it keeps a record,
.catalogue-publish.json). An interrupted publish is finished by running the command again.
Exit 2 when the site is missing, the mirror cannot be reached or some files could not be sent.`,
  },
  args: {
    to: { type: 'string', value: 'MIRROR', description: 'the mirror of storage/mirrors.yaml to publish to (required)' },
    dir: { type: 'string', value: 'DIR', description: 'the built site (default site/dist)' },
    prefix: {
      type: 'string',
      value: 'PREFIX/',
      description: "where in the mirror the site goes (default: the mirror's own location)",
    },
    gzip: {
      type: 'boolean',
      description: 'store text files gzipped, served with Content-Encoding: gzip (for buckets served as they are)',
    },
    force: {
      type: 'boolean',
      description: 'send every file again, and replace objects in the way that this command did not publish',
    },
    mirrors: {
      type: 'string',
      value: 'FILE',
      description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
    },
  },
  async run({ values }, context) {
    if (!values.to) throw new UsageError('--to MIRROR is required (a mirror of storage/mirrors.yaml)');
    const prefix = values.prefix ?? '';
    try {
      assertSafePrefix(prefix);
    } catch (error) {
      throw new UsageError(`--prefix: ${(error as Error).message}`);
    }
    const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
    const mirror = findMirror(config, values.to);
    const store = openStore({ ...mirror, prefix: (mirror.prefix ?? '') + prefix }, config);
    const dir = values.dir ? resolve(values.dir) : defaultSiteOut;
    const started = performance.now();
    const report = await publishSite({
      dir,
      store,
      gzip: values.gzip,
      force: values.force,
      log: context.json ? undefined : (line) => context.stderr.write(`${line}\n`),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (context.json) writeJson(context, { mirror: mirror.id, prefix, ...report, seconds: Number(seconds) });
    else
      context.stdout.write(
        `published ${dir} to ${store.where}: ${report.uploaded} of ${report.files} file(s) sent ` +
          `(${report.bytesSent} bytes), ${report.unchanged} unchanged, ${report.deleted} removed, ${seconds} s\n`,
      );
    return 0;
  },
});
