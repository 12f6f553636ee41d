// An incremental build gives the same bytes as a cold build of the same catalogue. Random sequences of changes
// (entries added, edited and withdrawn, embargoes ending as the days pass, a replacement published) are applied to
// a catalogue; after each, the site is built incrementally in one folder and cold in another, and the two trees
// are compared file by file. The search index is cut into shards of about four entries, so that changes fall in
// some shards and not others.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fc } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateEntries } from '../../catalog/generate.ts';
import { entriesDir, entryFile, manifestFile } from '../../catalog/layout.ts';
import { writeLedger } from '../../catalog/ledger.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';
import { renderYaml, writeJsonFile, writeYamlFile } from '../../catalog/write.ts';
import type { Entry } from '../../schemas/index.ts';
import { buildSite, type BuildResult } from '../../site/lib/build-site.ts';

let work: string;

async function digestTree(root: string): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const dirent of await readdir(root, { withFileTypes: true, recursive: true }))
    if (dirent.isFile()) {
      const path = join(dirent.parentPath, dirent.name);
      digests.set(
        relative(root, path),
        createHash('sha256')
          .update(await readFile(path))
          .digest('hex'),
      );
    }
  return digests;
}

/** A catalogue being changed: its entries, in order of minting, and the day the site is built as of. */
class Catalogue {
  readonly root: string;
  readonly live: string[] = [];
  readonly withdrawn: string[] = [];
  today = '2026-01-01';
  private serial = 0;
  private ledger: { accession: string; minted: string; source: string }[] = [];
  constructor(root: string) {
    this.root = root;
  }

  /** Adds `count` generated entries, released up to `latestRelease` (embargoed until then when after today). */
  async add(count: number, seed: number, latestRelease = '2026-09-30'): Promise<void> {
    for (const { entry, manifest } of generateEntries(count, { firstSerial: this.serial + 1, seed, latestRelease })) {
      const folder = join(this.root, entriesDir, entry.accession!);
      await mkdir(folder, { recursive: true });
      await writeYamlFile(join(folder, entryFile), entry);
      await writeJsonFile(join(folder, manifestFile), manifest);
      this.ledger.push({ accession: entry.accession!, minted: this.today, source: 'generated' });
      this.live.push(entry.accession!);
    }
    this.serial += count;
    await writeLedger(this.root, this.ledger);
  }

  async edit(pick: number, words: string): Promise<void> {
    if (this.live.length === 0) return;
    const file = join(this.root, entriesDir, this.live[pick % this.live.length], entryFile);
    const entry = parse(await readFile(file, 'utf8')) as Entry;
    entry.study.description = `${entry.study.description} ${words}`;
    await writeFile(file, renderYaml(entry));
  }

  /** Withdraws an entry, replaced by another live one when `replaced`. */
  async withdraw(pick: number, replaced: boolean): Promise<void> {
    if (this.live.length < 2) return;
    const [accession] = this.live.splice(pick % this.live.length, 1);
    await withdrawEntry(this.root, accession, {
      reason: 'Withdrawn at the request of the authors.',
      date: this.today,
      ...(replaced ? { replacedBy: this.live[pick % this.live.length] } : {}),
    });
    this.withdrawn.push(accession);
  }

