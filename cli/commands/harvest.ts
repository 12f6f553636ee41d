// `catalogue harvest`: harvest a partner (or any OAI-PMH base URL) into <catalog>/harvested/, or run every partner
// on its schedule.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import type { Partner } from '../../schemas/index.ts';
import { toIsoSeconds } from '../../catalog/dates.ts';
import { CatalogError } from '../../catalog/errors.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { HarvestError } from '../../harvester/errors.ts';
import { cleanMessage } from '../../harvester/partner-text.ts';
import { escapeMarkdown } from '../../catalog/report/markdown.ts';
import { harvest, statePath, type HarvestProgress, type HarvestSummary } from '../../harvester/harvest.ts';
import { acquireLock, failedRun, harvestLogFile, recordRun, runFromSummary } from '../../harvester/harvest-log.ts';
import { defaultPartnersFile, loadPartners, partnerIdForUrl } from '../../harvester/partners.ts';
import { crateStatePath, harvestCratePartner, isCratePartner } from '../../harvester/ro-crate/crate-partner.ts';
import { defineCommand, EnvironmentError, UsageError, writeJson, type CommandContext } from '../command.ts';
import { createGitHub, parseRepository } from '../github/client.ts';
import { harvestChanges, openHarvestPullRequest, type OpenedPullRequest } from '../github/harvest-pull-request.ts';

const dateArgument = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

function progressPrinter(context: CommandContext): ((p: HarvestProgress) => void) | undefined {
  const stream = context.stderr as NodeJS.WriteStream;
  if (!stream.isTTY || context.json) return undefined;
  const started = performance.now();
  return (p) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = p.records / Math.max(seconds, 0.001);
    const eta = p.completeListSize && rate > 0 ? Math.max(0, (p.completeListSize - p.records) / rate) : undefined;
    stream.write(
      `\r  ${p.pages} page(s), ${p.records}${p.completeListSize ? `/${p.completeListSize}` : ''} records, ` +
        `${p.deleted} deleted, ${p.quarantined} quarantined, ${rate.toFixed(0)} ` +
        `rec/s${eta !== undefined ? `, ETA ${eta.toFixed(0)} s` : ''}   `,
    );
  };
}

/** Harvests every set of one partner, under the lock, and logs the run. */
async function harvestPartner(
  partner: Partner,
  context: CommandContext,
  options: { prefix?: string; set?: string; from?: string; until?: string; full?: boolean },
): Promise<HarvestSummary[]> {
  const release = await acquireLock(context.catalog);
  const summaries: HarvestSummary[] = [];
  const sets = options.set ? [options.set] : partner.sets?.length ? partner.sets : [undefined];
  try {
    if (isCratePartner(partner)) return [await harvestCratesLogged(partner, context, options.full)];
    for (const set of sets) {
      const startedAt = toIsoSeconds(new Date());
      try {
        const summary = await harvest({
          catalog: context.catalog,
          target: {
            partner: partner.id,
            baseUrl: partner.baseUrl,
            metadataPrefix: options.prefix ?? partner.metadataPrefix,
            set,
            defaultLicense: partner.defaultLicense,
            contact: process.env.HARVEST_CONTACT,
            allowPrivateNetwork: partner.allowPrivateNetwork === true,
          },
          from: options.from,
          until: options.until,
          full: options.full,
          onProgress: progressPrinter(context),
          clientOptions: {
            httpOptions: {
              onRetry: (r) =>
                context.stderr.write(`\n  retrying ${r.url} in ${(r.waitMs / 1000).toFixed(1)} s: ${r.reason}\n`),
            },
          },
        });
        if (progressPrinter(context)) context.stderr.write('\n');
        summaries.push(summary);
        await recordRun(context.catalog, partner, runFromSummary(summary, startedAt));
      } catch (error) {
        await recordRun(
          context.catalog,
          partner,
          failedRun(error, { startedAt, finishedAt: toIsoSeconds(new Date()), set: set ?? null }),
        );
        throw error;
      }
    }
  } finally {
    await release();
  }
  return summaries;
}

