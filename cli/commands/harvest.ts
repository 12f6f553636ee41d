// `catalogue harvest`: harvest a partner (or any OAI-PMH base URL) into <catalog>/harvested/, or run every partner
// on its schedule.
import { resolve } from 'node:path';
import cron from 'node-cron';
import type { Partner } from '../../schemas/index.ts';
import { CatalogError } from '../../catalog/errors.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { HarvestError } from '../../harvester/errors.ts';
import { harvest, type HarvestProgress, type HarvestSummary } from '../../harvester/harvest.ts';
import { acquireLock, recordRun, runFromSummary } from '../../harvester/harvest-log.ts';
import { defaultPartnersFile, loadPartners, partnerIdForUrl } from '../../harvester/partners.ts';
import { EnvironmentError, UsageError, parseOptions, writeJson, type Command, type CommandContext } from '../command.ts';

const dateArgument = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

function progressPrinter(context: CommandContext): ((p: HarvestProgress) => void) | undefined {
  const stream = context.stderr as NodeJS.WriteStream;
  if (!stream.isTTY || context.json) return undefined;
  const started = performance.now();
  return (p) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = p.records / Math.max(seconds, 0.001);
    const eta = p.completeListSize && rate > 0 ? Math.max(0, (p.completeListSize - p.records) / rate) : undefined;
    stream.write(`\r  ${p.pages} page(s), ${p.records}${p.completeListSize ? `/${p.completeListSize}` : ''} records, ${p.deleted} deleted, ${p.quarantined} quarantined, ${rate.toFixed(0)} rec/s${eta !== undefined ? `, ETA ${eta.toFixed(0)} s` : ''}   `);
  };
}

/** Harvests every set of one partner, under the lock, and logs the run. */
async function harvestPartner(partner: Partner, context: CommandContext, options: { prefix?: string; set?: string; from?: string; until?: string; full?: boolean }): Promise<HarvestSummary[]> {
  const release = await acquireLock(context.catalog);
  const summaries: HarvestSummary[] = [];
  const sets = options.set ? [options.set] : partner.sets?.length ? partner.sets : [undefined];
  try {
    for (const set of sets) {
      const startedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      try {
        const summary = await harvest({
          catalog: context.catalog,
          target: { partner: partner.id, baseUrl: partner.baseUrl, metadataPrefix: options.prefix ?? partner.metadataPrefix, set, defaultLicense: partner.defaultLicense, contact: process.env.HARVEST_CONTACT },
          from: options.from, until: options.until, full: options.full,
          onProgress: progressPrinter(context),
          clientOptions: { httpOptions: { onRetry: (r) => context.stderr.write(`\n  retrying ${r.url} in ${(r.waitMs / 1000).toFixed(1)} s: ${r.reason}\n`) } },
        });
        if (progressPrinter(context)) context.stderr.write('\n');
        summaries.push(summary);
        await recordRun(context.catalog, partner, runFromSummary(summary, startedAt));
      } catch (error) {
        await recordRun(context.catalog, partner, { startedAt, finishedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), status: 'failed', set: set ?? null, pages: 0, records: 0, deleted: 0, quarantined: 0, problems: 0, error: (error as Error).message });
        throw error;
      }
    }
  } finally {
    await release();
  }
  return summaries;
}

