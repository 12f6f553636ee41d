import { checkCatalogue } from '../../catalog/check.ts';
import { countErrors, formatProblem } from '../../catalog/problems.ts';
import { defineCommand, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'check',
    description: `
Checks every entry, submission, tombstone and harvested record against the schemas and the rules beyond them
(ORCID and ROR check digits, SPDX licences, NCBI taxon and FBbi ids, references, safe manifest paths...), then
the catalogue-wide invariants (unique accessions, the ledger). With paths, checks only the records they belong
to (the pull-request check) plus the invariants.

Prints one line per problem: file:line:column #/json/pointer CODE message Fix: what to do.
--json prints {checked, errors, warnings, problems[]}.
Exit code 0 when there is no error (warnings allowed), 1 otherwise.`,
  },
  args: {
    paths: {
      type: 'positional',
      multiple: true,
      description: 'files or folders of the records to check (default: all)',
    },
    quiet: { type: 'boolean', description: 'print errors only' },
  },
  async run({ values, positionals }, context) {
    const result = await checkCatalogue(context.catalog, {
      today: context.today,
      only: positionals.length ? positionals : undefined,
    });
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
});
