// The reports of an audit split into shards (`mirror verify --shard K/N --json`, one per job), merged into the
// audit one run would have made: every shard of one split present exactly once, the counts summed, the findings
// joined in key order. A report is read from a file another job wrote, so its shape is checked before use.
import type { AuditResult, Finding } from './fixity.ts';
import { formatShard, maxShards, type Shard } from './shards.ts';
import { StorageError } from './errors.ts';

/** What `mirror verify --shard K/N --json` prints. */
export interface ShardReport {
  shard: Shard;
  sample: number;
  mirrors: AuditResult[];
}

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

function isAuditResult(value: unknown): value is AuditResult {
  const r = value as AuditResult;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.mirror === 'string' &&
    [r.objects, r.bytes, r.objectsRead, r.bytesRead].every(isCount) &&
    Array.isArray(r.findings) &&
    r.findings.every(
      (f) => typeof f?.key === 'string' && typeof f.code === 'string' && typeof f.message === 'string',
    ) &&
    (r.unavailable === undefined || typeof r.unavailable === 'string')
  );
}

/** Checks a parsed report; `name` (its file) goes into the message. */
export function toShardReport(value: unknown, name: string): ShardReport {
  const report = value as ShardReport;
  const valid =
    typeof report === 'object' &&
    report !== null &&
    Number.isSafeInteger(report.shard?.index) &&
    Number.isSafeInteger(report.shard?.count) &&
    report.shard.index >= 1 &&
    report.shard.index <= report.shard.count &&
    // The merge lists the shards 1..N it lacks: N comes from another job's file, so it is bounded as --shard is.
    report.shard.count <= maxShards &&
    typeof report.sample === 'number' &&
    Array.isArray(report.mirrors) &&
    report.mirrors.every(isAuditResult);
  if (!valid)
    throw new StorageError(
      'SHARD_REPORT_INVALID',
      `${name}: not a shard report; write it with \`catalogue mirror verify --shard K/N --json > ${name}\``,
    );
  return report;
}

/** The first few shards of a list as K/N, and how many more: one line even when thousands are missing. */
function listShards(indexes: readonly number[], count: number, shown = 10): string {
  const named = indexes.slice(0, shown).map((i) => `${i}/${count}`);
  return indexes.length > shown ? `${named.join(', ')} and ${indexes.length - shown} more` : named.join(', ');
}

/** One audit per mirror from the reports of every shard of one split; throws naming what is missing or doubled. */
export function mergeShardReports(reports: readonly ShardReport[]): { sample: number; mirrors: AuditResult[] } {
  if (reports.length === 0) throw new StorageError('SHARD_REPORTS_MISSING', 'no shard report to merge');
  const count = reports[0].shard.count;
  if (reports.some((r) => r.shard.count !== count))
    throw new StorageError(
      'SHARD_SPLITS_DIFFER',
      `the reports come from different splits (${reports.map((r) => formatShard(r.shard)).join(', ')}); ` +
        'merge the reports of one run of N jobs',
    );
  const seen = new Map<number, number>();
  for (const r of reports) seen.set(r.shard.index, (seen.get(r.shard.index) ?? 0) + 1);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  const doubled = [...seen].filter(([, n]) => n > 1).map(([i]) => i);
  if (missing.length > 0 || doubled.length > 0)
    throw new StorageError(
      'SHARD_REPORTS_INCOMPLETE',
      [
        missing.length > 0 ? `shard(s) ${listShards(missing, count)} missing` : '',
        doubled.length > 0 ? `shard(s) ${listShards(doubled, count)} given twice` : '',
      ]
        .filter(Boolean)
        .join('; ') + '; give the report of every shard once',
    );
  const merged = new Map<string, AuditResult>();
  for (const report of reports) {
    for (const result of report.mirrors) {
      const into = merged.get(result.mirror);
      if (!into) {
        merged.set(result.mirror, { ...result, findings: [...result.findings] });
        continue;
      }
      into.objects += result.objects;
      into.bytes += result.bytes;
      into.objectsRead += result.objectsRead;
      into.bytesRead += result.bytesRead;
      into.findings.push(...result.findings);
      if (result.unavailable && !into.unavailable) into.unavailable = result.unavailable;
    }
  }
  const byKey = (a: Finding, b: Finding) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.code < b.code ? -1 : 1);
  for (const result of merged.values()) result.findings.sort(byKey);
  return { sample: Math.min(...reports.map((r) => r.sample)), mirrors: [...merged.values()] };
}
