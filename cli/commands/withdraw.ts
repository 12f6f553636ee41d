import { withdrawEntry } from '../../catalog/withdraw.ts';
import { parseOptions, UsageError, writeJson, type Command } from '../command.ts';

const command: Command = {
  name: 'withdraw',
  summary: 'withdraw an entry: it becomes a tombstone whose accession keeps resolving',
  usage: `
Usage: catalogue withdraw <accession> --reason TEXT [--replaced-by ACCESSION] [--date YYYY-MM-DD]

Replaces entry.yaml with tombstone.yaml (reason, date, replacement); earlier versions stay under versions/.`,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { reason: { type: 'string' }, 'replaced-by': { type: 'string' }, date: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one accession');
    if (!values.reason) throw new UsageError('--reason is required: the public sees it on the tombstone page');
    const tombstone = await withdrawEntry(context.catalog, positionals[0], { reason: values.reason, date: values.date ?? context.today, replacedBy: values['replaced-by'] });
    if (context.json) writeJson(context, tombstone);
    else context.stdout.write(`${tombstone.accession} withdrawn on ${tombstone.withdrawn.date}.\n`);
    return 0;
  },
};
export default command;
