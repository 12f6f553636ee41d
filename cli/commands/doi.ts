import { entryFolderNames } from '../../catalog/layout.ts';
import { defaultCatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { createDataciteClient } from '../../doi/datacite-client.ts';
import { dataciteConfigFromEnv } from '../../doi/datacite-config.ts';
import { syncDois, type DoiSyncResult } from '../../doi/sync.ts';
import { normaliseBaseUrl } from '../../site/lib/site-config.ts';
import { defineCommand, EnvironmentError, UsageError, writeJson, type CommandContext } from '../command.ts';

/**
 * Registers or updates the DOIs of the accessions when DataCite credentials are in the environment; undefined (and
 * nothing sent) when they are not. The landing pages are under `baseUrl`, else SITE_BASE_URL.
 */
export async function syncDoisFromEnv(
  context: CommandContext,
  accessions: readonly string[],
  baseUrl: string | undefined,
): Promise<DoiSyncResult[] | undefined> {
  const config = dataciteConfigFromEnv(process.env);
  if (!config) return undefined;
  const address = baseUrl ?? process.env.SITE_BASE_URL;
  if (!address)
    throw new EnvironmentError(
      'SITE_BASE_URL_MISSING',
      "DOI registration needs the site's address for the landing pages: give --base-url or set SITE_BASE_URL",
    );
  let info;
  try {
    info = { ...defaultCatalogueInfo, baseUrl: normaliseBaseUrl(address) };
  } catch (error) {
    throw new UsageError(`--base-url: ${(error as Error).message}`);
  }
  const client = createDataciteClient({ config });
  return syncDois(context.catalog, accessions, { client, prefix: config.prefix, info, today: context.today });
}

export function printDoiResults(context: CommandContext, results: readonly DoiSyncResult[]): void {
  for (const r of results) {
    if (r.action === 'skipped') continue;
    const what = { created: 'registered', 'created-draft': 'registered as a draft (embargoed)', updated: 'updated' };
    context.stdout.write(`${r.accession}: DOI ${r.doi} ${what[r.action]}\n`);
  }
}

export default defineCommand({
  meta: {
    name: 'doi',
    description: `
doi sync [ACCESSION...]: registers a DOI with DataCite for each entry without one (a draft, made findable once the
entry is public), and sends the current metadata for each entry or tombstone with one. Without accessions, every
record in entries/. Needs DATACITE_REPOSITORY_ID, DATACITE_PASSWORD and DATACITE_PREFIX (and DATACITE_API_URL for
another server than https://api.datacite.org); see docs/cross-references-and-dois.md.`,
  },
  args: {
    action: { type: 'positional', required: true, description: 'sync' },
    accessions: { type: 'positional', multiple: true, description: 'the records to sync (default all)' },
    'base-url': {
      type: 'string',
      value: 'URL',
      description: "the site's address, under which the landing pages are (default SITE_BASE_URL)",
    },
  },
  async run({ values, positionals }, context) {
    const [action, ...accessions] = positionals;
    if (action !== 'sync') throw new UsageError('expected `doi sync [ACCESSION...]`');
    const results = await syncDoisFromEnv(
      context,
      accessions.length ? accessions : entryFolderNames(context.catalog),
      values['base-url'],
    );
    if (!results)
      throw new EnvironmentError(
        'DATACITE_CREDENTIALS_MISSING',
        'DataCite credentials are not set: DATACITE_REPOSITORY_ID, DATACITE_PASSWORD and DATACITE_PREFIX',
      );
    if (context.json) writeJson(context, results);
    else printDoiResults(context, results);
    return 0;
  },
});
