// Two catalogue instances on loopback: B harvests A in the full format and ends with the same entries; changes
// propagate on the next incremental run; a harvest killed with SIGKILL resumes and ends exactly like an
// uninterrupted one.
import { spawn } from 'node:child_process';
import { readFile, readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import type { Entry, HarvestedRecord } from '../../schemas/index.ts';
import { checkCatalogue } from '../../catalog/check.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';
import { writeYamlFile } from '../../catalog/write.ts';
import { harvest, readState } from '../../harvester/harvest.ts';
import { createCatalogueProvider, listen } from '../../harvester/provider.ts';
import { makeCatalogue } from './helpers/catalogue.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'federation-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
};
async function serveCatalogue(catalog: string, pageSize: number, delayMs = 0): Promise<string> {
  const provider = createCatalogueProvider(catalog, {
    pageSize,
    maxAgeMs: 0,
    today: () => '2026-01-10',
    secret: 'federation',
  });
  const listener: typeof provider.listener = delayMs
    ? (req, res) => void setTimeout(() => provider.listener(req, res), delayMs)
    : provider.listener;
  const { server, url } = await listen(listener);
  cleanups.push(() => close(server));
  return url;
}
const close = (server: Server) =>
  new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
async function harvestedRecords(catalog: string, partner = 'a'): Promise<HarvestedRecord[]> {
  const folder = join(catalog, 'harvested', partner);
  const names = (await readdir(folder)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(folder, n), 'utf8')) as HarvestedRecord));
}
const withoutHarvestTime = (records: HarvestedRecord[]) =>
  records.map((r) => ({ ...r, origin: { ...r.origin, harvestedAt: '' } }));

describe('federation', () => {
  it(
    'B harvests A in bic_full, ends with the same entries, ' + 'and picks up updates and withdrawals incrementally',
    async () => {
      const a = await makeCatalogue(15);
      cleanups.push(() => rm(a, { recursive: true, force: true }));
      const b = await temp();
      const url = await serveCatalogue(a, 4);
      const target = { partner: 'a', baseUrl: url, metadataPrefix: 'bic_full' };
      const first = await harvest({ catalog: b, target });
      expect(first).toMatchObject({ records: 15, pages: 4, quarantined: 0, problems: [] });
      const accessions = (await readdir(join(a, 'entries'))).sort();
      const entries = await Promise.all(
        accessions.map(
          async (acc) => YAML.parse(await readFile(join(a, 'entries', acc, 'entry.yaml'), 'utf8')) as Entry,
        ),
      );
      let records = await harvestedRecords(b);
      expect(records.map((r) => r.sourceAccession).sort()).toEqual(accessions);
      for (const entry of entries) {
        const copy = records.find((r) => r.sourceAccession === entry.accession)!;
        expect(copy.study).toEqual(entry.study);
        expect(copy.biosamples).toEqual(entry.biosamples);
        expect(copy.components).toEqual(entry.components);
      }
      expect((await checkCatalogue(b, { today: '2026-01-10' })).problems.filter((p) => p.severity === 'error')).toEqual(
        [],
      );

      // A changes: one entry gets a new version, one is withdrawn.
      const [updated, withdrawn] = accessions;
      const entryFile = join(a, 'entries', updated, 'entry.yaml');
      const entry = YAML.parse(await readFile(entryFile, 'utf8')) as Entry;
      entry.study.title = 'A corrected title for the federation test entry';
      entry.version = (entry.version ?? 1) + 1;
      entry.versions = [
        ...(entry.versions ?? []),
        { version: entry.version, date: '2026-01-09', summary: 'Corrected title' },
      ];
      await writeYamlFile(entryFile, entry);
      await withdrawEntry(a, withdrawn, {
        reason: 'Withdrawn for the federation test, on purpose.',
        date: '2026-01-09',
      });

      const second = await harvest({ catalog: b, target });
      expect(second.from).toBeTruthy();
      // The two changed entries, plus those at the previous high-water datestamp again (from is inclusive, §3.3.1).
      expect(second.records).toBeGreaterThanOrEqual(2);
      expect(second.records).toBeLessThan(15);
      records = await harvestedRecords(b);
      expect(records).toHaveLength(15);
      expect(records.find((r) => r.sourceAccession === updated)!.study.title).toBe(
        'A corrected title for the federation test entry',
      );
      expect(records.find((r) => r.sourceAccession === updated)!.version).toBe(entry.version);
      expect(records.find((r) => r.sourceAccession === withdrawn)!.deleted).toEqual({
        datestamp: '2026-01-09T00:00:00Z',
      });
    },
  );

  it('a harvest killed with SIGKILL mid-way resumes and ends exactly like an uninterrupted one', async () => {
    const a = await makeCatalogue(40);
    cleanups.push(() => rm(a, { recursive: true, force: true }));
    const url = await serveCatalogue(a, 3, 60);
    const target = { partner: 'a', baseUrl: url, metadataPrefix: 'bic_full' };

    const reference = await temp();
    await harvest({ catalog: reference, target });

    const interrupted = await temp();
    const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
    const child = spawn(
      node,
      [fileURLToPath(new URL('./helpers/harvest-child.ts', import.meta.url)), url, interrupted],
      { stdio: 'ignore' },
    );
    cleanups.push(async () => child.kill('SIGKILL'));
    // Kill it once a few pages are committed, at an arbitrary moment within a page.
    for (let i = 0; i < 400; i++) {
      const state = await readState(interrupted, target).catch(() => undefined);
      if ((state?.current?.pages ?? 0) >= 4) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 30));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const cut = await readState(interrupted, target);
    expect(cut?.current?.token).toBeTruthy();
    expect(cut!.current!.records).toBeLessThan(40);

    const resumed = await harvest({ catalog: interrupted, target });
    expect(resumed.resumed).toBe(true);
    expect(withoutHarvestTime(await harvestedRecords(interrupted))).toEqual(
      withoutHarvestTime(await harvestedRecords(reference)),
    );
    const leftovers = (await readdir(join(interrupted, 'harvested', 'a'))).filter((n) => !n.endsWith('.json'));
    expect(leftovers).toEqual([]);
  });
});
