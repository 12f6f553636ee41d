// The runs behind `catalogue mirror sync | verify | repair`: each goes over the mirrors it is given, writes every
// mirror's record in <catalog>/mirror-status.json as it finishes with it, and returns a typed result that the
// command prints. A mirror that cannot be opened or stops answering is recorded as unavailable and the run goes
// on with the others; which errors mean that is decided by their `code` (errors.ts).
import type { CatalogueObjects } from './catalogue-objects.ts';
import { hasCode, messageOf } from './errors.ts';
import { auditStore, type AuditResult, type ExpectedObject, type Finding, type FindingCode } from './fixity.ts';
import { openStore, type Mirror, type MirrorsConfig } from './mirrors.ts';
import { applySync, planSync, repairObjects, type RepairAction, type SyncResult } from './replicate.ts';
import { updateStatus, type MirrorStatus } from './status.ts';
import { inShard, type Shard } from './shards.ts';
import type { ObjectStore } from './store.ts';

/** How a run ended, worst first: a mirror could not be reached, problems were found, or all is well. */
export type RunVerdict = 'unavailable' | 'problems' | 'ok';

/** Errors during a sync that mean "this target is down", not "this run is broken". */
const targetDownCodes = ['MIRROR_UNAVAILABLE', 'RCLONE_FAILED'] as const;
/** Audit findings that a copy from another mirror can mend. */
const repairable: ReadonlySet<FindingCode> = new Set(['MISSING', 'WRONG_SIZE', 'WRONG_CHECKSUM', 'UNREADABLE']);
/** The first problems of an audit kept in the status file for the site. */
const statusProblemsMax = 100;

export interface MirrorRunsOptions {
  /** The catalogue folder: where mirror-status.json is written. */
  catalog: string;
  config: MirrorsConfig;
  objects: CatalogueObjects;
  /** Opens a mirror (default: openStore with the process environment). */
  open?: (mirror: Mirror) => ObjectStore;
  /** The clock for status records (default: the system's). */
  now?: () => Date;
}

/** A progress display for one mirror at a time (storage/progress.ts createProgressBar, or nothing). */
export interface RunProgress {
  update(done: number, total: number): void;
  done(): void;
}

export interface SyncRunOptions {
  from: Mirror;
  targets: Mirror[];
  /** Deletions per target per run (default 100). */
  maxDeletions?: number;
  engine?: 'auto' | 'rclone' | 'sdk';
  progress?: (to: Mirror) => RunProgress;
}

export interface SyncRun {
  from: string;
  results: SyncResult[];
  unavailable: Array<{ mirror: string; error: string }>;
  verdict: RunVerdict;
}

export interface VerifyRunOptions {
  mirrors: Mirror[];
  /** Fraction of objects whose bytes are read (default 1). */
  sample?: number;
  /** Limit the audit to one entry's prefix. */
  entry?: string;
  /**
   * Audit only this shard's keys (storage/shards.ts). A shard sees part of each mirror, so it leaves the status
   * file alone: `mirror verify --merge` writes it from the shards' reports.
   */
  shard?: Shard;
}

export interface VerifyRun {
  mirrors: AuditResult[];
  verdict: RunVerdict;
}

export interface RepairReport {
  mirror: string;
  actions: RepairAction[];
  /** Findings of the audit after the repair. */
  remaining: Finding[];
}

export interface RepairRun {
  /** Mirrors repaired, in the order given. */
  mirrors: RepairReport[];
  unavailable: Array<{ mirror: string; error: string }>;
  verdict: RunVerdict;
}

const statusBase = (mirror: Mirror) => ({
  id: mirror.id,
  kind: mirror.kind,
  role: mirror.role,
  ...(mirror.publicBaseUrl ? { publicBaseUrl: mirror.publicBaseUrl } : {}),
});
const sum = (objects: ExpectedObject[]) => objects.reduce((s, o) => s + o.size, 0);

/** The counts by finding code of an audit, for the status file. */
export function countByCode(findings: Finding[]): Record<string, number> {
  const byCode: Record<string, number> = {};
  for (const f of findings) byCode[f.code] = (byCode[f.code] ?? 0) + 1;
  return byCode;
}

