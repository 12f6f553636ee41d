// An audit split into N shards finds exactly what one run finds: the shards' objects are disjoint and cover the
// mirror, their findings are those of the whole audit, and the merged report is the whole audit's.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeShardReports, toShardReport, type ShardReport } from '../../storage/audit-merge.ts';
import type { CatalogueObjects } from '../../storage/catalogue-objects.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createMirrorRuns } from '../../storage/mirror-runs.ts';
import type { Mirror, MirrorsConfig } from '../../storage/mirrors.ts';
import { inShard, parseShard, shardOfKey } from '../../storage/shards.ts';
import type { MirrorStatusFile } from '../../storage/status.ts';
import { catalogue, temporaryFolder } from './helpers.ts';

const mirrors: Mirror[] = [
  { id: 'local', kind: 'folder', role: 'primary', path: 'local' },
  { id: 'copy', kind: 'folder', role: 'mirror', path: 'copy' },
];
let work: string;
let objects: CatalogueObjects;
let config: MirrorsConfig;

const runs = () =>
  createMirrorRuns({
    catalog: join(work, 'catalog'),
    config,
    objects,
    open: (mirror) => createFolderStore({ id: mirror.id, root: join(work, mirror.path!) }),
    now: () => new Date('2026-01-02T03:04:05Z'),
  });

beforeEach(async () => {
  work = await temporaryFolder('shards');
  await mkdir(join(work, 'catalog'), { recursive: true });
  config = { file: join(work, 'mirrors.yaml'), mirrors, base: work };
  const live = [];
  for (let i = 0; i < 40; i++) {
    const entry = `BIC00000${String(10 + (i % 4)).padStart(2, '0')}`;
    const bytes = randomBytes(200 + i);
    for (const mirror of ['local', 'copy']) {
      await mkdir(join(work, mirror, entry), { recursive: true });
      await writeFile(join(work, mirror, entry, `f${i}.bin`), bytes);
    }
    live.push({ key: `${entry}/f${i}.bin`, size: bytes.length, sha256: sha(bytes), entry });
  }
  objects = { live, kept: [], deletable: [], embargoed: [], problems: [] };
  // Damage on the copy: a missing object, a wrong size, a wrong checksum, and objects no manifest lists.
  await rm(join(work, 'copy', live[3].key));
  await writeFile(join(work, 'copy', live[7].key), 'short');
  const wrong = Buffer.from(await readFile(join(work, 'copy', live[11].key)));
  wrong[0] ^= 0xff;
  await writeFile(join(work, 'copy', live[11].key), wrong);
  for (const name of ['stray-1.bin', 'stray-2.bin', 'stray-3.bin'])
    await writeFile(join(work, 'copy', 'BIC0000010', name), 'stray');
});
afterEach(() => rm(work, { recursive: true, force: true }));

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const keysOf = (report: { mirrors: { mirror: string; findings: { key: string; code: string }[] }[] }) =>
  report.mirrors.flatMap((m) => m.findings.map((f) => `${m.mirror} ${f.code} ${f.key}`)).sort();