const command: Command = {
  name: 'harvest',
  summary: 'harvest partner archives over OAI-PMH into harvested/<partner>/ (once, or on their schedules)',
  usage: `
Usage: catalogue harvest <partner-id | base-URL> [--prefix P] [--set S] [--from DATE] [--until DATE] [--full]
       catalogue harvest --schedule
Options: --partners FILE (default harvester/partners.yaml), --catalog DIR, --json

Harvests ListRecords page by page, committing each page with its position, so an interrupted harvest resumes where
it stopped. Without --from, a harvest continues from the newest datestamp of the last complete one (incremental);
--full harvests everything again. DATE is YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.
A base URL instead of a partner id harvests that repository as partner <its host name> (default prefix oai_dc).

--json prints [{partner, pages, records, deleted, quarantined, problems[], from, until, durationMs, ...}], one per set.
--schedule runs every enabled partner on its cron schedule until stopped (Ctrl-C), one harvest at a time.
Exit codes: 0 harvested, 1 some records were quarantined (see problems), 2 usage error or the partner failed.
Environment: HARVEST_CONTACT, the contact address sent in the User-Agent (mailto:you@example.org).`,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, {
      prefix: { type: 'string' }, set: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' },
      full: { type: 'boolean' }, schedule: { type: 'boolean' }, partners: { type: 'string' }, pr: { type: 'boolean' },
    });
    if (values.pr) throw new UsageError('--pr is not available yet: commit the changes under harvested/ and open the pull request yourself');
    for (const name of ['from', 'until'] as const) {
      if (values[name] !== undefined && !dateArgument.test(values[name]!)) throw new UsageError(`--${name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '${values[name]}'`);
    }
    const partnersFile = values.partners ? resolve(values.partners) : defaultPartnersFile;
    const loadRegistry = () => loadPartners(partnersFile, values.partners ?? 'harvester/partners.yaml');

    if (values.schedule) {
      if (positionals.length) throw new UsageError('--schedule runs every partner; give no partner');
      const { partners } = await loadRegistry();
      const enabled = partners.filter((p) => p.enabled !== false);
      let running = Promise.resolve();
      for (const partner of enabled) {
        cron.schedule(partner.schedule, () => {
          // One harvest at a time in this process; the lock file keeps other processes out too.
          running = running.then(async () => {
            try {
              const summaries = await harvestPartner(partner, context, {});
              context.stderr.write(`${new Date().toISOString()} ${partner.id}: ${summaries.reduce((n, s) => n + s.records, 0)} records\n`);
            } catch (error) {
              context.stderr.write(`${new Date().toISOString()} ${partner.id}: failed: ${(error as Error).message}\n`);
            }
          });
        }, { name: `harvest-${partner.id}`, noOverlap: true });
      }
      context.stderr.write(`Scheduled ${enabled.length} partner(s): ${enabled.map((p) => `${p.id} (${p.schedule})`).join(', ')}. Ctrl-C stops.\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await cron.shutdown?.();
      await running;
      return 0;
    }

    if (positionals.length !== 1) throw new UsageError('give one partner id (see harvester/partners.yaml) or one OAI-PMH base URL');
    const target = positionals[0];
    let partner: Partner;
    if (/^https?:\/\//i.test(target)) {
      partner = { id: partnerIdForUrl(target), name: new URL(target).hostname, baseUrl: target, metadataPrefix: values.prefix ?? 'oai_dc', schedule: '0 3 * * *', contact: 'unknown@example.org' };
    } else {
      const { partners } = await loadRegistry();
      const found = partners.find((p) => p.id === target);
      if (!found) throw new UsageError(`no partner '${target}' in ${values.partners ?? 'harvester/partners.yaml'} (partners: ${partners.map((p) => p.id).join(', ')})`);
      partner = found;
    }
    let summaries: HarvestSummary[];
    try {
      summaries = await harvestPartner(partner, context, { prefix: values.prefix, set: values.set, from: values.from, until: values.until, full: values.full });
    } catch (error) {
      if (error instanceof HarvestError) throw new EnvironmentError(error.code, `harvest of ${partner.id} failed: ${error.message}. The pages harvested so far are kept; run the same command again to resume.`, { cause: error });
      if (error instanceof CatalogError) throw error;
      throw error;
    }
    if (context.json) writeJson(context, summaries);
    else {
      for (const s of summaries) {
        for (const problem of s.problems) context.stderr.write(`${formatProblem(problem)}\n`);
        context.stdout.write(`${s.partner}${s.set ? ` [${s.set}]` : ''}: ${s.pages} page(s), ${s.records} records (${s.deleted} deleted, ${s.quarantined} quarantined), ${s.written} written, ${(s.durationMs / 1000).toFixed(1)} s${s.resumed ? ', resumed' : ''}\n`);
      }
    }
    return summaries.some((s) => s.problems.some((p) => p.severity === 'error')) ? 1 : 0;
  },
};
export default command;