  /** Moves today on by `days`: entries released meanwhile leave their embargo. */
  passDays(days: number): void {
    const date = new Date(`${this.today}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + days);
    this.today = date.toISOString().slice(0, 10);
  }
}

type Change =
  | { kind: 'add'; count: number; seed: number }
  | { kind: 'edit'; pick: number; words: string }
  | { kind: 'withdraw'; pick: number; replaced: boolean }
  | { kind: 'days'; days: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 3 }), seed: fc.nat(1000) }),
  fc.record({
    kind: fc.constant('edit' as const),
    pick: fc.nat(),
    words: fc.stringMatching(/^[a-z]{3,12}( [a-z]{3,12}){0,3}$/),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat(), replaced: fc.boolean() }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 120 }) }),
);

async function apply(catalogue: Catalogue, step: Change): Promise<void> {
  if (step.kind === 'add') await catalogue.add(step.count, step.seed);
  else if (step.kind === 'edit') await catalogue.edit(step.pick, step.words);
  else if (step.kind === 'withdraw') await catalogue.withdraw(step.pick, step.replaced);
  else catalogue.passDays(step.days);
}

const shardTarget = process.env.SITE_SEARCH_SHARD_TARGET;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'incremental-build-'));
  process.env.SITE_SEARCH_SHARD_TARGET = '4';
});
afterAll(async () => {
  if (shardTarget === undefined) delete process.env.SITE_SEARCH_SHARD_TARGET;
  else process.env.SITE_SEARCH_SHARD_TARGET = shardTarget;
  await rm(work, { recursive: true, force: true });
});

describe('an incremental build', () => {
  it('gives the same tree as a cold build after any sequence of changes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 5, maxLength: 5 }), async (changes) => {
        const folder = join(work, `run-${run++}`);
        const catalogue = new Catalogue(join(folder, 'catalogue'));
        await catalogue.add(16, 7);
        const build = (out: string, cache: string, force = false): Promise<BuildResult> =>
          buildSite({
            catalog: catalogue.root,
            out: join(folder, out),
            cacheDir: join(folder, cache),
            today: catalogue.today,
            force,
            // Two threads read the catalogue, as at scale (catalog/load.ts hands each its part of the load memo).
            threads: 2,
          });
        expect((await build('incremental', 'cache-incremental')).cold).toBe(
          'no earlier build of this folder in the cache',
        );
        for (const step of changes) {
          await apply(catalogue, step);
          const incremental = await build('incremental', 'cache-incremental');
          expect(incremental.cold, JSON.stringify(step)).toBeUndefined();
          const cold = await build('cold', 'cache-cold', true);
          expect(cold.cold).toBe('asked to (--force)');
          expect(incremental.entriesWritten).toBeLessThanOrEqual(cold.entriesWritten);
          const [a, b] = [await digestTree(join(folder, 'incremental')), await digestTree(join(folder, 'cold'))];
          const differing = [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path));
          expect(differing, `after ${JSON.stringify(step)}`).toEqual([]);
        }
        await rm(folder, { recursive: true, force: true });
      }),
      { numRuns: 1, endOnFailure: true },
    );
  }, 300_000);

  it('writes only the changed entry and its shard when one entry changes, nothing when nothing does', async () => {
    const folder = join(work, 'one-change');
    const catalogue = new Catalogue(join(folder, 'catalogue'));
    await catalogue.add(24, 11, '2025-12-31');
    const build = () =>
      buildSite({
        catalog: catalogue.root,
        out: join(folder, 'site'),
        cacheDir: join(folder, 'cache'),
        today: catalogue.today,
      });
    const cold = await build();
    expect(cold.searchShards.length).toBeGreaterThan(2);
    const same = await build();
    expect([same.cold, same.entriesWritten, same.shardsBuilt]).toEqual([undefined, 0, 0]);
    await catalogue.edit(3, 'zebrafish');
    const edited = await build();
    expect([edited.cold, edited.entriesWritten, edited.shardsBuilt]).toEqual([undefined, 1, 1]);
    const forced = await buildSite({
      catalog: catalogue.root,
      out: join(folder, 'site'),
      cacheDir: join(folder, 'cache'),
      today: catalogue.today,
      force: true,
    });
    expect(forced.entriesWritten).toBe(forced.records);
    // One state and one load memo (snapshot and findings) per site folder: earlier memos are removed.
    expect(
      (await readdir(join(folder, 'cache'))).map((name) => name.replace(/^[0-9a-f]{16}\.([0-9a-f]{8}\.)?/, '')).sort(),
    ).toEqual(['json', 'snapshot.jsonl', 'sources.json']);
  }, 120_000);
});
