import { checkCatalogue } from '../../catalog/check.ts';
import { countErrors, formatProblem } from '../../catalog/problems.ts';
import type { Command } from '../command.ts';

// The README's main command (`npm start`). Until the site lands it validates and lists the demo catalogue.
const command: Command = {
  name: 'start',
  summary: 'the main job: check the catalogue and list what it publishes',
  usage: `
Usage: catalogue start [--catalog DIR]

Checks the catalogue and lists its entries.`,
  async run(_args, context) {
    const result = await checkCatalogue(context.catalog, { today: context.today });
    for (const problem of result.problems) context.stdout.write(formatProblem(problem) + '\n');
    for (const row of result.summaries) context.stdout.write(`${row.accession.padEnd(12)} ${row.status.padEnd(9)} ${row.title}\n`);
    context.stdout.write(`${result.summaries.length} entries; ${countErrors(result.problems)} error(s).\n`);
    return countErrors(result.problems) > 0 ? 1 : 0;
  },
};
export default command;
