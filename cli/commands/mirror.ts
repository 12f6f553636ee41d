import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { harvestedIdPattern } from '../../schemas/index.ts';
import { accessionPattern } from '../../catalog/accession.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { catalogueObjects } from '../../storage/catalogue-objects.ts';
import { mergeShardReports, toShardReport, type ShardReport } from '../../storage/audit-merge.ts';
import { formatFinding } from '../../storage/fixity.ts';
import { createMirrorRuns, type RunVerdict } from '../../storage/mirror-runs.ts';
import { findMirror, loadMirrors, openStore, primaryMirror, type Mirror } from '../../storage/mirrors.ts';
import { createProgressBar } from '../../storage/progress.ts';
import { readStatus, type MirrorStatus } from '../../storage/status.ts';
import { defineCommand, defineGroup, UsageError, writeJson } from '../command.ts';
import type { ArgsDef, CommandContext, ParsedArgs } from '../command.ts';
import { shardArg, shardOf } from './shard-arg.ts';

const mirrorsArg = {
  type: 'string',
  value: 'FILE',
  description: 'the mirrors file (default storage/mirrors.yaml, or CATALOGUE_MIRRORS)',
} as const;
const entryArg = { type: 'string', value: 'ACCESSION', description: 'only the files of this entry' } as const;

async function setUp(values: { mirrors?: string; entry?: string }, context: CommandContext) {
  if (values.entry && !accessionPattern.test(values.entry))
    throw new UsageError(`--entry takes an accession like BIC0000013, not '${values.entry}'`);
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const objects = await catalogueObjects(context.catalog, { today: context.today, entry: values.entry });
  for (const problem of objects.problems) context.stderr.write(`${formatProblem(problem)} (left out)\n`);
  return { config, objects };
}

/** Exit codes of the usage text: 0 all well, 1 problems found, 2 a mirror could not be reached. */
const exitCodes: Record<RunVerdict, number> = { ok: 0, problems: 1, unavailable: 2 };

/**
 * `mirror sync --entry <harvested id>`: the files of an entry harvested in bic_full from another instance of
 * this catalogue, copied from the partner's public mirror (partners.yaml `files`) into one of ours (--to, default
 * the primary) under partners/<partner>/, every byte checked against the partner's sha256.
 */
async function federatedSync(
  values: { to?: string; entry?: string; mirrors?: string; partners?: string; from?: string; all?: boolean },
  context: CommandContext,
): Promise<number> {
  if (values.from || values.all)
    throw new UsageError(
      "--from and --all do not apply to a harvested entry: its files come from the partner's public mirror " +
        '(harvester/partners.yaml `files`)',
    );
  const id = values.entry!;
  const [{ findRecord }, { loadPartners, defaultPartnersFile }, { openPartnerStore, replicateFederated }] =
    await Promise.all([
      import('../../catalog/load.ts'),
      import('../../harvester/partners.ts'),
      import('../../storage/federation.ts'),
    ]);
  const inspected = await findRecord(context.catalog, id, context.today);
  if (!inspected)
    throw new UsageError(
      `no harvested record '${id}' in ${context.catalog}/harvested/; run \`catalogue harvest\` first, or check ` +
        `the id with \`catalogue list\``,
    );
  if (!inspected.record || inspected.record.kind !== 'harvested') {
    for (const problem of inspected.problems) context.stderr.write(formatProblem(problem) + '\n');
    throw new UsageError(`'${id}' is not a readable harvested record (see above)`);
  }
  const record = inspected.record.data;
  const file = `harvested/${record.origin.partner}/${id}.json`;
  if (!record.manifest) {
    context.stderr.write(
      `${file}: NO_MANIFEST the record carries no manifest, so its files are unknown. Fix: harvest the partner ` +
        `with metadataPrefix bic_full from an instance that publishes manifests\n`,
    );
    return 1;
  }
  const partners = await loadPartners(
    values.partners ? resolve(values.partners) : defaultPartnersFile,
    values.partners ?? 'harvester/partners.yaml',
  );
  const partner = partners.partners.find((p) => p.id === record.origin.partner);
  if (!partner)
    throw new UsageError(
      `the record comes from partner '${record.origin.partner}', which ` +
        `${values.partners ?? 'harvester/partners.yaml'} does not list; add it with its \`files\` (public mirror)`,
    );
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const to = values.to ? findMirror(config, values.to) : primaryMirror(config);
  const source = openPartnerStore(partner.id, partner.files, {
    allowPrivateNetwork: partner.allowPrivateNetwork === true,
  });
  const target = openStore(to, config);
  const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
  let result;
  try {
    result = await replicateFederated({
      partner: partner.id,
      manifest: record.manifest,
      source,
      target,
      onProgress: (done, total) => bar.update(done, total, `${id} to ${to.id}`),
    });
  } finally {
    bar.done();
  }
  if (context.json) writeJson(context, { entry: id, ...result });
  else {
    for (const p of result.problems) context.stderr.write(`${file} ${p.path}: ${p.code} ${p.message}\n`);
    if (result.unavailable) context.stderr.write(`${result.from}: MIRROR_UNAVAILABLE ${result.unavailable}\n`);
    context.stdout.write(
      `${result.from} -> ${result.to} (${result.prefix}): ${result.copied} copied (${result.bytesCopied} ` +
        `bytes), ${result.present} already there, ${result.problems.length} problem(s).\n`,
    );
  }
  const verdict = result.unavailable ? 'unavailable' : result.problems.length > 0 ? 'problems' : 'ok';
  return exitCodes[verdict];
}

