import { resolve } from 'node:path';
import { harvestedIdPattern } from '../../schemas/index.ts';
import { accessionPattern } from '../../catalog/accession.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { catalogueObjects, type CatalogueObjects } from '../../storage/catalogue-objects.ts';
import { auditStore, formatFinding, type AuditResult, type ExpectedObject } from '../../storage/fixity.ts';
import { findMirror, loadMirrors, openStore, primaryMirror, type Mirror, type MirrorsConfig } from '../../storage/mirrors.ts';
import { createProgressBar } from '../../storage/progress.ts';
import { applySync, planSync, repairObjects, type SyncResult } from '../../storage/replicate.ts';
import { readStatus, updateStatus, type MirrorStatus } from '../../storage/status.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { parseOptions, UsageError, writeJson, type Command, type CommandContext } from '../command.ts';
import { withStorageErrors } from '../storage-errors.ts';

const usage = `
Usage: catalogue mirror sync   [--from ID] [--to ID | --all] [--entry ACCESSION] [--max-deletions N] [--engine auto|rclone|sdk]
       catalogue mirror sync   --entry HARVESTED_ID [--to ID] [--partners FILE]
       catalogue mirror verify [--mirror ID] [--entry ACCESSION] [--sample FRACTION]
       catalogue mirror repair [--mirror ID] [--entry ACCESSION]
       catalogue mirror status
Common: --mirrors FILE (default storage/mirrors.yaml, or CATALOGUE_MIRRORS), --catalog DIR, --json

sync    copies the files of live entries from the primary (or --from) to the other mirrors (--all, the
        default) or one (--to); objects already there with the right size are skipped. Uses rclone when
        installed (SDK otherwise). Deletes only the files of withdrawn entries whose tombstone says
        deleteFiles: true, at most --max-deletions (default 100) per run; never what a manifest still lists.
        With --entry HARVESTED_ID (e.g. peer.k7f3q9xw2m4t, an entry harvested in bic_full from another
        instance): copies that entry's files from the partner's public mirror (harvester/partners.yaml
        \`files\`) into --to (default: the primary) under partners/<partner>/, each checked against the
        partner's sha256; a copy that does not match is removed and reported.
verify  fixity audit: reads the bytes and compares sha256 and size with the manifests; reports missing
        objects, wrong sizes, wrong checksums and objects no manifest lists. --sample 0.1 reads a tenth.
repair  replaces bad or missing copies on a mirror from another mirror whose copy verifies, then verifies.
status  prints <catalog>/mirror-status.json (written by sync, verify and repair; the site shows it).
Exit codes: 0 all well, 1 problems found, 2 a mirror could not be reached (the others were still processed).`;

async function setUp(values: { mirrors?: string; entry?: string }, context: CommandContext) {
  if (values.entry && !accessionPattern.test(values.entry)) throw new UsageError(`--entry takes an accession like BIC0000013, not '${values.entry}'`);
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const objects = await catalogueObjects(context.catalog, { today: context.today, entry: values.entry });
  for (const problem of objects.problems) context.stderr.write(`${formatProblem(problem)} (left out)\n`);
  return { config, objects };
}

const statusBase = (mirror: Mirror) => ({ id: mirror.id, kind: mirror.kind, role: mirror.role, ...(mirror.publicBaseUrl ? { publicBaseUrl: mirror.publicBaseUrl } : {}) });
const sum = (objects: ExpectedObject[]) => objects.reduce((s, o) => s + o.size, 0);