/** The status record's audit fields for a finished audit. */
function auditStatus(result: AuditResult, at: Date, sample: number): Pick<MirrorStatus, 'lastAudit' | 'problems'> {
  const ok = result.findings.length === 0;
  const lastAudit = {
    at: at.toISOString(),
    sample,
    objectsRead: result.objectsRead,
    bytesRead: result.bytesRead,
    problems: result.findings.length,
    byCode: countByCode(result.findings),
    ok,
  };
  return { lastAudit, problems: result.findings.slice(0, statusProblemsMax) };
}

export function createMirrorRuns(options: MirrorRunsOptions) {
  const { catalog, config, objects } = options;
  const open = options.open ?? ((mirror: Mirror) => openStore(mirror, config));
  const now = options.now ?? (() => new Date());
  const pendingDeletion = new Set(objects.deletable.map((o) => o.key));

  /** Opens a store; any failure (a missing credential first of all) is that mirror's, not the run's. */
  function tryOpen(mirror: Mirror): { store: ObjectStore } | { error: string } {
    try {
      return { store: open(mirror) };
    } catch (error) {
      return { error: messageOf(error) };
    }
  }

  /** The primary holds embargoed entries too; the mirrors hold live entries and kept withdrawn ones. */
  const expectedOn = (mirror: Mirror) => [
    ...objects.live,
    ...objects.kept,
    ...(mirror.role === 'primary' ? objects.embargoed : []),
  ];

  /** The audit of one mirror; objects of withdrawn entries awaiting deletion are neither expected nor "unlisted". */
  async function audit(
    store: ObjectStore,
    expected: ExpectedObject[],
    sample: number | undefined,
    entry: string | undefined,
    shard?: Shard,
  ): Promise<AuditResult> {
    const result = await auditStore(
      store,
      expected.filter((object) => inShard(object.key, shard)),
      { sample, unlistedUnder: [entry ? `${entry}/` : ''], shard },
    );
    result.findings = result.findings.filter((f) => !(f.code === 'UNLISTED' && pendingDeletion.has(f.key)));
    return result;
  }

  async function sync(run: SyncRunOptions): Promise<SyncRun> {
    const { from } = run;
    const source = open(from);
    const results: SyncResult[] = [];
    const unavailable: SyncRun['unavailable'] = [];
    const at = now().toISOString();
    for (const to of run.targets) {
      const opened = tryOpen(to);
      if ('error' in opened) {
        unavailable.push({ mirror: to.id, error: opened.error });
        await updateStatus(catalog, [{ ...statusBase(to), available: false, error: opened.error }]);
        continue;
      }
      const progress = run.progress?.(to);
      try {
        const target = opened.store;
        const plan = await planSync({
          source,
          target,
          objects: objects.live,
          deletable: objects.deletable,
          maxDeletions: run.maxDeletions,
        });
        const mirrors = { from, to, base: config.base };
        const result = await applySync(plan, {
          source,
          target,
          engine: run.engine,
          mirrors,
          onProgress: (done, total) => progress?.update(done, total),
        });
        results.push(result);
        const ok = result.failed.length === 0 && result.missingAtSource.length === 0 && !result.unavailable;
        const lastSync = {
          at,
          from: from.id,
          copied: result.copied,
          bytesCopied: result.bytesCopied,
          deleted: result.deleted,
          failed: result.failed.length,
          ok,
          via: result.via,
        };
        const held = [...objects.live, ...objects.kept];
        await updateStatus(catalog, [
          {
            ...statusBase(to),
            available: !result.unavailable,
            ...(result.unavailable ? { error: result.unavailable } : {}),
            objects: held.length,
            bytes: sum(held),
            lastSync,
          },
        ]);
        if (result.unavailable) unavailable.push({ mirror: to.id, error: result.unavailable });
      } catch (error) {
        if (!hasCode(error, ...targetDownCodes)) throw error;
        unavailable.push({ mirror: to.id, error: messageOf(error) });
        await updateStatus(catalog, [{ ...statusBase(to), available: false, error: messageOf(error) }]);
      } finally {
        progress?.done();
      }
    }
    const problems = results.some((r) => r.failed.length > 0 || r.missingAtSource.length > 0);
    return {
      from: from.id,
      results,
      unavailable,
      verdict: unavailable.length > 0 ? 'unavailable' : problems ? 'problems' : 'ok',
    };
  }

  async function verify(run: VerifyRunOptions): Promise<VerifyRun> {
    const sample = run.sample ?? 1;
    const results: AuditResult[] = [];
    const at = now();
    for (const mirror of run.mirrors) {
      const expected = expectedOn(mirror);
      const opened = tryOpen(mirror);
      const result: AuditResult =
        'error' in opened
          ? {
              mirror: mirror.id,
              objects: expected.length,
              bytes: sum(expected),
              objectsRead: 0,
              bytesRead: 0,
              findings: [],
              unavailable: opened.error,
            }
          : await audit(opened.store, expected, sample, run.entry, run.shard);
      results.push(result);
      if (run.shard) continue;
      await updateStatus(catalog, [
        {
          ...statusBase(mirror),
          available: !result.unavailable,
          ...(result.unavailable ? { error: result.unavailable } : {}),
          objects: result.objects,
          bytes: result.bytes,
          ...(result.unavailable ? {} : auditStatus(result, at, sample)),
        },
      ]);
    }
    return { mirrors: results, verdict: verdictOf(results) };
  }

  async function repair(run: { mirrors: Mirror[]; entry?: string; shard?: Shard }): Promise<RepairRun> {
    const stores = new Map<string, ObjectStore>();
    for (const mirror of config.mirrors) {
      const opened = tryOpen(mirror);
      if ('store' in opened) stores.set(mirror.id, opened.store);
    }
    const byKey = new Map([...objects.live, ...objects.kept, ...objects.embargoed].map((o) => [o.key, o]));
    const reports: RepairReport[] = [];
    const unavailable: RepairRun['unavailable'] = [];
    let remaining = 0;
    for (const mirror of run.mirrors) {
      const store = stores.get(mirror.id);
      if (!store) {
        unavailable.push({ mirror: mirror.id, error: 'cannot open the mirror' });
        continue;
      }
      const expected = expectedOn(mirror);
      const before = await audit(store, expected, undefined, run.entry, run.shard);
      if (before.unavailable) {
        unavailable.push({ mirror: mirror.id, error: before.unavailable });
        continue;
      }
      const broken = before.findings
        .filter((f) => repairable.has(f.code))
        .map((f) => ({ object: byKey.get(f.key)!, problem: f.code }))
        .filter((b) => b.object);
      const others = [...stores.values()].filter((s) => s.id !== mirror.id);
      const actions = await repairObjects(store, broken, others);
      const after = await audit(store, expected, undefined, run.entry, run.shard);
      remaining += after.findings.filter((f) => f.code !== 'UNLISTED').length;
      reports.push({ mirror: mirror.id, actions, remaining: after.findings });
      if (run.shard) continue;
      await updateStatus(catalog, [
        {
          ...statusBase(mirror),
          available: true,
          objects: after.objects,
          bytes: after.bytes,
          ...auditStatus(after, now(), 1),
        },
      ]);
    }
    return {
      mirrors: reports,
      unavailable,
      verdict: unavailable.length > 0 ? 'unavailable' : remaining > 0 ? 'problems' : 'ok',
    };
  }

  /** Writes the status file from audits merged from shard reports (audit-merge.ts), as `verify` would. */
  async function recordMergedAudit(merged: { sample: number; mirrors: AuditResult[] }): Promise<VerifyRun> {
    const at = now();
    for (const result of merged.mirrors) {
      const mirror = config.mirrors.find((m) => m.id === result.mirror);
      if (!mirror) continue;
      await updateStatus(catalog, [
        {
          ...statusBase(mirror),
          available: !result.unavailable,
          ...(result.unavailable ? { error: result.unavailable } : {}),
          objects: result.objects,
          bytes: result.bytes,
          ...(result.unavailable ? {} : auditStatus(result, at, merged.sample)),
        },
      ]);
    }
    return { mirrors: merged.mirrors, verdict: verdictOf(merged.mirrors) };
  }

  return { sync, verify, repair, recordMergedAudit };
}

function verdictOf(results: AuditResult[]): VerifyRun['verdict'] {
  return results.some((r) => r.unavailable)
    ? 'unavailable'
    : results.some((r) => r.findings.length > 0)
      ? 'problems'
      : 'ok';
}

export type MirrorRuns = ReturnType<typeof createMirrorRuns>;