const syncArgs = {
  from: { type: 'string', value: 'ID', description: 'the source mirror (default: the primary)' },
  to: {
    type: 'string',
    value: 'ID',
    description: 'the one mirror to copy to (with a harvested entry, default: the primary)',
  },
  all: { type: 'boolean', description: 'copy to every other mirror (the default)' },
  entry: {
    type: 'string',
    value: 'ACCESSION|HARVESTED_ID',
    description: 'only the files of this entry; a harvested id (e.g. peer.k7f3q9xw2m4t) copies from the partner',
  },
  'max-deletions': { type: 'string', value: 'N', description: 'delete at most N objects per run (default 100)' },
  engine: {
    type: 'string',
    value: 'auto|rclone|sdk',
    description: 'how to copy (default auto: rclone when installed)',
  },
  mirrors: mirrorsArg,
  partners: {
    type: 'string',
    value: 'FILE',
    description: 'with a harvested entry: the partners file (default harvester/partners.yaml)',
  },
} as const satisfies ArgsDef;

async function sync({ values }: ParsedArgs<typeof syncArgs>, context: CommandContext): Promise<number> {
  if (values.entry && harvestedIdPattern.test(values.entry)) return federatedSync(values, context);
  if (values.partners) throw new UsageError('--partners applies only to --entry <harvested id>');
  if (values.to && values.all) throw new UsageError('--to and --all exclude each other');
  const maxDeletions = values['max-deletions'] === undefined ? 100 : Number(values['max-deletions']);
  if (!Number.isInteger(maxDeletions) || maxDeletions < 0)
    throw new UsageError('--max-deletions takes a whole number, e.g. 100');
  const engine = (values.engine ?? 'auto') as 'auto' | 'rclone' | 'sdk';
  if (!['auto', 'rclone', 'sdk'].includes(engine)) throw new UsageError('--engine is auto, rclone or sdk');
  const { config, objects } = await setUp(values, context);
  const from = values.from ? findMirror(config, values.from) : primaryMirror(config);
  const targets = values.to ? [findMirror(config, values.to)] : config.mirrors.filter((m) => m.id !== from.id);
  if (targets.some((t) => t.id === from.id)) throw new UsageError('--to names the source mirror itself');
  const progress = (to: Mirror) => {
    const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
    return { update: (done: number, total: number) => bar.update(done, total, `to ${to.id}`), done: () => bar.done() };
  };
  const runs = createMirrorRuns({ catalog: context.catalog, config, objects });
  const run = await runs.sync({ from, targets, maxDeletions, engine, progress });
  const { results, unavailable } = run;
  if (context.json)
    writeJson(context, {
      from: from.id,
      results: results.map((r) => ({
        ...r,
        copy: r.copy.length,
        delete: r.delete.length,
        missingAtSource: r.missingAtSource.map((o) => o.key),
      })),
      unavailable,
    });
  else {
    for (const r of results) {
      for (const f of r.failed) context.stderr.write(`${r.to} ${f.key}: COPY_FAILED ${f.message}\n`);
      for (const o of r.missingAtSource)
        context.stderr.write(
          `${r.from} ${o.key}: MISSING_AT_SOURCE the source mirror lacks this object (or has the wrong size); ` +
            `run \`catalogue mirror verify --mirror ${r.from}\`\n`,
        );
      context.stdout.write(
        `${r.from} -> ${r.to}: ${r.copied} copied (${r.bytesCopied} bytes, via ${r.via}), ${r.present} already ` +
          `there, ${r.deleted} deleted` +
          `${r.deletionsDeferred ? `, ${r.deletionsDeferred} deletions left for later runs` : ''}, ` +
          `${r.failed.length + r.missingAtSource.length} problem(s).\n`,
      );
    }
    for (const u of unavailable) context.stderr.write(`${u.mirror}: MIRROR_UNAVAILABLE ${u.error}\n`);
  }
  return exitCodes[run.verdict];
}

