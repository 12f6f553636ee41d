import { checkCatalogue } from '../../catalog/check.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { defineCommand, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'list',
    description: `
--json prints an array of {accession, title, status, version, origin}: origin is null for a native entry and
{partner, identifier, datestamp} for a harvested one. Records with errors are not listed; run \`catalogue check\`.`,
  },
  args: {
    status: { type: 'string', value: 'live|embargoed|withdrawn', description: 'only the records of this status' },
  },
  async run({ values }, context) {
    const result = await checkCatalogue(context.catalog, { today: context.today });
    const rows = result.summaries.filter((s) => !values.status || s.status === values.status);
    for (const problem of result.problems.filter((p) => p.severity === 'error'))
      context.stderr.write(`skipped: ${formatProblem(problem)}\n`);
    if (context.json) {
      writeJson(context, rows);
      return 0;
    }
    for (const row of rows) {
      const origin = row.origin ? ` [${row.origin.partner}]` : '';
      context.stdout.write(
        `${row.accession.padEnd(12)} ${row.status.padEnd(9)} v${row.version ?? '-'}  ${row.title}${origin}\n`,
      );
    }
    context.stderr.write(`${rows.length} record(s).\n`);
    return 0;
  },
});