/** Harvests a partner that publishes RO-Crates (harvester/ro-crate/), under the caller's lock, and logs the run. */
async function harvestCratesLogged(partner: Partner, context: CommandContext, full?: boolean): Promise<HarvestSummary> {
  const startedAt = toIsoSeconds(new Date());
  try {
    const summary = await harvestCratePartner(partner, {
      catalog: context.catalog,
      full,
      contact: process.env.HARVEST_CONTACT,
      githubApiUrl: process.env.GITHUB_API_URL,
      githubToken: process.env.GITHUB_TOKEN?.trim() || process.env.GH_TOKEN?.trim() || undefined,
    });
    await recordRun(context.catalog, partner, runFromSummary(summary, startedAt));
    return summary;
  } catch (error) {
    await recordRun(
      context.catalog,
      partner,
      failedRun(error, { startedAt, finishedAt: toIsoSeconds(new Date()), set: null }),
    );
    throw error;
  }
}

export default defineCommand({
  meta: {
    name: 'harvest',
    description: `
catalogue harvest <partner-id | base-URL> harvests once; catalogue harvest --schedule runs every enabled partner
on its cron schedule until stopped (Ctrl-C), one harvest at a time.

Harvests ListRecords page by page, committing each page with its position, so an interrupted harvest resumes where
it stopped. Without --from, a harvest continues from the newest datestamp of the last complete one (incremental);
--full harvests everything again. DATE is YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.
A base URL instead of a partner id harvests that repository as partner <its host name> (default prefix oai_dc).
Redirects and host names that lead to a non-public address (loopback, private, link-local) are refused
(PRIVATE_ADDRESS) unless the partner has allowPrivateNetwork: true, or --allow-private-network for a base URL.
A partner with protocol: ro-crate is read from its RO-Crates instead (crates: urls, sitemap or a GitHub folder;
If-None-Match and If-Modified-Since on each crate, the commit of a folder; docs/ro-crate-harvest.md).

--json prints [{partner, pages, records, deleted, quarantined, problems[], from, until, durationMs, ...}], one per set;
with --pr, {"harvests": [...], "pullRequest": {number, url, branch, commit, files} | null}.
--pr then proposes what the harvest changed (harvested/<partner>/ records it wrote, its harvest state, the
harvest log) as a pull request on the catalogue's repository: a branch harvest/<partner>-<time> in the repository
itself (the token must be allowed to write to it), one commit, the harvest's summary and problems in the body.
Exit codes: 0 harvested, 1 some records were quarantined (see problems), 2 usage error or the partner failed.
Environment: HARVEST_CONTACT, the contact address sent in the User-Agent (mailto:you@example.org); for a GitHub
folder of crates, GITHUB_API_URL (default https://api.github.com) and GITHUB_TOKEN (optional, raises the rate limit);
for --pr, GITHUB_TOKEN (or GH_TOKEN): a token with Contents: write and Pull requests: write on the repository.`,
  },
  args: {
    partner: { type: 'positional', description: 'a partner id of the partners file, or an OAI-PMH base URL' },
    prefix: { type: 'string', value: 'P', description: "the metadataPrefix (default: the partner's)" },
    set: { type: 'string', value: 'S', description: "one set (default: the partner's sets, or the whole repository)" },
    from: { type: 'string', value: 'DATE', description: 'harvest records changed from DATE' },
    until: { type: 'string', value: 'DATE', description: 'harvest records changed until DATE' },
    full: { type: 'boolean', description: 'harvest everything again' },
    schedule: { type: 'boolean', description: 'run every enabled partner on its schedule; give no partner' },
    partners: { type: 'string', value: 'FILE', description: 'the partners file (default harvester/partners.yaml)' },
    'allow-private-network': { type: 'boolean', description: 'a base URL may lead to a non-public address' },
    pr: { type: 'boolean', description: 'open a pull request with what the harvest changed' },
    repo: {
      type: 'string',
      value: 'OWNER/NAME',
      description: 'with --pr: the repository (default: $CATALOGUE_GITHUB_REPO, else package.json "repository")',
    },
    'api-url': {
      type: 'string',
      value: 'URL',
      description: 'with --pr: GitHub REST API root (default: $GITHUB_API_URL, else https://api.github.com)',
    },
    'catalog-path': {
      type: 'string',
      value: 'DIR',
      description: "with --pr: the catalogue's folder in the repository (default: archive)",
    },
    'max-files': {
      type: 'string',
      value: 'N',
      description: 'with --pr: refuse a pull request of more than N files (default 2000; commit larger ones with git)',
    },
  },
  async run({ values, positionals }, context) {
    // Everything --pr needs is checked before harvesting: a harvest is long, and its pull request should not fail on
    // a typo.
    const pr = values.pr ? await pullRequestSettings(values) : undefined;
    if (!values.pr && (values.repo ?? values['api-url'] ?? values['catalog-path'] ?? values['max-files']) !== undefined)
      throw new UsageError('--repo, --api-url, --catalog-path and --max-files go with --pr');
    if (values.pr && values.schedule)
      throw new UsageError(
        '--pr goes with one harvest, not --schedule (run the scheduled harvests from a workflow that opens the ' +
          'pull request)',
      );
    for (const name of ['from', 'until'] as const) {
      if (values[name] !== undefined && !dateArgument.test(values[name]!))
        throw new UsageError(`--${name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '${values[name]}'`);
    }
    const partnersFile = values.partners ? resolve(values.partners) : defaultPartnersFile;
    const loadRegistry = () => loadPartners(partnersFile, values.partners ?? 'harvester/partners.yaml');

    if (values.schedule) {
      if (positionals.length) throw new UsageError('--schedule runs every partner; give no partner');
      const { partners } = await loadRegistry();
      const enabled = partners.filter((p) => p.enabled !== false);
      let running = Promise.resolve();
      for (const partner of enabled) {
        cron.schedule(
          partner.schedule,
          () => {
            // One harvest at a time in this process; the lock file keeps other processes out too.
            running = running.then(async () => {
              try {
                const summaries = await harvestPartner(partner, context, {});
                context.stderr.write(
                  `${new Date().toISOString()} ${partner.id}: ${summaries.reduce((n, s) => n + s.records, 0)} ` +
                    `records\n`,
                );
              } catch (error) {
                context.stderr.write(
                  `${new Date().toISOString()} ${partner.id}: failed: ${cleanMessage((error as Error).message, 400)}\n`,
                );
              }
            });
          },
          { name: `harvest-${partner.id}`, noOverlap: true },
        );
      }
      context.stderr.write(
        `Scheduled ${enabled.length} partner(s): ${enabled.map((p) => `${p.id} (${p.schedule})`).join(', ')}. ` +
          `Ctrl-C stops.\n`,
      );
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await cron.shutdown?.();
      await running;
      return 0;
    }

    if (positionals.length !== 1)
      throw new UsageError('give one partner id (see harvester/partners.yaml) or one OAI-PMH base URL');
    const target = positionals[0];
    let partner: Partner;
    if (/^https?:\/\//i.test(target)) {
      partner = {
        id: partnerIdForUrl(target),
        name: new URL(target).hostname,
        baseUrl: target,
        metadataPrefix: values.prefix ?? 'oai_dc',
        schedule: '0 3 * * *',
        contact: 'unknown@example.org',
        allowPrivateNetwork: values['allow-private-network'] === true,
      };
    } else {
      const { partners } = await loadRegistry();
      const found = partners.find((p) => p.id === target);
      if (!found)
        throw new UsageError(
          `no partner '${target}' in ${values.partners ?? 'harvester/partners.yaml'} (partners: ` +
            `${partners.map((p) => p.id).join(', ')})`,
        );
      partner = found;
    }
    let summaries: HarvestSummary[];
    const startedAt = new Date();
    try {
      summaries = await harvestPartner(partner, context, {
        prefix: values.prefix,
        set: values.set,
        from: values.from,
        until: values.until,
        full: values.full,
      });
    } catch (error) {
      // The message may quote the partner (an OAI error, a reason phrase): cleaned, as in harvest-log.json.
      if (error instanceof HarvestError)
        throw new EnvironmentError(
          error.code,
          `harvest of ${partner.id} failed: ${cleanMessage(error.message, 400)}. The pages harvested so far ` +
            `are kept; run the same command again to resume.`,
          { cause: error },
        );
      if (error instanceof CatalogError) throw error;
      throw error;
    }
    let pullRequest: (OpenedPullRequest & { files: number }) | null = null;
    if (!context.json) {
      for (const s of summaries) {
        for (const problem of s.problems) context.stderr.write(`${formatProblem(problem)}\n`);
        context.stdout.write(
          `${s.partner}${s.set ? ` [${s.set}]` : ''}: ${s.pages} page(s), ${s.records} records (${s.deleted} ` +
            `deleted, ${s.quarantined} quarantined), ${s.written} written, ${(s.durationMs / 1000).toFixed(1)} ` +
            `s${s.resumed ? ', resumed' : ''}\n`,
        );
      }
    }
    if (pr) {
      const extra = [
        ...summaries.map((s) =>
          statePath(context.catalog, {
            partner: partner.id,
            baseUrl: partner.baseUrl,
            metadataPrefix: s.metadataPrefix,
            set: s.set ?? undefined,
          }),
        ),
        join(context.catalog, harvestLogFile),
        ...(isCratePartner(partner) ? [crateStatePath(context.catalog, partner.id)] : []),
      ];
      const files = await harvestChanges(context.catalog, partner.id, startedAt, extra, pr.catalogPath);
      const records = files.filter((f) => f.path.startsWith(`${pr.catalogPath}/harvested/`)).length;
      if (records === 0) {
        if (!context.json) context.stdout.write('No record changed: no pull request opened.\n');
      } else if (files.length > pr.maxFiles) {
        throw new EnvironmentError(
          'PR_TOO_LARGE',
          `the harvest changed ${files.length} files, more than --max-files ${pr.maxFiles}: a pull request ` +
            `through the API would take ${files.length} uploads. The files are in ${context.catalog}; commit ` +
            `them with git and push, or raise --max-files.`,
        );
      } else {
        const time = startedAt
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}Z$/, 'Z')
          .replace('T', '-');
        const total = (key: 'records' | 'deleted' | 'quarantined' | 'written') =>
          summaries.reduce((n, s) => n + s[key], 0);
        const opened = await openHarvestPullRequest(createGitHub({ token: pr.token, apiUrl: pr.apiUrl }), {
          owner: pr.owner,
          repo: pr.repo,
          branch: `harvest/${partner.id}-${time}`,
          files,
          title: `Harvest ${partner.id}: ${records} record(s) changed`,
          commitMessage: `Harvest ${partner.id} (${partner.baseUrl}): ${records} record(s) changed`,
          body: pullRequestBody(partner, summaries, records, files.length, total),
          progress: context.json ? undefined : (line) => context.stderr.write(`${line}\n`),
        });
        pullRequest = { ...opened, files: files.length };
        if (!context.json)
          context.stdout.write(
            `Opened pull request #${opened.number}: ${opened.url} (${files.length} file(s) on ${opened.branch})\n`,
          );
      }
    }
    if (context.json) writeJson(context, pr ? { harvests: summaries, pullRequest } : summaries);
    return summaries.some((s) => s.problems.some((p) => p.severity === 'error')) ? 1 : 0;
  },
});