const verifyArgs = {
  mirror: { type: 'string', value: 'ID', description: 'the one mirror to audit (default: all)' },
  entry: entryArg,
  sample: { type: 'string', value: 'FRACTION', description: 'read this fraction of the objects, e.g. 0.1 (default 1)' },
  images: {
    type: 'boolean',
    description: "also read each image's header and report those that differ from the manifest's `image`",
  },
  shard: shardArg,
  merge: {
    type: 'boolean',
    description: 'merge the --json reports of every shard (files given as arguments) into one audit',
  },
  reports: { type: 'positional', description: 'with --merge: the shard reports, e.g. report-*.json' },
  mirrors: mirrorsArg,
} as const satisfies ArgsDef;

/** A report lists findings; a billion findings is not an audit report. */
const maxReportBytes = 512 * 1024 * 1024;

async function readShardReports(files: string[]): Promise<ShardReport[]> {
  return Promise.all(
    files.map(async (file) => {
      let parsed: unknown;
      try {
        if ((await stat(file)).size > maxReportBytes) throw new Error(`larger than ${maxReportBytes} bytes`);
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new UsageError(`${file}: cannot read a shard report: ${(error as Error).message}`);
      }
      return toShardReport(parsed, file);
    }),
  );
}

async function verify(
  { values, positionals }: ParsedArgs<typeof verifyArgs>,
  context: CommandContext,
): Promise<number> {
  const sample = values.sample === undefined ? 1 : Number(values.sample);
  if (!(sample > 0 && sample <= 1))
    throw new UsageError('--sample is a fraction greater than 0 and at most 1, e.g. 0.1');
  if (values.merge && (values.shard || values.entry || values.mirror || values.sample || values.images))
    throw new UsageError('--merge takes only the report files (and --mirrors)');
  if (!values.merge && positionals.length > 0)
    throw new UsageError('report files are read only with --merge; give a mirror with --mirror ID');
  if (values.merge && positionals.length === 0)
    throw new UsageError('--merge needs the report files of every shard, e.g. report-*.json');
  const shard = shardOf(values.shard);
  const { config, objects } = await setUp(values, context);
  const runs = createMirrorRuns({ catalog: context.catalog, config, objects });
  const chosen = values.mirror ? [findMirror(config, values.mirror)] : config.mirrors;
  const run = values.merge
    ? await runs.recordMergedAudit(mergeShardReports(await readShardReports(positionals)))
    : await runs.verify({
        mirrors: chosen,
        sample,
        entry: values.entry,
        shard,
      });
  const results = run.mirrors;
  if (context.json) writeJson(context, { ...(shard ? { shard, sample } : {}), mirrors: results });
  else {
    for (const r of results) {
      for (const f of r.findings) context.stdout.write(formatFinding(f) + '\n');
      if (r.unavailable) context.stderr.write(`${r.mirror}: MIRROR_UNAVAILABLE ${r.unavailable}\n`);
      else
        context.stdout.write(
          `${r.mirror}: ${r.objects} objects (${r.bytes} bytes), ${r.objectsRead} read (${r.bytesRead} bytes), ` +
            `${r.findings.length} problem(s).\n`,
        );
    }
  }
  if (values.images) {
    // Mirrors the audit could not reach are left out: their MIRROR_UNAVAILABLE line is already printed.
    const reachable = chosen.filter((m) => !results.find((r) => r.mirror === m.id)?.unavailable);
    const imageProblems = await verifyMirrorImages(reachable, config, objects.manifests ?? [], context);
    if (imageProblems > 0 && run.verdict === 'ok') return exitCodes.problems;
  }
  return exitCodes[run.verdict];
}

/** `mirror verify --images`: each reachable mirror's image headers against the manifests; returns the count. */
async function verifyMirrorImages(
  mirrors: Mirror[],
  config: Awaited<ReturnType<typeof loadMirrors>>,
  manifests: NonNullable<Awaited<ReturnType<typeof catalogueObjects>>['manifests']>,
  context: CommandContext,
): Promise<number> {
  const { verifyImages } = await import('../../storage/image-verify.ts');
  let count = 0;
  for (const mirror of mirrors) {
    const store = openStore(mirror, config);
    for (const { entry, manifest } of manifests) {
      for (const f of await verifyImages(store, manifest, entry)) {
        context.stdout.write(`${f.mirror} ${f.key}: ${f.code} ${f.message} (entry ${entry})\n`);
        count++;
      }
    }
  }
  context.stdout.write(`images: ${count} problem(s).\n`);
  return count;
}