/** Opens a store; a missing credential is reported for that mirror, not fatal for the others. */
function tryOpen(mirror: Mirror, config: MirrorsConfig): { store?: ObjectStore; error?: string } {
  try {
    return { store: openStore(mirror, config) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * `mirror sync --entry <harvested id>`: the files of an entry harvested in bic_full from another instance of
 * this catalogue, copied from the partner's public mirror (partners.yaml `files`) into one of ours (--to, default
 * the primary) under partners/<partner>/, every byte checked against the partner's sha256.
 */
async function federatedSync(values: { to?: string; entry?: string; mirrors?: string; partners?: string; from?: string; all?: boolean }, context: CommandContext): Promise<number> {
  if (values.from || values.all) throw new UsageError("--from and --all do not apply to a harvested entry: its files come from the partner's public mirror (harvester/partners.yaml `files`)");
  const id = values.entry!;
  const [{ findRecord }, { loadPartners, defaultPartnersFile }, { openPartnerStore, replicateFederated }] = await Promise.all([
    import('../../catalog/load.ts'),
    import('../../harvester/partners.ts'),
    import('../../storage/federation.ts'),
  ]);
  const inspected = await findRecord(context.catalog, id, context.today);
  if (!inspected) throw new UsageError(`no harvested record '${id}' in ${context.catalog}/harvested/; run \`catalogue harvest\` first, or check the id with \`catalogue list\``);
  if (!inspected.record || inspected.record.kind !== 'harvested') {
    for (const problem of inspected.problems) context.stderr.write(formatProblem(problem) + '\n');
    throw new UsageError(`'${id}' is not a readable harvested record (see above)`);
  }
  const record = inspected.record.data;
  const file = `harvested/${record.origin.partner}/${id}.json`;
  if (!record.manifest) {
    context.stderr.write(`${file}: NO_MANIFEST the record carries no manifest, so its files are unknown. Fix: harvest the partner with metadataPrefix bic_full from an instance that publishes manifests\n`);
    return 1;
  }
  const partners = await loadPartners(values.partners ? resolve(values.partners) : defaultPartnersFile, values.partners ?? 'harvester/partners.yaml');
  const partner = partners.partners.find((p) => p.id === record.origin.partner);
  if (!partner) throw new UsageError(`the record comes from partner '${record.origin.partner}', which ${values.partners ?? 'harvester/partners.yaml'} does not list; add it with its \`files\` (public mirror)`);
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const to = values.to ? findMirror(config, values.to) : primaryMirror(config);
  const source = openPartnerStore(partner.id, partner.files, { allowPrivateNetwork: partner.allowPrivateNetwork === true });
  const target = openStore(to, config);
  const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
  let result;
  try {
    result = await replicateFederated({ partner: partner.id, manifest: record.manifest, source, target, onProgress: (done, total) => bar.update(done, total, `${id} to ${to.id}`) });
  } finally {
    bar.done();
  }
  if (context.json) writeJson(context, { entry: id, ...result });
  else {
    for (const p of result.problems) context.stderr.write(`${file} ${p.path}: ${p.code} ${p.message}\n`);
    if (result.unavailable) context.stderr.write(`${result.from}: MIRROR_UNAVAILABLE ${result.unavailable}\n`);
    context.stdout.write(`${result.from} -> ${result.to} (${result.prefix}): ${result.copied} copied (${result.bytesCopied} bytes), ${result.present} already there, ${result.problems.length} problem(s).\n`);
  }
  if (result.unavailable) return 2;
  return result.problems.length > 0 ? 1 : 0;
}

async function sync(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseOptions(args, { from: { type: 'string' }, to: { type: 'string' }, all: { type: 'boolean' }, entry: { type: 'string' }, 'max-deletions': { type: 'string' }, engine: { type: 'string' }, mirrors: { type: 'string' }, partners: { type: 'string' } }, false);
  if (values.entry && harvestedIdPattern.test(values.entry)) return federatedSync(values, context);
  if (values.partners) throw new UsageError('--partners applies only to --entry <harvested id>');
  if (values.to && values.all) throw new UsageError('--to and --all exclude each other');
  const maxDeletions = values['max-deletions'] === undefined ? 100 : Number(values['max-deletions']);
  if (!Number.isInteger(maxDeletions) || maxDeletions < 0) throw new UsageError('--max-deletions takes a whole number, e.g. 100');
  const engine = (values.engine ?? 'auto') as 'auto' | 'rclone' | 'sdk';
  if (!['auto', 'rclone', 'sdk'].includes(engine)) throw new UsageError('--engine is auto, rclone or sdk');
  const { config, objects } = await setUp(values, context);
  const from = values.from ? findMirror(config, values.from) : primaryMirror(config);
  const targets = values.to ? [findMirror(config, values.to)] : config.mirrors.filter((m) => m.id !== from.id);
  if (targets.some((t) => t.id === from.id)) throw new UsageError('--to names the source mirror itself');
  const source = openStore(from, config);
  const results: SyncResult[] = [];
  const unavailable: Array<{ mirror: string; error: string }> = [];
  const now = new Date().toISOString();
  for (const to of targets) {
    const opened = tryOpen(to, config);
    if (!opened.store) {
      unavailable.push({ mirror: to.id, error: opened.error! });
      await updateStatus(context.catalog, [{ ...statusBase(to), available: false, error: opened.error }]);
      continue;
    }
    const bar = createProgressBar(context.stderr as NodeJS.WriteStream);
    try {
      const plan = await planSync({ source, target: opened.store, objects: objects.live, deletable: objects.deletable, maxDeletions });
      const result = await applySync(plan, { source, target: opened.store, engine, mirrors: { from, to, base: config.base }, onProgress: (done, total) => bar.update(done, total, `to ${to.id}`) });
      results.push(result);
      const ok = result.failed.length === 0 && result.missingAtSource.length === 0 && !result.unavailable;
      await updateStatus(context.catalog, [{ ...statusBase(to), available: !result.unavailable, ...(result.unavailable ? { error: result.unavailable } : {}), objects: objects.live.length + objects.kept.length, bytes: sum(objects.live) + sum(objects.kept), lastSync: { at: now, from: from.id, copied: result.copied, bytesCopied: result.bytesCopied, deleted: result.deleted, failed: result.failed.length, ok, via: result.via } }]);
      if (result.unavailable) unavailable.push({ mirror: to.id, error: result.unavailable });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'MIRROR_UNAVAILABLE' && code !== 'RCLONE_FAILED') throw error;
      unavailable.push({ mirror: to.id, error: (error as Error).message });
      await updateStatus(context.catalog, [{ ...statusBase(to), available: false, error: (error as Error).message }]);
    } finally {
      bar.done();
    }
  }
  if (context.json) writeJson(context, { from: from.id, results: results.map((r) => ({ ...r, copy: r.copy.length, delete: r.delete.length, missingAtSource: r.missingAtSource.map((o) => o.key) })), unavailable });
  else {
    for (const r of results) {
      for (const f of r.failed) context.stderr.write(`${r.to} ${f.key}: COPY_FAILED ${f.message}\n`);
      for (const o of r.missingAtSource) context.stderr.write(`${r.from} ${o.key}: MISSING_AT_SOURCE the source mirror lacks this object (or has the wrong size); run \`catalogue mirror verify --mirror ${r.from}\`\n`);
      context.stdout.write(`${r.from} -> ${r.to}: ${r.copied} copied (${r.bytesCopied} bytes, via ${r.via}), ${r.present} already there, ${r.deleted} deleted${r.deletionsDeferred ? `, ${r.deletionsDeferred} deletions left for later runs` : ''}, ${r.failed.length + r.missingAtSource.length} problem(s).\n`);
    }
    for (const u of unavailable) context.stderr.write(`${u.mirror}: MIRROR_UNAVAILABLE ${u.error}\n`);
  }
  if (unavailable.length > 0) return 2;
  return results.some((r) => r.failed.length > 0 || r.missingAtSource.length > 0) ? 1 : 0;
}

/** The audit of one mirror; objects of withdrawn entries awaiting deletion are neither expected nor "unlisted". */
async function audit(store: ObjectStore, expected: ExpectedObject[], objects: CatalogueObjects, options: { sample?: number; entry?: string }): Promise<AuditResult> {
  const pending = new Set(objects.deletable.map((o) => o.key));
  const result = await auditStore(store, expected, { sample: options.sample, unlistedUnder: [options.entry ? `${options.entry}/` : ''] });
  result.findings = result.findings.filter((f) => !(f.code === 'UNLISTED' && pending.has(f.key)));
  return result;
}

async function verify(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseOptions(args, { mirror: { type: 'string' }, entry: { type: 'string' }, sample: { type: 'string' }, mirrors: { type: 'string' } }, false);
  const sample = values.sample === undefined ? 1 : Number(values.sample);
  if (!(sample > 0 && sample <= 1)) throw new UsageError('--sample is a fraction greater than 0 and at most 1, e.g. 0.1');
  const { config, objects } = await setUp(values, context);
  const chosen = values.mirror ? [findMirror(config, values.mirror)] : config.mirrors;
  const results: AuditResult[] = [];
  const now = new Date().toISOString();
  for (const mirror of chosen) {
    // The primary holds embargoed entries too; the mirrors hold live entries and kept withdrawn ones.
    const expected = [...objects.live, ...objects.kept, ...(mirror.role === 'primary' ? objects.embargoed : [])];
    const opened = tryOpen(mirror, config);
    let result: AuditResult;
    if (!opened.store) result = { mirror: mirror.id, objects: expected.length, bytes: sum(expected), objectsRead: 0, bytesRead: 0, findings: [], unavailable: opened.error };
    else {
      result = await audit(opened.store, expected, objects, { sample, entry: values.entry });
    }
    results.push(result);
    const byCode: Record<string, number> = {};
    for (const f of result.findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    await updateStatus(context.catalog, [{
      ...statusBase(mirror), available: !result.unavailable, ...(result.unavailable ? { error: result.unavailable } : {}), objects: result.objects, bytes: result.bytes,
      ...(result.unavailable ? {} : { lastAudit: { at: now, sample, objectsRead: result.objectsRead, bytesRead: result.bytesRead, problems: result.findings.length, byCode, ok: result.findings.length === 0 }, problems: result.findings.slice(0, 100) }),
    }]);
  }
  if (context.json) writeJson(context, { mirrors: results });
  else {
    for (const r of results) {
      for (const f of r.findings) context.stdout.write(formatFinding(f) + '\n');
      if (r.unavailable) context.stderr.write(`${r.mirror}: MIRROR_UNAVAILABLE ${r.unavailable}\n`);
      else context.stdout.write(`${r.mirror}: ${r.objects} objects (${r.bytes} bytes), ${r.objectsRead} read (${r.bytesRead} bytes), ${r.findings.length} problem(s).\n`);
    }
  }
  if (results.some((r) => r.unavailable)) return 2;
  return results.some((r) => r.findings.length > 0) ? 1 : 0;
}

async function repair(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseOptions(args, { mirror: { type: 'string' }, entry: { type: 'string' }, mirrors: { type: 'string' } }, false);
  const { config, objects } = await setUp(values, context);
  const chosen = values.mirror ? [findMirror(config, values.mirror)] : config.mirrors;
  const stores = new Map<string, ObjectStore>();
  for (const mirror of config.mirrors) {
    const opened = tryOpen(mirror, config);
    if (opened.store) stores.set(mirror.id, opened.store);
  }
  const byKey = new Map([...objects.live, ...objects.kept, ...objects.embargoed].map((o) => [o.key, o]));
  let failed = 0;
  let unavailable = 0;
  const report: unknown[] = [];
  for (const mirror of chosen) {
    const store = stores.get(mirror.id);
    if (!store) {
      context.stderr.write(`${mirror.id}: MIRROR_UNAVAILABLE cannot open the mirror\n`);
      unavailable++;
      continue;
    }
    const expected = [...objects.live, ...objects.kept, ...(mirror.role === 'primary' ? objects.embargoed : [])];
    const before = await audit(store, expected, objects, { entry: values.entry });
    if (before.unavailable) {
      context.stderr.write(`${mirror.id}: MIRROR_UNAVAILABLE ${before.unavailable}\n`);
      unavailable++;
      continue;
    }
    const broken = before.findings.filter((f) => f.code === 'MISSING' || f.code === 'WRONG_SIZE' || f.code === 'WRONG_CHECKSUM' || f.code === 'UNREADABLE').map((f) => ({ object: byKey.get(f.key)!, problem: f.code })).filter((b) => b.object);
    const others = [...stores.values()].filter((s) => s.id !== mirror.id);
    const actions = await repairObjects(store, broken, others);
    const after = await audit(store, expected, objects, { entry: values.entry });
    failed += after.findings.filter((f) => f.code !== 'UNLISTED').length;
    report.push({ mirror: mirror.id, actions, remaining: after.findings });
    const byCode: Record<string, number> = {};
    for (const f of after.findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
    await updateStatus(context.catalog, [{ ...statusBase(mirror), available: true, objects: after.objects, bytes: after.bytes, lastAudit: { at: new Date().toISOString(), sample: 1, objectsRead: after.objectsRead, bytesRead: after.bytesRead, problems: after.findings.length, byCode, ok: after.findings.length === 0 }, problems: after.findings.slice(0, 100) }]);
    if (!context.json) {
      for (const a of actions) context.stdout.write(`${mirror.id} ${a.key}: ${a.problem} ${a.ok ? 'REPAIRED' : 'NOT_REPAIRED'} ${a.message}\n`);
      for (const f of after.findings) context.stdout.write(`${formatFinding(f)} (after repair)\n`);
      context.stdout.write(`${mirror.id}: ${actions.filter((a) => a.ok).length} of ${actions.length} repaired; ${after.findings.length} problem(s) remain.\n`);
    }
  }
  if (context.json) writeJson(context, { mirrors: report });
  if (unavailable > 0) return 2;
  return failed > 0 ? 1 : 0;
}

async function status(args: string[], context: CommandContext): Promise<number> {
  parseOptions(args, {}, false);
  const file = await readStatus(context.catalog);
  if (context.json) writeJson(context, file);
  else {
    if (file.mirrors.length === 0) context.stdout.write('No mirror status yet: run `catalogue mirror verify`.\n');
    for (const m of file.mirrors as MirrorStatus[]) {
      const audit = m.lastAudit ? `last audit ${m.lastAudit.at}: ${m.lastAudit.problems} problem(s)` : 'never audited';
      const synced = m.lastSync ? `; last sync ${m.lastSync.at} from ${m.lastSync.from}` : '';
      context.stdout.write(`${m.id.padEnd(12)} ${m.role.padEnd(8)} ${m.available ? 'up  ' : 'DOWN'} ${m.objects} objects, ${m.bytes} bytes; ${audit}${synced}\n`);
    }
  }
  return 0;
}

const command: Command = {
  name: 'mirror',
  summary: 'replicate entry files between mirrors, audit their fixity, repair bad copies, show mirror status',
  usage,
  run: withStorageErrors(async (args, context) => {
    const [sub, ...rest] = args;
    if (sub === 'sync') return sync(rest, context);
    if (sub === 'verify') return verify(rest, context);
    if (sub === 'repair') return repair(rest, context);
    if (sub === 'status') return status(rest, context);
    throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'give a subcommand: sync, verify, repair or status');
  }),
};
export default command;
