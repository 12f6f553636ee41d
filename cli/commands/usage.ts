import { resolve } from 'node:path';
import { formatProblem } from '../../catalog/problems.ts';
import { findMirror, loadMirrors } from '../../storage/mirrors.ts';
import { defineCommand, defineGroup, UsageError, writeJson } from '../command.ts';

const mirrorsArg = {
  type: 'string',
  value: 'FILE',
  description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
} as const;

/** Skipped lines are printed up to this many per run; the rest are counted in the summary. */
const shownProblems = 50;

export default defineGroup({
  meta: {
    name: 'usage',
    description: `
Usage statistics after the COUNTER Code of Practice for Research Data (docs/usage-statistics.md): the counts are
kept in <catalog>/usage/<mirror>.json and published by \`catalogue build\`.`,
  },
  subCommands: {
    ingest: defineCommand({
      meta: {
        name: 'ingest',
        summary: "count the uses of each dataset in a mirror's access logs (S3, CloudFront or combined)",
        description: `
Reads every log under --logs (a folder, one file, or s3://bucket/prefix read with the mirror's endpoint and
credentials), in name order, and adds the counts to <catalog>/usage/<mirror>.json. A log already read is not
read again; a log that grew is read from where the last run stopped. Robots (COUNTER robots list) are left out,
double-clicks counted once. No address or User-Agent is stored.
Exit codes: 0 done, 1 some lines or logs could not be read (they are listed), 2 usage or environment.`,
      },
      args: {
        mirror: {
          type: 'string',
          value: 'ID',
          description: 'the mirror whose logs these are (its id in mirrors.yaml)',
        },
        logs: { type: 'string', value: 'PATH', description: 'a folder or file of logs, or s3://bucket/prefix' },
        mirrors: mirrorsArg,
      },
      async run({ values }, context) {
        if (!values.mirror || !values.logs) throw new UsageError('usage ingest needs --mirror ID and --logs PATH');
        const [{ ingestLogs }, { openLogSource }, { stateFileOf }] = await Promise.all([
          import('../../storage/usage/ingest.ts'),
          import('../../storage/usage/log-sources.ts'),
          import('../../storage/usage/usage-state.ts'),
        ]);
        const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
        const mirror = findMirror(config, values.mirror);
        const logs = values.logs.startsWith('s3://') ? values.logs : resolve(values.logs);
        let problems = 0;
        const summary = await ingestLogs({
          mirror: mirror.id,
          prefix: mirror.prefix ?? '',
          stateFile: stateFileOf(context.catalog, mirror.id),
          source: openLogSource(logs, mirror),
          onProblem(problem) {
            if (++problems <= shownProblems) context.stderr.write(formatProblem(problem) + '\n');
          },
        });
        if (problems > shownProblems)
          context.stderr.write(`... and ${problems - shownProblems} more line(s) skipped, not shown\n`);
        if (context.json) writeJson(context, summary);
        else
          context.stdout.write(
            `${mirror.id}: ${summary.read} log(s) read, ${summary.alreadyRead} already read; ${summary.lines} ` +
              `line(s), ${summary.uses} use(s) of datasets (${summary.doubleClicks} double-click(s)), ` +
              `${summary.robots} robot request(s) and ${summary.notCounted} other request(s) not counted, ` +
              `${summary.skippedLines} line(s) skipped.\n`,
          );
        return problems > 0 ? 1 : 0;
      },
    }),
    report: defineCommand({
      meta: {
        name: 'report',
        summary: 'print the COUNTER Dataset Report (DSR, JSON) of every mirror summed',
      },
      args: {
        base: {
          type: 'string',
          value: 'URL',
          description: 'the site address the entry pages are under (default https://example.org/)',
          default: 'https://example.org/',
        },
      },
      async run({ values }, context) {
        const { usageReport } = await import('../../site/lib/usage-report.ts');
        writeJson(context, await usageReport(context.catalog, { base: values.base, today: context.today }));
        return 0;
      },
    }),
  },
});
