// Pages are written while the next ones are read: a record that comes back on the following pages must be compared
// with the version still being written, never with an older file (or none), so the newest datestamp always wins.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { harvestedId } from '../../harvester/crosswalks/index.ts';
import { harvest } from '../../harvester/harvest.ts';
import { fixture, startReplayServer, type ReplayServer } from './helpers/servers.ts';

let server: ReplayServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const page = (versions: [string, string][], token: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">` +
  `<responseDate>2026-01-01T00:00:00Z</responseDate><request>http://x/oai</request><ListRecords>${versions
    .map(
      ([datestamp, title]) =>
        `<record><header><identifier>oai:x:1</identifier><datestamp>` +
        `${datestamp}</datestamp></header><metadata><oai_dc:dc ` +
        `xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" ` +
        `xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${title}</dc:title>` +
        `<dc:rights>CC-BY-4.0</dc:rights></oai_dc:dc></metadata></record>`,
    )
    .join('')}<resumptionToken>${token}</resumptionToken></ListRecords></OAI-PMH>`;

describe.each([
  {
    name: 'newest first',
    pages: ['2024-01-03', '2024-01-01', '2024-01-02'],
    title: 'version of 2024-01-03',
    written: 1,
    skipped: 2,
  },
  {
    name: 'oldest first',
    pages: ['2024-01-01', '2024-01-02', '2024-01-03'],
    title: 'version of 2024-01-03',
    written: 3,
    skipped: 0,
  },
])('one record on three consecutive pages, $name', ({ pages, title, written, skipped }) => {
  it.each(['worker', 'inline'] as const)('keeps the newest version (writer %s)', async (writerMode) => {
    server = await startReplayServer((q) => {
      if (q.get('verb') === 'Identify') return fixture('valid/oai/sickle/Identify.xml');
      const n = Number(q.get('resumptionToken') ?? 0);
      return page([[`${pages[n]}T00:00:00Z`, `version of ${pages[n]}`]], n < 2 ? String(n + 1) : '');
    });
    dir = await mkdtemp(join(tmpdir(), 'harvest-pipeline-'));
    const summary = await harvest({
      catalog: dir,
      target: { partner: 'x', baseUrl: server.url, metadataPrefix: 'oai_dc' },
      writerMode,
    });
    expect(summary).toMatchObject({ pages: 3, records: 3, written, skippedOlder: skipped, problems: [] });
    const stored = JSON.parse(
      await readFile(join(dir, 'harvested', 'x', `${harvestedId('x', 'oai:x:1')}.json`), 'utf8'),
    ) as { study: { title: string }; origin: { datestamp: string } };
    expect(stored.study.title).toBe(title);
  });
});

describe('a record stored by an earlier run', () => {
  // The harvest reads the partner's folder once when it starts (harvester/id-filter.ts) instead of a stat per record:
  // a record already stored must still be found, so that an older version never overwrites it.
  it('is not overwritten by an older version in a later run, and is by a newer one', async () => {
    let datestamp = '2024-01-03';
    server = await startReplayServer((q) => {
      if (q.get('verb') === 'Identify') return fixture('valid/oai/sickle/Identify.xml');
      return page([[`${datestamp}T00:00:00Z`, `version of ${datestamp}`]], '');
    });
    dir = await mkdtemp(join(tmpdir(), 'harvest-pipeline-'));
    const file = join(dir, 'harvested', 'x', `${harvestedId('x', 'oai:x:1')}.json`);
    const title = async () => (JSON.parse(await readFile(file, 'utf8')) as { study: { title: string } }).study.title;
    const run = () =>
      harvest({ catalog: dir!, target: { partner: 'x', baseUrl: server!.url, metadataPrefix: 'oai_dc' }, full: true });
    expect(await run()).toMatchObject({ written: 1, skippedOlder: 0 });
    datestamp = '2024-01-01';
    expect(await run()).toMatchObject({ written: 0, skippedOlder: 1 });
    expect(await title()).toBe('version of 2024-01-03');
    datestamp = '2024-01-05';
    expect(await run()).toMatchObject({ written: 1, skippedOlder: 0 });
    expect(await title()).toBe('version of 2024-01-05');
  });
});
