import { join, resolve } from 'node:path';
import { formatProblem } from '../../catalog/problems.ts';
import { buildSite, ReleasedEntryError } from '../../site/lib/build-site.ts';
import { normaliseBaseUrl } from '../../site/lib/site-config.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

/** Where `catalogue build` writes by default: site/dist, beside the Astro project. */
export const defaultSiteOut = resolve(import.meta.dirname, '../../site/dist');

export default defineCommand({
  meta: {
    name: 'build',
    description: `
Builds the public site of the catalogue into DIR (default site/dist): one page per accession, search, browse
and statistics pages, /entries/<ACCESSION>.json, citation downloads, sitemap.xml, feed.xml, catalogue.jsonl.
Embargoed entries and submissions are never published. DIR is replaced only when the build succeeds.
A build into a DIR that an earlier build made writes only what changed: the pages, data files and search shards
of the entries whose content changed, and the pages that list or count entries; the result is the same as a
cold build's, byte for byte. What the earlier build wrote is kept in the cache folder (--cache); a change of the
code, the options or the mirrors makes the build cold, as does --force.

Environment: CATALOGUE_TODAY=YYYY-MM-DD builds as of that day (embargoes end on their release date).`,
  },
  args: {
    out: { type: 'string', value: 'DIR', description: 'destination folder (default site/dist)' },
    'base-url': {
      type: 'string',
      value: 'URL',
      description:
        'absolute address where the site will be served, used in canonical links, the sitemap, the\n' +
        'feed and JSON-LD (default http://localhost:4321/); may have a path, e.g. https://example.org/bic/',
    },
    name: {
      type: 'string',
      value: 'NAME',
      description: 'the catalogue\'s name on its pages (default "Bioimage Catalogue")',
    },
    cache: {
      type: 'string',
      value: 'DIR',
      description: 'the cache of incremental builds (default node_modules/.cache/catalogue-build)',
    },
    force: { type: 'boolean', description: 'build everything, whatever the cache holds (the cache is rewritten)' },
    'publish-last-good': {
      type: 'boolean',
      description:
        'a released entry with errors is published from its newest saved version that passes the\n' +
        'checks (versions/<N>.yaml), with a notice on its page and a line in the log; without it the\n' +
        'build fails (exit 1) naming the entry and its errors, since its page would otherwise vanish',
    },
  },
  async run({ values }, context) {
    let baseUrl: string | undefined;
    try {
      baseUrl = values['base-url'] ? normaliseBaseUrl(values['base-url']) : undefined;
    } catch (error) {
      throw new UsageError(`--base-url: ${(error as Error).message}`);
    }
    const out = values.out ? resolve(values.out) : defaultSiteOut;
    if (out === resolve(context.catalog) || resolve(context.catalog).startsWith(out + '/'))
      throw new UsageError('--out must not be the catalogue folder or hold it: the folder is replaced whole');
    try {
      const result = await buildSite({
        catalog: context.catalog,
        out,
        baseUrl,
        name: values.name,
        publishLastGood: values['publish-last-good'] ?? false,
        cacheDir: values.cache ? resolve(values.cache) : undefined,
        force: values.force ?? false,
        today: context.today,
        log: context.json ? undefined : (line) => context.stderr.write(line + '\n'),
      });
      if (context.json) writeJson(context, result);
      else
        context.stdout.write(
          `built ${result.records} records into ${result.out}: ${result.pages} pages, search index in ` +
            `${result.searchShards.length} shard(s), ${(result.ms / 1000).toFixed(1)} s` +
            (result.cold
              ? ` (cold: ${result.cold})`
              : ` (incremental: ${result.entriesWritten} entries and ${result.shardsBuilt} search shard(s) written)`) +
            `\nopen ` +
            `${join(result.out, 'index.html')} or run: npx catalogue serve --dir ${result.out}\n`,
        );
      return 0;
    } catch (error) {
      if (error instanceof ReleasedEntryError) {
        if (context.json) writeJson(context, { code: error.code, problems: error.problems });
        else
          context.stderr.write(
            `${error.problems.map(formatProblem).join('\n')}\nthe site was not built: a released entry would ` +
              `be missing from it (the previous site is left as it was)\n`,
          );
        return 1;
      }
      throw error;
    }
  },
});
