// The parts of an incremental build that decide what is rebuilt: the search shards' cuts (stable as records come
// and go), and when the cache may be built on at all.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it as fuzz } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAccession } from '../../catalog/accession.ts';
import { fingerprintOf, usableState, writeState, type BuildState } from '../../site/lib/build-cache.ts';
import { noKeys } from '../../site/lib/build-step-keys.ts';
import { splitIntoShards } from '../../site/lib/search-shards.ts';

const shardsOf = (accessions: string[], target: number) =>
  splitIntoShards(accessions, (a) => a, target).map((s) => `${s.folder}:${s.members.join(',')}`);

describe('search shards', () => {
  fuzz.prop([fc.uniqueArray(fc.integer({ min: 1, max: 99_999 }), { maxLength: 400 }), fc.integer({ min: 1, max: 40 })])(
    'keep every record once, in order, half to twice the target per shard but the last, the first always pagefind/',
    (serials, target) => {
      const accessions = serials.sort((a, b) => a - b).map(formatAccession);
      const shards = splitIntoShards(accessions, (a) => a, target);
      expect(shards[0].folder).toBe('pagefind');
      expect(shards.flatMap((s) => s.members)).toEqual(accessions);
      for (const shard of shards) expect(shard.members.length).toBeLessThanOrEqual(2 * Math.max(1, target));
      for (const shard of shards.slice(0, -1))
        expect(shard.members.length).toBeGreaterThanOrEqual(Math.max(1, Math.floor(target / 2)));
      for (const shard of shards.slice(1)) expect(shard.folder).toBe(`pagefind-${shard.members[0]}`);
    },
  );

  it('change only near where a record is added or removed, not after it', () => {
    const accessions = Array.from({ length: 3000 }, (_, i) => formatAccession(2 * i + 2));
    const before = new Set(shardsOf(accessions, 100));
    expect(before.size).toBeGreaterThan(15);
    const changes: number[] = [];
    for (let at = 0; at < accessions.length; at += 7) {
      const added = [...accessions.slice(0, at), formatAccession(2 * at + 1), ...accessions.slice(at)];
      const removed = accessions.filter((_, i) => i !== at);
      for (const after of [shardsOf(added, 100), shardsOf(removed, 100)])
        changes.push(after.filter((shard) => !before.has(shard)).length);
    }
    // Cut every 100 records instead, an addition near the start would change every later shard. The bounds on a
    // shard's size move a cut now and then (the next shard changes too), never far.
    expect(Math.max(...changes)).toBeLessThanOrEqual(4);
    expect(changes.reduce((sum, n) => sum + n, 0) / changes.length).toBeLessThan(1.15);
  });
});

describe('the build cache', () => {
  let work: string;
  let site: string;
  let state: BuildState;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'build-cache-'));
    site = join(work, 'site');
    await mkdir(site);
    for (const file of ['index.html', 'feed.xml', 'sitemap.xml']) await writeFile(join(site, file), `${file}\n`);
    state = {
      format: 1,
      out: site,
      siteDigest: 'd1',
      keys: noKeys(),
      aggregates: [],
      fingerprint: fingerprintOf(site),
    };
    writeState(join(work, 'cache'), state);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('is built on when the site digest and the site folder are the ones it describes', () => {
    expect(usableState(join(work, 'cache'), site, 'd1')).toEqual({ state });
  });

  it('is not built on, and says why, when anything else holds', async () => {
    const cache = join(work, 'cache');
    expect(usableState(join(work, 'none'), site, 'd1')).toEqual({
      cold: 'no earlier build of this folder in the cache',
    });
    expect(usableState(cache, site, 'd2')).toEqual({ cold: 'the code, options or mirrors changed' });
    writeState(cache, { ...state, applying: true });
    expect(usableState(cache, site, 'd1')).toEqual({ cold: 'the earlier build stopped while it updated the site' });
    writeState(cache, state);
    await writeFile(join(site, 'feed.xml'), 'another build\n');
    expect(usableState(cache, site, 'd1')).toEqual({ cold: 'the site folder is not the one the cache describes' });
  });
});
