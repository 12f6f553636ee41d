// A partner's bic_full record whose JSON nests thousands deep: JSON.parse accepts it, but writing it (or its
// quarantine copy) would overflow the stack. It must be quarantined with one problem naming the pointer.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { maxNestingDepth } from '../../catalog/source.ts';
import { harvestedId } from '../../harvester/crosswalks/index.ts';
import { FULL_NS } from '../../harvester/crosswalks/full.ts';
import { harvest } from '../../harvester/harvest.ts';
import { harvestLogFile, readHarvestLog, recordRun } from '../../harvester/harvest-log.ts';
import { fixture, startReplayServer } from './helpers/servers.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function listRecords(records: { id: string; json: string; manifest?: string; deleted?: true }[]): string {
  const items = records.map((r) =>
    r.deleted
      ? `<record><header status="deleted"><identifier>` +
        `oai:partner.example:${r.id}</identifier><datestamp>` +
        `2026-01-01T00:00:00Z</datestamp></header></record>`
      : `<record><header><identifier>oai:partner.example:${r.id}</identifier>` +
        `<datestamp>2026-01-01T00:00:00Z</datestamp></header><metadata>` +
        `<bic:record xmlns:bic="${FULL_NS}" kind="entry" accession="${r.id}" ` +
        `schemaVersion="1"><bic:json>${escapeXml(r.json)}</bic:json>` +
        (r.manifest === undefined ? '' : `<bic:manifest>${escapeXml(r.manifest)}</bic:manifest>`) +
        '</bic:record></metadata></record>',
  );
  return (
    `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH ` +
    `xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
    `2026-01-02T00:00:00Z</responseDate><request verb="ListRecords" ` +
    `metadataPrefix="bic_full">http://partner.example/oai</request><ListRecords>` +
    `${items.join('')}</ListRecords></OAI-PMH>`
  );
}

it(
  'a bic_full record nested too deep is quarantined with one CROSSWALK_TOO_DEEP problem; ' + 'the others are written',
  async () => {
    const { load } = await import('js-yaml');
    const entry = load(await readFile(join(archive, 'entries/BIC0000013/entry.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const deep = JSON.stringify({ ...entry, study: null }).replace(
      '"study":null',
      `"study":${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    );
    const deepManifest = `{"files":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`;
    const page = listRecords([
      { id: 'BIC0000013', json: JSON.stringify(entry) },
      { id: 'BIC0000021', json: deep },
      { id: 'BIC0000037', json: JSON.stringify(entry), manifest: deepManifest },
    ]);
    const server = await startReplayServer((q) =>
      q.get('verb') === 'Identify' ? fixture('valid/oai/sickle/Identify.xml') : page,
    );
    const catalog = await mkdtemp(join(tmpdir(), 'harvest-too-deep-'));
    dirs.push(catalog);
    try {
      const summary = await harvest({
        catalog,
        target: { partner: 'p', baseUrl: server.url, metadataPrefix: 'bic_full' },
        clientOptions: { httpOptions: { backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 5000 }, malformedWaitMs: 5 },
      });
      expect(summary.quarantined).toBe(2);
      expect(summary.problems).toEqual([
        expect.objectContaining({
          code: 'CROSSWALK_TOO_DEEP',
          pointer: '/study' + '/0'.repeat(maxNestingDepth - 1),
          message: expect.stringContaining('oai:partner.example:BIC0000021'),
        }),
        expect.objectContaining({
          code: 'CROSSWALK_TOO_DEEP',
          pointer: '/files' + '/a'.repeat(maxNestingDepth - 1),
          message: expect.stringContaining('oai:partner.example:BIC0000037'),
        }),
      ]);
      expect((await readdir(join(catalog, 'harvested', 'p'))).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    } finally {
      await server.close();
    }
  },
);

it.each([
  ['nested too deep', `{"schemaVersion":1,"partners":{"p":{"runs":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}}}`],
  ['partners not a mapping', '{"schemaVersion":1,"partners":[1,2]}'],
  ['runs not a list', '{"schemaVersion":1,"partners":{"p":{"name":"P","runs":{"0":1}}}}'],
  ['not a mapping', '"text"'],
])('a harvest-log.json %s is started again, never a crash of the harvest', async (_name, content) => {
  const catalog = await mkdtemp(join(tmpdir(), 'harvest-log-'));
  dirs.push(catalog);
  await writeFile(join(catalog, harvestLogFile), content);
  const run = {
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    status: 'ok' as const,
    set: null,
    pages: 1,
    records: 2,
    deleted: 0,
    quarantined: 0,
    problems: 0,
  };
  await recordRun(catalog, { id: 'p', name: 'P', baseUrl: 'http://partner.example/oai' }, run);
  const log = await readHarvestLog(catalog);
  expect(log.partners.p).toMatchObject({ name: 'P', lastStatus: 'ok', runs: [run] });
});

it.each([
  ['an empty mapping', '{}'],
  ['origin without a datestamp', '{"origin":{}}'],
  ['nested too deep', `{"origin":{"datestamp":"2020-01-01"},"study":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
])('a stored harvested record that is %s is harvested again or deleted, never a crash', async (_name, stored) => {
  const { load } = await import('js-yaml');
  const entry = load(await readFile(join(archive, 'entries/BIC0000013/entry.yaml'), 'utf8')) as Record<string, unknown>;
  // A deleted record keeps the study of the stored one: the deep one must not be carried into the tombstone.
  const page = listRecords([
    { id: 'BIC0000013', json: JSON.stringify(entry) },
    { id: 'BIC0000021', json: '', deleted: true },
  ]);
  const server = await startReplayServer((q) =>
    q.get('verb') === 'Identify' ? fixture('valid/oai/sickle/Identify.xml') : page,
  );
  const catalog = await mkdtemp(join(tmpdir(), 'harvest-stored-'));
  dirs.push(catalog);
  const file = join(catalog, 'harvested', 'p', `${harvestedId('p', 'oai:partner.example:BIC0000013')}.json`);
  const deleted = join(catalog, 'harvested', 'p', `${harvestedId('p', 'oai:partner.example:BIC0000021')}.json`);
  await mkdir(join(catalog, 'harvested', 'p'), { recursive: true });
  await writeFile(file, stored);
  await writeFile(deleted, stored);
  try {
    const summary = await harvest({
      catalog,
      target: { partner: 'p', baseUrl: server.url, metadataPrefix: 'bic_full' },
      clientOptions: { httpOptions: { backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 5000 }, malformedWaitMs: 5 },
    });
    expect(summary).toMatchObject({ records: 2, deleted: 1, quarantined: 0, problems: [] });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      origin: { identifier: 'oai:partner.example:BIC0000013' },
    });
    expect(JSON.parse(await readFile(deleted, 'utf8'))).toMatchObject({
      deleted: { datestamp: '2026-01-01T00:00:00Z' },
      study: { title: 'Deleted record oai:partner.example:BIC0000021' },
    });
  } finally {
    await server.close();
  }
});