describe('mirror verify --shard K/N', () => {
  it('N shards together find exactly what one run finds, each object in one shard only', async () => {
    const whole = await runs().verify({ mirrors, sample: 1 });
    expect(keysOf(whole)).toHaveLength(6);
    for (const count of [3, 5]) {
      const reports: ShardReport[] = [];
      for (let index = 1; index <= count; index++) {
        const run = await runs().verify({ mirrors, sample: 1, shard: { index, count } });
        reports.push(JSON.parse(JSON.stringify({ shard: { index, count }, sample: 1, mirrors: run.mirrors })));
      }
      const perShard = reports.map((r) => keysOf(r));
      expect(perShard.flat().sort()).toEqual(keysOf(whole));
      expect(reports.reduce((n, r) => n + r.mirrors[0].objects, 0)).toBe(40);
      const merged = mergeShardReports(reports);
      expect(merged.mirrors.map((m) => [m.mirror, m.objects, m.bytes, m.objectsRead])).toEqual(
        whole.mirrors.map((m) => [m.mirror, m.objects, m.bytes, m.objectsRead]),
      );
      expect(keysOf(merged)).toEqual(keysOf(whole));
    }
  });

  it('a shard leaves the status file alone; the merge writes it as one run would', async () => {
    const reports: ShardReport[] = [];
    for (let index = 1; index <= 2; index++) {
      const run = await runs().verify({ mirrors, sample: 1, shard: { index, count: 2 } });
      reports.push({ shard: { index, count: 2 }, sample: 1, mirrors: run.mirrors });
    }
    await expect(readFile(join(work, 'catalog', 'mirror-status.json'))).rejects.toThrow();
    const merged = await runs().recordMergedAudit(mergeShardReports(reports));
    expect(merged.verdict).toBe('problems');
    const status = JSON.parse(await readFile(join(work, 'catalog', 'mirror-status.json'), 'utf8')) as MirrorStatusFile;
    expect(status.mirrors.map((m) => [m.id, m.lastAudit?.problems]).sort()).toEqual([
      ['copy', 6],
      ['local', 0],
    ]);
  });

  it('repair of each shard fixes that shard only, and all shards fix everything', async () => {
    const first = await runs().repair({ mirrors: [mirrors[1]], shard: { index: 1, count: 2 } });
    const second = await runs().repair({ mirrors: [mirrors[1]], shard: { index: 2, count: 2 } });
    const repaired = [...first.mirrors, ...second.mirrors].flatMap((m) =>
      m.actions.filter((a) => a.ok).map((a) => a.key),
    );
    expect(repaired.sort()).toEqual([objects.live[3].key, objects.live[7].key, objects.live[11].key].sort());
    const after = await runs().verify({ mirrors, sample: 1 });
    expect(keysOf(after).every((line) => line.includes('UNLISTED'))).toBe(true);
  });
});

describe('merging shard reports', () => {
  const report = (index: number, count: number): ShardReport => ({ shard: { index, count }, sample: 1, mirrors: [] });

  it('names the shards missing or given twice, and refuses reports of different splits', () => {
    expect(() => mergeShardReports([report(1, 3), report(3, 3)])).toThrow(/shard\(s\) 2\/3 missing/);
    expect(() => mergeShardReports([report(1, 2), report(1, 2), report(2, 2)])).toThrow(/1\/2 given twice/);
    expect(() => mergeShardReports([report(1, 2), report(1, 3)])).toThrow(/different splits/);
    expect(() => toShardReport({ mirrors: 'x' }, 'report-1.json')).toThrow(/report-1\.json: not a shard report/);
  });

  it('refuses a split larger than --shard allows, and names a long list of missing shards in one short line', () => {
    // A count from another job's file once made the merge list 2^31 shards and run out of memory.
    const huge = { shard: { index: 1, count: 2 ** 31 - 1 }, sample: 1, mirrors: [] };
    expect(() => toShardReport(huge, 'report-1.json')).toThrow(/report-1\.json: not a shard report/);
    expect(toShardReport(report(1, 10_000), 'report-1.json').shard.count).toBe(10_000);
    let message = '';
    try {
      mergeShardReports([report(1, 10_000)]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^shard\(s\) 2\/10000, 3\/10000, .*, 11\/10000 and 9989 more missing; /);
    expect(message.length).toBeLessThan(300);
  });

  it('the command: --shard is checked, and --merge reads the report files', async () => {
    const bad = await catalogue('mirror', 'verify', '--shard', '4/3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard: '4\/3' is not a shard: write K\/N with 1 <= K <= N/);
    const file = join(work, 'report-1.json');
    await writeFile(file, JSON.stringify(report(1, 2)));
    const missing = await catalogue('mirror', 'verify', '--merge', file, '--catalog', join(work, 'catalog'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard\(s\) 2\/2 missing/);
  });
});

describe('the split', () => {
  it('is by key alone, every key in exactly one shard, and roughly even', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `BIC${String(i).padStart(7, '0')}/image.tif`);
    const counts = new Array(8).fill(0);
    for (const key of keys) {
      const owners = Array.from({ length: 8 }, (_, i) => i + 1).filter((index) => inShard(key, { index, count: 8 }));
      expect(owners).toEqual([shardOfKey(key, 8) + 1]);
      counts[owners[0] - 1]++;
    }
    for (const n of counts) expect(Math.abs(n - 1250)).toBeLessThan(150);
    expect(parseShard(' 3/8 ')).toEqual({ index: 3, count: 8 });
    expect(() => parseShard('0/8')).toThrow(/K\/N/);
  });
});
