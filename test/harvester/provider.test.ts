import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request as httpRequest, type Server } from 'node:http';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withdrawEntry } from '../../catalog/withdraw.ts';
import { createCatalogueProvider, listen, parseArgs, type OaiProvider } from '../../harvester/provider.ts';
import { createOaiClient } from '../../harvester/client.ts';
import { makeCatalogue } from './helpers/catalogue.ts';

const run = promisify(execFile);
const xsd = fileURLToPath(new URL('../../harvester/xsd/', import.meta.url));

/** Validates XML documents with xmllint against the official OAI-PMH schema and every metadata schema, offline. */
async function xmllint(documents: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'xmllint-'));
  const files = await Promise.all(
    documents.map(async (d, i) => {
      const file = join(dir, `r${i}.xml`);
      await writeFile(file, d);
      return file;
    }),
  );
  try {
    await run('xmllint', ['--nonet', '--noout', '--schema', join(xsd, 'oai-pmh-strict.xsd'), ...files], {
      env: { ...process.env, XML_CATALOG_FILES: join(xsd, 'catalog.xml') },
      maxBuffer: 1 << 24,
    });
  } catch (error) {
    throw new Error(
      `xmllint: ${(error as { stderr?: string }).stderr
        ?.split('\n')
        .filter((l) => !l.includes('Skipping import') && !l.includes('validates'))
        .join('\n')}`,
      { cause: error },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

let catalog: string;
let embargoedId: string;
let withdrawnId: string;
let liveId: string;
let provider: OaiProvider;
let server: Server;
let url: string;
const clock = { now: new Date('2026-01-10T12:00:00Z') };
const get = async (query: string) => (await fetch(`${url}?${query}`)).text();
const errorCode = (xml: string) => /<error code="([^"]+)"/.exec(xml)?.[1];

beforeAll(async () => {
  catalog = await makeCatalogue(12);
  [embargoedId, withdrawnId, liveId] = (await readdir(join(catalog, 'entries'))).sort();
  await withdrawEntry(catalog, withdrawnId, {
    reason: "Withdrawn at the authors' request for testing.",
    date: '2026-01-02',
  });
  // An embargoed entry: released in the future, so never served.
  const embargoed = join(catalog, 'entries', embargoedId, 'entry.yaml');
  await writeFile(
    embargoed,
    (await readFile(embargoed, 'utf8')).replace(/releaseDate: .*/, 'releaseDate: "2099-01-01"'),
  );
  provider = createCatalogueProvider(catalog, {
    pageSize: 5,
    today: () => '2026-01-10',
    now: () => clock.now,
    secret: 'test-secret',
  });
  ({ server, url } = await listen(provider.listener));
});
afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(catalog, { recursive: true, force: true });
});