interface PullRequestSettings {
  owner: string;
  repo: string;
  token: string;
  apiUrl?: string;
  catalogPath: string;
  maxFiles: number;
}

/** --pr's options and environment, checked up front. */
async function pullRequestSettings(values: {
  repo?: string;
  'api-url'?: string;
  'catalog-path'?: string;
  'max-files'?: string;
}): Promise<PullRequestSettings> {
  const token = process.env.GITHUB_TOKEN?.trim() || process.env.GH_TOKEN?.trim();
  if (!token) {
    throw new EnvironmentError(
      'GITHUB_TOKEN_MISSING',
      'harvest --pr needs a GitHub token: set GITHUB_TOKEN to a token with Contents: write and Pull requests: ' +
        'write on the catalogue repository (in a workflow: permissions contents: write, pull-requests: write, ' +
        'and GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})',
    );
  }
  let value = values.repo ?? process.env.CATALOGUE_GITHUB_REPO;
  if (!value) {
    const packageJson = JSON.parse(
      await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as { repository?: string | { url?: string } };
    const raw = typeof packageJson.repository === 'string' ? packageJson.repository : packageJson.repository?.url;
    value = raw
      ?.replace(/^github:/, '')
      .replace(/^(?:git\+)?https:\/\/github\.com\//, '')
      .replace(/\.git$/, '');
  }
  if (!value) throw new UsageError('which repository? pass --repo OWNER/NAME or set CATALOGUE_GITHUB_REPO');
  const repository = parseRepository(value);
  if (!repository)
    throw new UsageError(`'${value}' is not a GitHub repository; write OWNER/NAME, e.g. bioimage-catalogue/catalogue`);
  const catalogPath = (values['catalog-path'] ?? 'archive').replace(/\/+$/, '');
  if (
    !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(catalogPath) ||
    catalogPath.split('/').some((part) => part === '.' || part === '..')
  ) {
    throw new UsageError('--catalog-path must be a relative folder inside the repository, e.g. archive');
  }
  const maxFiles = values['max-files'] === undefined ? 2000 : Number(values['max-files']);
  if (!Number.isInteger(maxFiles) || maxFiles < 1)
    throw new UsageError(`--max-files must be a positive whole number, not '${values['max-files']}'`);
  return { ...repository, token, apiUrl: values['api-url'] ?? process.env.GITHUB_API_URL, catalogPath, maxFiles };
}

/** The pull request's description: what was harvested, and every problem (the first 50), escaped for Markdown. */
function pullRequestBody(
  partner: Partner,
  summaries: HarvestSummary[],
  records: number,
  files: number,
  total: (key: 'records' | 'deleted' | 'quarantined' | 'written') => number,
): string {
  const problems = summaries.flatMap((s) => s.problems);
  const lines = [
    `Harvest of **${escapeMarkdown(partner.name)}** (\`${escapeMarkdown(partner.id)}\`, ` +
      `${escapeMarkdown(partner.baseUrl)}) by \`catalogue harvest --pr\`.`,
    '',
    '| set | prefix | from | until | pages | records | deleted | quarantined | written |',
    '|---|---|---|---|---|---|---|---|---|',
    ...summaries.map(
      (s) =>
        `| ${escapeMarkdown(s.set ?? '(all)')} | ${escapeMarkdown(s.metadataPrefix)} | ${s.from ?? ''} | ` +
        `${s.until ?? ''} | ${s.pages} | ${s.records} | ${s.deleted} | ${s.quarantined} | ${s.written} |`,
    ),
    '',
    `${records} harvested record file(s) changed, ${files} file(s) in all (with the harvest state and log); ` +
      `${total('quarantined')} record(s) quarantined and not included.`,
  ];
  if (problems.length) {
    lines.push(
      '',
      `### Problems (${problems.length})`,
      '',
      ...problems.slice(0, 50).map((p) => `- ${escapeMarkdown(formatProblem(p))}`),
    );
    if (problems.length > 50)
      lines.push(`- ... and ${problems.length - 50} more (run the harvest with --json to see them all)`);
  }
  lines.push('', 'CI checks every harvested record like a submission; merge when it passes.');
  return lines.join('\n');
}
