import { withdrawEntry } from '../../catalog/withdraw.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { printDoiResults, syncDoisFromEnv } from './doi.ts';

export default defineCommand({
  meta: {
    name: 'withdraw',
    description:
      'Replaces entry.yaml with tombstone.yaml (reason, date, replacement); earlier versions stay under versions/.\n' +
      "An entry with a DOI keeps it: with DataCite credentials set, its metadata is updated to the tombstone's.",
  },
  args: {
    accession: { type: 'positional', required: true, description: 'the entry to withdraw' },
    reason: { type: 'string', value: 'TEXT', description: 'why, shown on the tombstone page (required)' },
    'replaced-by': { type: 'string', value: 'ACCESSION', description: 'the entry that replaces it' },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'the date of the withdrawal (default today, UTC)' },
    'base-url': {
      type: 'string',
      value: 'URL',
      description: "the site's address, for the DOI's landing page (default SITE_BASE_URL)",
    },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession');
    if (!values.reason) throw new UsageError('--reason is required: the public sees it on the tombstone page');
    const tombstone = await withdrawEntry(context.catalog, positionals[0], {
      reason: values.reason,
      date: values.date ?? context.today,
      replacedBy: values['replaced-by'],
    });
    // A withdrawn entry's DOI stays findable, resolving to the tombstone page with the withdrawal in its metadata.
    const dois = tombstone.doi ? await syncDoisFromEnv(context, [tombstone.accession], values['base-url']) : undefined;
    if (context.json) writeJson(context, tombstone);
    else {
      context.stdout.write(`${tombstone.accession} withdrawn on ${tombstone.withdrawn.date}.\n`);
      if (dois) printDoiResults(context, dois);
    }
    return 0;
  },
});
