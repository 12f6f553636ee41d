import { withdrawEntry } from '../../catalog/withdraw.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'withdraw',
    description:
      'Replaces entry.yaml with tombstone.yaml (reason, date, replacement); earlier versions stay under versions/.',
  },
  args: {
    accession: { type: 'positional', required: true, description: 'the entry to withdraw' },
    reason: { type: 'string', value: 'TEXT', description: 'why, shown on the tombstone page (required)' },
    'replaced-by': { type: 'string', value: 'ACCESSION', description: 'the entry that replaces it' },
    date: { type: 'string', value: 'YYYY-MM-DD', description: 'the date of the withdrawal (default today, UTC)' },
  },
  async run({ values, positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession');
    if (!values.reason) throw new UsageError('--reason is required: the public sees it on the tombstone page');
    const tombstone = await withdrawEntry(context.catalog, positionals[0], {
      reason: values.reason,
      date: values.date ?? context.today,
      replacedBy: values['replaced-by'],
    });
    if (context.json) writeJson(context, tombstone);
    else context.stdout.write(`${tombstone.accession} withdrawn on ${tombstone.withdrawn.date}.\n`);
    return 0;
  },
});
