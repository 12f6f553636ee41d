import { checkCatalogue } from '../../catalog/check.ts';
import { countErrors, formatProblem } from '../../catalog/problems.ts';
import { parseOptions, writeJson, type Command } from '../command.ts';

const command: Command = {
  name: 'check',
  summary: 'validate the catalogue, or only the entries the given paths belong to',
  usage: `
Usage: catalogue check [paths...] [--catalog DIR] [--json] [--quiet]

Checks every entry, submission, tombstone and harvested record against the schemas and the rules beyond them
(ORCID and ROR check digits, SPDX licences, NCBI taxon and FBbi ids, references, safe manifest paths...), then
the catalogue-wide invariants (unique accessions, the ledger). With paths, checks only the records they belong
to (the pull-request check) plus the invariants.

Prints one line per problem: file:line:column #/json/pointer CODE message Fix: what to do.
--json prints {checked, errors, warnings, problems[]}. --quiet prints errors only.
Exit code 0 when there is no error (warnings allowed), 1 otherwise.`,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { quiet: { type: 'boolean' } });
    const result = await checkCatalogue(context.catalog, { today: context.today, only: positionals.length ? positionals : undefined });
    const errors = countErrors(result.problems);
    const warnings = result.problems.length - errors;
    if (context.json) {
      writeJson(context, { checked: result.checked, errors, warnings, problems: result.problems });
    } else {
      for (const problem of result.problems) {
        if (values.quiet && problem.severity !== 'error') continue;
        context.stdout.write(formatProblem(problem) + '\n');
      }
      context.stderr.write(`${result.checked} record(s) checked: ${errors} error(s), ${warnings} warning(s).\n`);
    }
    return errors > 0 ? 1 : 0;
  },
};
export default command;
