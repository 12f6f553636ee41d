// A record harvested from a partner's RO-Crate shows on its page where it came from: the partner, the crate's
// metadata file (a link) and, for a crate read from a repository, the commit.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJsonFile } from '../../catalog/write.ts';
import { crateToHarvestedRecord } from '../../harvester/ro-crate/crosswalk.ts';
import { readCrate } from '../../harvester/ro-crate/read-crate.ts';
import { buildSite } from '../../site/lib/build-site.ts';

const crateFile = new URL('../harvester/fixtures/ro-crate/bia/S-BIAD1405-ro-crate-metadata.json', import.meta.url);
const crateUrl = 'https://github.com/BioImage-Archive/gide-ro-crate/blob/main/study_ro_crates/S-BIAD1405.json';
const commit = '9f6b6cd49cb4db7fb348a1c4d44d49dc73b78270';
const record = crateToHarvestedRecord(readCrate(readFileSync(crateFile)), {
  partner: 'bia',
  crateUrl,
  commit,
  harvestedAt: '2026-12-07T05:00:00Z',
});

let work: string;
let page: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'crate-origin-'));
  await writeJsonFile(join(work, 'catalogue', 'harvested', 'bia', `${record.id}.json`), record);
  await buildSite({ catalog: join(work, 'catalogue'), out: join(work, 'site'), today: '2026-12-07' });
  page = await readFile(join(work, 'site', 'entries', record.id, 'index.html'), 'utf8');
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the page of a record harvested from an RO-Crate', () => {
  it('names the partner, links the crate and gives the commit', () => {
    expect(page).toMatch(/harvested from the partner archive <strong[^>]*>bia<\/strong>\s*from its RO-Crate/);
    expect(page).toContain(`<a href="${crateUrl}" rel="external"`);
    expect(page).toContain(`<code>${commit.slice(0, 12)}</code>`);
    expect(page).toContain('Whole-organism imaging of zebrafish development');
    expect(page).toMatch(/The partner states its size as 4\d\d(\.\d+)? GB, 297 file\(s\)\./);
  });
});
