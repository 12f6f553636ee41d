// The catalogue's own RO-Crates harvested back by the RO-Crate partner code: the fixture site is built and served
// on port 0, its crates are listed as a partner's, and each becomes a harvested record with the entry's title,
// organisms, imaging methods and the crate it came from. What the export writes, the harvester reads. One entry is
// given a DOI, which its crate states as the root's identifier and the harvested record keeps among its identifiers.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { harvestedDir } from '../../catalog/layout.ts';
import { harvestCrates } from '../../harvester/ro-crate/harvest-crates.ts';
import type { HarvestedRecord } from '../../schemas/index.ts';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';

const fixtureCatalogue = join(import.meta.dirname, 'fixtures/valid/catalogue');
const doiEntry = { accession: 'BIC0000013', doi: '10.80000/BIC0000013' };
let work: string;
let catalogue: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crate-round-trip-'));
  catalogue = join(work, 'catalogue');
  await cp(fixtureCatalogue, catalogue, { recursive: true });
  const entryFile = join(catalogue, 'entries', doiEntry.accession, 'entry.yaml');
  await writeFile(entryFile, stringify({ ...parse(await readFile(entryFile, 'utf8')), doi: doiEntry.doi }));
  server = await startStaticServer({ root: join(work, 'site'), port: 0 });
  base = server.url.replace('localhost', '127.0.0.1');
  await buildSite({ catalog: catalogue, out: join(work, 'site'), baseUrl: base, today: '2025-01-01' });
}, 300_000);
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe("the catalogue's own crates", () => {
  it('are harvested back by the RO-Crate partner code, exactly once, with their origin', async () => {
    // Three live entries with a crate (BIC0000021 is the injection test: the harvester cleans its markup away).
    const withCrate = (await readdir(join(work, 'site', 'entries'), { withFileTypes: true }))
      .filter((d) => d.isDirectory() && d.name !== 'BIC0000021')
      .map((d) => d.name)
      .filter((name) => existsSync(join(work, 'site', 'entries', name, 'ro-crate-metadata.json')));
    const accessions = withCrate.slice(0, 3);
    expect(accessions).toHaveLength(3);
    expect(accessions).toContain(doiEntry.accession);
    const titles = await Promise.all(
      accessions.map(async (accession) => {
        const entry = parse(await readFile(join(catalogue, 'entries', accession, 'entry.yaml'), 'utf8'));
        return (entry as { study: { title: string } }).study.title;
      }),
    );
    const urls = accessions.map((accession) => `${base}entries/${accession}/ro-crate-metadata.json`);
    const catalog = join(work, 'harvesting-catalogue');
    const target = {
      partner: 'self',
      source: { urls },
      contact: 'curators@example.org',
      allowPrivateNetwork: true,
    };
    const first = await harvestCrates({ catalog, target });
    expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(first).toMatchObject({ crates: 3, written: 3, quarantined: 0 });

    const folder = join(catalog, harvestedDir, 'self');
    const records = await Promise.all(
      (await readdir(folder)).map(
        async (name) => JSON.parse(await readFile(join(folder, name), 'utf8')) as HarvestedRecord,
      ),
    );
    for (const [i, accession] of accessions.entries()) {
      const record = records.find((r) => r.origin.crate === urls[i]);
      expect(record, accession).toBeDefined();
      expect(record!.study.title).toBe(titles[i]);
      expect(record!.origin.identifier).toBe(`${base}entries/${accession}/`);
      const crate = JSON.parse(
        await readFile(join(work, 'site', 'entries', accession, 'ro-crate-metadata.json'), 'utf8'),
      ) as { '@graph': Record<string, unknown>[] };
      if (accession === doiEntry.accession) {
        expect(crate['@graph'][1].identifier).toBe(`https://doi.org/${doiEntry.doi}`);
        expect(record!.study.identifiers).toEqual([doiEntry.doi]);
      } else {
        expect(crate['@graph'][1].identifier).toBe(accession);
        expect(record!.study.identifiers).toEqual([accession]);
      }
    }
    const again = await harvestCrates({ catalog, target });
    expect(again).toMatchObject({ crates: 3, written: 0 });
  }, 120_000);
});
