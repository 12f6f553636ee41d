import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { createOaiClient } from '../../harvester/client.ts';
import { harvest, readState } from '../../harvester/harvest.ts';
import { HttpError } from '../../harvester/errors.ts';
import { createHttpClient } from '../../harvester/http.ts';
import { fixture, startReplayServer, type ReplayServer } from './helpers/servers.ts';

let servers: ReplayServer[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  servers = [];
  dirs = [];
});
const tempCatalog = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'harvest-'));
  dirs.push(dir);
  return dir;
};
const serve = async (route: Parameters<typeof startReplayServer>[0]) => {
  const server = await startReplayServer(route);
  servers.push(server);
  return server;
};
const fast = { httpOptions: { backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 2000 }, malformedWaitMs: 5 };
const identify = fixture('valid/oai/sickle/Identify.xml');
const harvestedFiles = async (catalog: string, partner: string) =>
  (await readdir(join(catalog, 'harvested', partner))).filter((f) => f.endsWith('.json')).sort();

describe('harvesting recorded partner responses', () => {
  it('follows Zenodo resumption tokens to the last page (no token element) and writes valid records', async () => {
    const server = await serve((q) => {
      if (q.get('verb') === 'Identify') return identify;
      if (q.get('resumptionToken') === '.resumption-token-to-page-2')
        return { body: fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml'), encoding: 'gzip' };
      if (q.get('metadataPrefix') === 'oai_datacite')
        return { body: fixture('valid/oai/zenodo/ListRecords-oai_datacite-page1.xml'), encoding: 'deflate' };
    });
    const catalog = await tempCatalog();
    const summary = await harvest({
      catalog,
      target: {
        partner: 'zenodo',
        baseUrl: server.url,
        metadataPrefix: 'oai_datacite',
        contact: 'mailto:ops@example.org',
      },
      clientOptions: fast,
    });
    expect(summary).toMatchObject({ pages: 2, records: 51, deleted: 0, quarantined: 0, problems: [] });
    expect(await harvestedFiles(catalog, 'zenodo')).toHaveLength(51);
    const check = await checkCatalogue(catalog, { today: '2026-01-01' });
    expect(check.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // The token is sent back exactly and alone (OAI-PMH §3.5).
    const second = server.requests.find((r) => r.query.has('resumptionToken'))!;
    expect([...second.query.keys()].sort()).toEqual(['resumptionToken', 'verb']);
    expect(server.requests[0].userAgent).toMatch(/bioimage-catalogue-harvester\/.* mailto:ops@example\.org/);
    expect(
      (await readState(catalog, { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' }))?.current,
    ).toBeUndefined();
  });

  it('keeps the readable records of a page and quarantines the broken one, naming it', async () => {
    const server = await serve((q) =>
      q.get('verb') === 'Identify'
        ? identify
        : fixture('invalid/record-not-well-formed/ListRecords-one-broken-record.xml'),
    );
    const catalog = await tempCatalog();
    const summary = await harvest({
      catalog,
      target: { partner: 'example', baseUrl: server.url, metadataPrefix: 'oai_dc' },
      clientOptions: fast,
    });
    expect(summary.records).toBe(2);
    expect(summary.quarantined).toBe(1);
    expect(summary.problems).toEqual([
      expect.objectContaining({ code: 'XML_MALFORMED', message: expect.stringContaining('oai:example.org:2') }),
    ]);
    expect(await harvestedFiles(catalog, 'example')).toHaveLength(2);
    expect(await readdir(join(catalog, 'harvest-state/quarantine/example'))).toHaveLength(1);
  });

  it('stores a deleted record as a tombstone and keeps the newest datestamp of a record seen twice', async () => {
    const header = (id: string, datestamp: string, deleted = false) =>
      `<header${deleted ? ' status="deleted"' : ''}><identifier>${id}</identifier>` +
      `<datestamp>${datestamp}</datestamp></header>`;
    const dc = (title: string) =>
      `<metadata><oai_dc:dc ` +
      `xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" ` +
      `xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${title}</dc:title>` +
      `</oai_dc:dc></metadata>`;
    const page = (records: string, token?: string) =>
      `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
      `2024-01-01T00:00:00Z</responseDate><request>x</request><ListRecords>` +
      `${records}${token !== undefined ? `<resumptionToken>${token}</resumptionToken>` : ''}</ListRecords></OAI-PMH>`;
    const server = await serve((q) => {
      if (q.get('verb') === 'Identify') return identify;
      if (q.get('resumptionToken') === 'p2')
        return page(
          `<record>${header('oai:x:1', '2024-01-01T00:00:00Z')}${dc('Older version, listed later')}</record>` +
            `<record>${header('oai:x:2', '2024-01-05T00:00:00Z', true)}</record>`,
          '',
        );
      return page(
        `<record>${header('oai:x:1', '2024-01-03T00:00:00Z')}${dc('Newest version')}</record>` +
          `<record>${header('oai:x:2', '2024-01-02T00:00:00Z')}${dc('To be deleted')}</record>`,
        'p2',
      );
    });
    const catalog = await tempCatalog();
    const summary = await harvest({
      catalog,
      target: { partner: 'x', baseUrl: server.url, metadataPrefix: 'oai_dc' },
      clientOptions: fast,
    });
    expect(summary).toMatchObject({ records: 4, deleted: 1, skippedOlder: 1 });
    const records = await Promise.all(
      (await harvestedFiles(catalog, 'x')).map(async (f) =>
        JSON.parse(await readFile(join(catalog, 'harvested/x', f), 'utf8')),
      ),
    );
    const one = records.find((r) => r.origin.identifier === 'oai:x:1');
    const two = records.find((r) => r.origin.identifier === 'oai:x:2');
    expect(one.study.title).toBe('Newest version');
    expect(two.deleted).toEqual({ datestamp: '2024-01-05T00:00:00Z' });
    expect(two.study.title).toBe('To be deleted');
  });

  it(
    'restarts an expired token (HTTP 422, as Zenodo answers); ' +
      'Zenodo lists out of datestamp order, so from the list start',
    async () => {
      let expired = true;
      const server = await serve((q) => {
        if (q.get('verb') === 'Identify') return identify;
        if (q.get('resumptionToken')) {
          if (expired) {
            expired = false;
            return { status: 422, body: 'token expired' };
          }
          return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
        }
        return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page1.xml');
      });
      const catalog = await tempCatalog();
      const summary = await harvest({
        catalog,
        target: { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' },
        clientOptions: fast,
      });
      expect(summary.restarts).toBe(1);
      expect(summary.problems).toEqual([
        expect.objectContaining({ code: 'RESUMPTION_RESTARTED', severity: 'warning' }),
      ]);
      const restartRequest = server.requests.filter((r) => r.query.get('verb') === 'ListRecords')[2];
      // Zenodo's page 1 is not in datestamp order: restarting at its newest datestamp could miss records listed later.
      expect(restartRequest.query.get('from')).toBeNull();
      expect(restartRequest.query.get('metadataPrefix')).toBe('oai_datacite');
      expect(await harvestedFiles(catalog, 'zenodo')).toHaveLength(51);
    },
  );

  it('restarts after badResumptionToken', async () => {
    const server = await serve((q, n) => {
      if (q.get('verb') === 'Identify') return identify;
      if (q.get('resumptionToken') && n < 3) return fixture('valid/oai/sickle/badResumptionToken.xml');
      if (q.get('resumptionToken')) return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
      return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page1.xml');
    });
    const catalog = await tempCatalog();
    const summary = await harvest({
      catalog,
      target: { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' },
      clientOptions: fast,
    });
    expect(summary.restarts).toBe(1);
    expect(await harvestedFiles(catalog, 'zenodo')).toHaveLength(51);
  });

  it('ends cleanly on noRecordsMatch and continues incrementally from the last datestamp', async () => {
    const server = await serve((q) => {
      if (q.get('verb') === 'Identify') return fixture('valid/oai/datacite-viringo/oai_identify.xml');
      if (q.get('from')) return fixture('valid/oai/dspace-mit/error-noRecordsMatch.xml');
      return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
    });
    const catalog = await tempCatalog();
    const target = { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' };
    await harvest({ catalog, target, clientOptions: fast });
    const second = await harvest({ catalog, target, clientOptions: fast });
    expect(second.records).toBe(0);
    const listRequests = server.requests.filter((r) => r.query.get('verb') === 'ListRecords');
    // Second granularity (DataCite's Identify): the newest datestamp of the first harvest, inclusive.
    expect(listRequests[1].query.get('from')).toBe('2024-02-07T10:49:45Z');
  });
});

it('restarts an in-order list from its last committed datestamp at the repository granularity', async () => {
  const page = (records: string, token?: string) =>
    `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
    `2024-01-01T00:00:00Z</responseDate><request>x</request><ListRecords>` +
    `${records}${token !== undefined ? `<resumptionToken>${token}</resumptionToken>` : ''}</ListRecords></OAI-PMH>`;
  const record = (id: number, day: string) =>
    `<record><header><identifier>oai:x:${id}</identifier><datestamp>` +
    `${day}</datestamp></header><metadata><oai_dc:dc ` +
    `xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Record ${id}</dc:title>` +
    `</oai_dc:dc></metadata></record>`;
  let refused = false;
  const server = await serve((q) => {
    if (q.get('verb') === 'Identify') return identify;
    if (q.get('resumptionToken')) {
      if (!refused) {
        refused = true;
        return fixture('valid/oai/sickle/badResumptionToken.xml');
      }
      return page(record(3, '2024-01-03'), '');
    }
    if (q.get('from') === '2024-01-02') return page(record(2, '2024-01-02') + record(3, '2024-01-03'));
    return page(record(1, '2024-01-01') + record(2, '2024-01-02'), 't1');
  });
  const catalog = await tempCatalog();
  const summary = await harvest({
    catalog,
    target: { partner: 'x', baseUrl: server.url, metadataPrefix: 'oai_dc' },
    clientOptions: fast,
  });
  expect(summary.restarts).toBe(1);
  expect(server.requests.at(-1)!.query.get('from')).toBe('2024-01-02');
  expect(await harvestedFiles(catalog, 'x')).toHaveLength(3);
});

it('removes the temporary files a killed run left, as either writer names them, and keeps the rest', async () => {
  const lastPage = fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
  const server = await serve((q) => (q.get('verb') === 'Identify' ? identify : lastPage));
  const catalog = await tempCatalog();
  const partner = join(catalog, 'harvested', 'zenodo');
  const state = join(catalog, 'harvest-state', 'zenodo');
  await mkdir(partner, { recursive: true });
  await mkdir(state, { recursive: true });
  // catalog/atomic-write.ts: .<name>.<pid>.<time>-<random>.tmp; page-writer.ts: .<name>.<pid>.<time>.tmp.
  await writeFile(join(partner, '.zenodo-1.json.4242.1767225600000-0a1b2c3d.tmp'), '{');
  await writeFile(join(partner, '.zenodo-2.json.4242.1767225600000.tmp'), '{');
  await writeFile(join(partner, 'notes.txt'), 'kept');
  await writeFile(join(state, '.oai_datacite@_all.json.4242.1767225600000-0a1b2c3d.tmp'), '{');
  const target = { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' };
  await harvest({ catalog, target, clientOptions: fast });
  expect((await readdir(partner)).filter((n) => !n.endsWith('.json'))).toEqual(['notes.txt']);
  expect((await readdir(state)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
});

describe('politeness', () => {
  it('honours 503 and 429 with Retry-After, and backs off on 500', async () => {
    const waits: number[] = [];
    const server = await serve((_q, n) =>
      n === 0
        ? { status: 503, headers: { 'retry-after': '2' } }
        : n === 1
          ? { status: 429, headers: { 'retry-after': '1' } }
          : n === 2
            ? { status: 500 }
            : identify,
    );
    const http = createHttpClient({
      userAgent: 'test (mailto:t@example.org)',
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
      backoffBaseMs: 100,
    });
    const client = createOaiClient({ baseUrl: server.url, http });
    const info = await client.identify();
    expect(info.repositoryName).toBeTruthy();
    expect(waits).toEqual([2000, 1000, 200]);
  });

  it('gives up after its retries with an error that names the URL, status and attempt', async () => {
    const server = await serve(() => ({ status: 502 }));
    const http = createHttpClient({ userAgent: 'test', sleep: async () => undefined, maxRetries: 2 });
    const error = await createOaiClient({ baseUrl: server.url, http })
      .identify()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 502, attempt: 3, url: expect.stringContaining(server.url) });
  });

  it('times out a server that never answers', async () => {
    const server = await serve(() => ({ body: identify, delayMs: 1500 }));
    const http = createHttpClient({ userAgent: 'test', timeoutMs: 200, maxRetries: 1, sleep: async () => undefined });
    await expect(createOaiClient({ baseUrl: server.url, http }).identify()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('asks again for a truncated page, then reports it', async () => {
    const server = await serve((q) =>
      q.get('verb') === 'Identify' ? identify : fixture('invalid/page-truncated/ListRecords-truncated.xml'),
    );
    const catalog = await tempCatalog();
    await expect(
      harvest({
        catalog,
        target: { partner: 'x', baseUrl: server.url, metadataPrefix: 'oai_dc' },
        clientOptions: fast,
      }),
    ).rejects.toMatchObject({ code: 'XML_MALFORMED' });
    expect(server.requests.filter((r) => r.query.get('verb') === 'ListRecords')).toHaveLength(3);
  });
});
