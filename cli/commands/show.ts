import { findRecord } from '../../catalog/load.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { renderYaml } from '../../catalog/write.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'show',
    description: `
Prints the record as YAML (as JSON with --json, with its status and manifest). Exit code 1 when the accession is
not in the catalogue or the record has errors.`,
  },
  args: {
    accession: { type: 'positional', required: true, description: 'the accession (or harvested id) of the record' },
  },
  async run({ positionals }, context) {
    if (positionals.length !== 1) throw new UsageError('give exactly one accession');
    const found = await findRecord(context.catalog, positionals[0], context.today);
    if (!found) {
      context.stderr.write(`${positionals[0]} is not in the catalogue at ${context.catalog}.\n`);
      return 1;
    }
    if (!found.record) {
      for (const problem of found.problems) context.stderr.write(formatProblem(problem) + '\n');
      return 1;
    }
    const { record } = found;
    if (context.json)
      writeJson(context, {
        status: record.status,
        kind: record.kind,
        record: record.data,
        manifest: record.manifest ?? null,
      });
    else context.stdout.write(`# ${record.summary.accession} (${record.status})\n${renderYaml(record.data)}`);
    return 0;
  },
});