describe('OAI-PMH provider', () => {
  it('answers every verb and error with responses valid against the official schemas (xmllint, strict)', async () => {
    const live = `oai:bioimage-catalogue.org:${liveId}`;
    const queries: [string, string | undefined][] = [
      ['verb=Identify', undefined],
      ['verb=ListMetadataFormats', undefined],
      [`verb=ListMetadataFormats&identifier=${live}`, undefined],
      ['verb=ListSets', undefined],
      ['verb=ListIdentifiers&metadataPrefix=oai_dc', undefined],
      ['verb=ListRecords&metadataPrefix=oai_dc', undefined],
      ['verb=ListRecords&metadataPrefix=oai_datacite', undefined],
      ['verb=ListRecords&metadataPrefix=datacite', undefined],
      ['verb=ListRecords&metadataPrefix=bic_full', undefined],
      ['verb=ListRecords&metadataPrefix=oai_dc&set=origin:native', undefined],
      [`verb=GetRecord&identifier=${live}&metadataPrefix=oai_datacite`, undefined],
      [`verb=GetRecord&identifier=oai:bioimage-catalogue.org:${withdrawnId}&metadataPrefix=oai_dc`, undefined],
      ['', 'badVerb'],
      ['verb=Frobnicate', 'badVerb'],
      ['verb=Identify&verb=Identify', 'badVerb'],
      ['verb=Identify&extra=1', 'badArgument'],
      ['verb=ListRecords', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2020-13-01', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2020-01-01&until=2020-01-01T00:00:00Z', 'badArgument'],
      ['verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=x', 'badArgument'],
      [`verb=GetRecord&identifier=${live}`, 'badArgument'],
      ['verb=ListRecords&resumptionToken=forged.token', 'badResumptionToken'],
      ['verb=ListRecords&metadataPrefix=marc21', 'cannotDisseminateFormat'],
      [`verb=GetRecord&identifier=${live}&metadataPrefix=marc21`, 'cannotDisseminateFormat'],
      ['verb=GetRecord&identifier=oai:elsewhere:1&metadataPrefix=oai_dc', 'idDoesNotExist'],
      [`verb=GetRecord&identifier=oai:bioimage-catalogue.org:${embargoedId}&metadataPrefix=oai_dc`, 'idDoesNotExist'],
      ['verb=ListMetadataFormats&identifier=oai:elsewhere:1', 'idDoesNotExist'],
      ['verb=ListRecords&metadataPrefix=oai_dc&from=2099-01-01', 'noRecordsMatch'],
      ['verb=ListIdentifiers&metadataPrefix=oai_dc&set=no:such:set', 'noRecordsMatch'],
    ];
    const responses = await Promise.all(queries.map(([q]) => get(q)));
    responses.forEach((xml, i) => expect(errorCode(xml), queries[i][0]).toBe(queries[i][1]));
    await xmllint(responses);
    // §3.2: with badVerb/badArgument the request element has no attributes.
    expect(responses[13]).toMatch(/<request>http:\/\/127\.0\.0\.1:\d+\/oai<\/request>/);
    expect(responses[11]).toMatch(
      new RegExp(
        String.raw`<header status="deleted"><identifier>` +
          String.raw`oai:bioimage-catalogue.org:${withdrawnId}<\/identifier><datestamp>` +
          String.raw`2026-01-02T00:00:00Z<\/datestamp>`,
      ),
    );
  });

  it('compresses with zstd or gzip as the client asks, and sends the same document', async () => {
    const fetchRaw = (encoding: string | undefined) =>
      new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        httpRequest(
          `${url}?verb=ListRecords&metadataPrefix=oai_dc`,
          { headers: encoding ? { 'accept-encoding': encoding } : {} },
          (response) => {
            const chunks: Buffer[] = [];
            response
              .on('data', (c: Buffer) => chunks.push(c))
              .on('end', () =>
                resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
              );
          },
        )
          .on('error', reject)
          .end();
      });
    const [plain, zstd, gzip, either] = await Promise.all([
      fetchRaw(undefined),
      fetchRaw('zstd'),
      fetchRaw('gzip, deflate'),
      fetchRaw('gzip, zstd'),
    ]);
    expect([plain.encoding, zstd.encoding, gzip.encoding, either.encoding]).toEqual([
      undefined,
      'zstd',
      'gzip',
      'zstd',
    ]);
    // responseDate is the same second for all four (the test's clock).
    expect(zstdDecompressSync(zstd.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect(plain.body.toString('utf8')).toContain('<ListRecords>');
    expect(await get('verb=Identify')).toContain('<compression>gzip</compression><compression>zstd</compression>');
    // A coding weighted 0 is refused (RFC 9110 §12.5.3): the next one listed is used, or none.
    const [notZstd, neither] = await Promise.all([fetchRaw('zstd;q=0, gzip'), fetchRaw('zstd;q=0, gzip;q=0')]);
    expect([notZstd.encoding, neither.encoding]).toEqual(['gzip', undefined]);
    expect(gunzipSync(notZstd.body).toString('utf8')).toBe(plain.body.toString('utf8'));
  });

  it(
    'pages with signed tokens carrying cursor, completeListSize and expirationDate, ' +
      'and never serves embargoed entries',
    async () => {
      const client = createOaiClient({ baseUrl: url, malformedWaitMs: 1 });
      const headers = [];
      for await (const header of client.listIdentifiers({ metadataPrefix: 'oai_dc' })) headers.push(header);
      expect(headers).toHaveLength(11);
      expect(new Set(headers.map((h) => h.identifier)).size).toBe(11);
      expect(headers.map((h) => h.identifier)).not.toContain(`oai:bioimage-catalogue.org:${embargoedId}`);
      expect(headers.filter((h) => h.deleted).map((h) => h.identifier)).toEqual([
        `oai:bioimage-catalogue.org:${withdrawnId}`,
      ]);
      const first = await get('verb=ListRecords&metadataPrefix=oai_dc');
      expect(first).toMatch(
        new RegExp(
          String.raw`<resumptionToken expirationDate="2026-01-11T12:00:00Z" completeListSize="11" ` +
            String.raw`cursor="0">[^<]+<\/resumptionToken>`,
        ),
      );
      const token = /<resumptionToken[^>]*>([^<]+)</.exec(first)![1];
      const second = await get(`verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`);
      expect(second).toMatch(/cursor="5"/);
      // A tampered token is refused; so is a token used with the wrong verb, or after it expired.
      expect(
        errorCode(
          await get(
            `verb=ListRecords&resumptionToken=` +
              `${encodeURIComponent(token.replace(/^./, (c) => (c === 'e' ? 'f' : 'e')))}`,
          ),
        ),
      ).toBe('badResumptionToken');
      expect(errorCode(await get(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`))).toBe(
        'badResumptionToken',
      );
      clock.now = new Date('2026-01-12T12:00:00Z');
      expect(errorCode(await get(`verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`))).toBe(
        'badResumptionToken',
      );
      clock.now = new Date('2026-01-10T12:00:00Z');
    },
  );

  it('answers POST like GET, and offers sets by method, organism, origin and scale', async () => {
    const posted = await (
      await fetch(url, {
        method: 'POST',
        body: 'verb=ListSets',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).text();
    expect(posted).toContain('<setSpec>origin:native</setSpec>');
    for (const prefix of ['method:fbbi-', 'organism:ncbitaxon-', 'scale:'])
      expect(posted).toContain(`<setSpec>${prefix}`);
    const scale = /<setSpec>(scale:[a-z]+)<\/setSpec>/.exec(posted)![1];
    const inSet = await get(`verb=ListIdentifiers&metadataPrefix=oai_dc&set=${scale}`);
    expect(inSet.match(/<header/g)?.length).toBeGreaterThan(0);
    expect(errorCode(await get('verb=ListIdentifiers&metadataPrefix=oai_dc&set=scale'))).toBeUndefined();
  });

  it('parses repeated arguments as lists', () => {
    expect(parseArgs('verb=a&verb=b').get('verb')).toEqual(['a', 'b']);
  });
});