const repairArgs = {
  mirror: { type: 'string', value: 'ID', description: 'the one mirror to repair (default: all)' },
  entry: entryArg,
  shard: shardArg,
  mirrors: mirrorsArg,
} as const satisfies ArgsDef;

async function repair({ values }: ParsedArgs<typeof repairArgs>, context: CommandContext): Promise<number> {
  const { config, objects } = await setUp(values, context);
  const chosen = values.mirror ? [findMirror(config, values.mirror)] : config.mirrors;
  const runs = createMirrorRuns({ catalog: context.catalog, config, objects });
  const run = await runs.repair({ mirrors: chosen, entry: values.entry, shard: shardOf(values.shard) });
  for (const u of run.unavailable) context.stderr.write(`${u.mirror}: MIRROR_UNAVAILABLE ${u.error}\n`);
  if (context.json) writeJson(context, { mirrors: run.mirrors });
  else {
    for (const { mirror, actions, remaining } of run.mirrors) {
      for (const a of actions) {
        context.stdout.write(`${mirror} ${a.key}: ${a.problem} ${a.ok ? 'REPAIRED' : 'NOT_REPAIRED'} ${a.message}\n`);
      }
      for (const f of remaining) context.stdout.write(`${formatFinding(f)} (after repair)\n`);
      const repaired = actions.filter((a) => a.ok).length;
      context.stdout.write(
        `${mirror}: ${repaired} of ${actions.length} repaired; ${remaining.length} problem(s) remain.\n`,
      );
    }
  }
  return exitCodes[run.verdict];
}

async function status(_input: ParsedArgs<Record<string, never>>, context: CommandContext): Promise<number> {
  const file = await readStatus(context.catalog);
  if (context.json) writeJson(context, file);
  else {
    if (file.mirrors.length === 0) context.stdout.write('No mirror status yet: run `catalogue mirror verify`.\n');
    for (const m of file.mirrors as MirrorStatus[]) {
      const audit = m.lastAudit ? `last audit ${m.lastAudit.at}: ${m.lastAudit.problems} problem(s)` : 'never audited';
      const synced = m.lastSync ? `; last sync ${m.lastSync.at} from ${m.lastSync.from}` : '';
      context.stdout.write(
        `${m.id.padEnd(12)} ${m.role.padEnd(8)} ${m.available ? 'up  ' : 'DOWN'} ${m.objects} objects, ` +
          `${m.bytes} bytes; ${audit}${synced}\n`,
      );
    }
  }
  return 0;
}

export default defineGroup({
  meta: {
    name: 'mirror',
    description: `
sync, verify and repair write <catalog>/mirror-status.json (the site shows it); status prints it.
Exit codes: 0 all well, 1 problems found, 2 a mirror could not be reached (the others were still processed).`,
  },
  subCommands: {
    sync: defineCommand({
      meta: {
        name: 'sync',
        summary: 'copy the files of live entries from one mirror to the others',
        description: `
Copies the files of live entries from the primary (or --from) to the other mirrors (--all, the default) or one
(--to); objects already there with the right size are skipped. Uses rclone when installed (SDK otherwise).
Deletes only the files of withdrawn entries whose tombstone says deleteFiles: true, at most --max-deletions per
run; never what a manifest still lists.
With --entry HARVESTED_ID (an entry harvested in bic_full from another instance): copies that entry's files
from the partner's public mirror (harvester/partners.yaml \`files\`) into --to under partners/<partner>/, each
checked against the partner's sha256; a copy that does not match is removed and reported.`,
      },
      args: syncArgs,
      run: sync,
    }),
    verify: defineCommand({
      meta: {
        name: 'verify',
        summary: 'fixity audit: compare the bytes on the mirrors with the manifests',
        description: `
Reads the bytes and compares sha256 and size with the manifests; reports missing objects, wrong sizes, wrong
checksums and objects no manifest lists. A large audit runs as N jobs (docs/storage.md, "Audit in N jobs"):
each runs \`mirror verify --shard K/N --json > report-K.json\`, then \`mirror verify --merge report-*.json\`
checks every shard is there, prints the whole audit and writes the status file.`,
      },
      args: verifyArgs,
      run: verify,
    }),
    repair: defineCommand({
      meta: {
        name: 'repair',
        summary: 'replace bad or missing copies from a mirror whose copy verifies, then verify',
      },
      args: repairArgs,
      run: repair,
    }),
    status: defineCommand({
      meta: { name: 'status', summary: 'print <catalog>/mirror-status.json' },
      args: {},
      run: status,
    }),
  },
});
