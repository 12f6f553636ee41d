// Redirects and host names into non-public addresses (http/network-policy.ts), against real servers on
// 127.0.0.1: the configured URL is used as given, a redirect to another loopback port or a name that resolves to
// 127.0.0.1, 10.x or 169.254.169.254 is refused with PRIVATE_ADDRESS unless the partner allows its private network.
// Names resolve through an injected lookup ("metadata.test" -> 169.254.169.254), as the connection's own lookup.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addressRange, isPublicAddress, type LookupFunction } from '../../http/network-policy.ts';
import { harvest } from '../../harvester/harvest.ts';
import { HttpError } from '../../harvester/errors.ts';
import { createHttpClient } from '../../harvester/http.ts';
import { createNodeFetch } from '../../http/node-fetch.ts';
import { createHttpStore } from '../../storage/http-store.ts';
import { StorageError } from '../../storage/errors.ts';
import { fixture } from './helpers/servers.ts';

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    handler(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, port, hits };
}

/** A resolver with fixed answers, in dns.lookup's shape (one address, or all of them when options.all). */
function fixedLookup(table: Record<string, string>): LookupFunction {
  return (hostname, options, callback) => {
    const address = table[hostname];
    if (!address)
      return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

const lookup = fixedLookup({
  'metadata.test': '169.254.169.254',
  'intranet.test': '10.0.0.7',
  'partner.test': '127.0.0.1',
  'mapped.test': '::ffff:127.0.0.1',
});

describe('address ranges (ipaddr.js)', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a9fe:a9fe', false],
    ['64:ff9b::808:808', true],
    ['2001:db8::1', false],
    ['2002:7f00:1::1', false],
    ['[::1]', false],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
  it('reads NAT64 as the IPv4 address it embeds', () => expect(addressRange('64:ff9b::a9fe:a9fe')).toBe('linkLocal'));
});

describe('the harvester fetch (node-fetch.ts)', () => {
  it('uses the configured loopback URL as given, and follows a redirect on its own origin', async () => {
    const partner = await serve((request, response) =>
      request.url === '/a' ? response.writeHead(302, { location: '/b' }).end() : response.end('ok'),
    );
    const response = await createNodeFetch({ maxBytes: 1e6, lookup })(`${partner.url}/a`, {});
    expect(await response.text()).toBe('ok');
  });

  it('refuses a redirect to another loopback port, before connecting to it', async () => {
    const inside = await serve((_q, response) => response.end('secret'));
    const partner = await serve((_q, response) =>
      response.writeHead(302, { location: `${inside.url}/latest/meta-data/` }).end(),
    );
    await expect(createNodeFetch({ maxBytes: 1e6, lookup })(`${partner.url}/oai`, {})).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS',
    });
    expect(inside.hits).toEqual([]);
  });

  it.each([
    'metadata.test',
    'intranet.test',
    'partner.test',
    'mapped.test',
    'localhost',
    '2130706433',
    '0x7f.0.0.1',
    '[::ffff:127.0.0.1]',
    '[::1]',
    '0.0.0.0',
  ])('refuses a redirect to %s (a non-public address)', async (name) => {
    const inside = await serve((_q, response) => response.end('secret'));
    const partner = await serve((_q, response) =>
      response.writeHead(307, { location: `http://${name}:${inside.port}/` }).end(),
    );
    await expect(createNodeFetch({ maxBytes: 1e6, lookup })(`${partner.url}/oai`, {})).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS',
    });
    expect(inside.hits).toEqual([]);
  });

  it('checks the address a configured host name resolves to, at connection time (DNS rebinding)', async () => {
    const inside = await serve((_q, response) => response.end('secret'));
    await expect(
      createNodeFetch({ maxBytes: 1e6, lookup })(`http://partner.test:${inside.port}/`, {}),
    ).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(inside.hits).toEqual([]);
  });

  it('follows both when the partner allows its private network', async () => {
    const inside = await serve((_q, response) => response.end('inside'));
    const partner = await serve((request, response) =>
      response
        .writeHead(302, { location: request.url === '/one' ? `${inside.url}/` : `http://partner.test:${inside.port}/` })
        .end(),
    );
    const fetch = createNodeFetch({ maxBytes: 1e6, lookup, allowPrivateNetwork: true });
    expect(await (await fetch(`${partner.url}/one`, {})).text()).toBe('inside');
    expect(await (await fetch(`${partner.url}/two`, {})).text()).toBe('inside');
    expect(inside.hits).toEqual(['/', '/']);
  });
});

describe('the HTTP client (http.ts)', () => {
  it('fails with PRIVATE_ADDRESS at once, without retrying', async () => {
    const partner = await serve((_q, response) =>
      response.writeHead(301, { location: 'http://metadata.test/latest/meta-data/iam' }).end(),
    );
    const retries: unknown[] = [];
    const request = createHttpClient({ userAgent: 't', lookup, backoffBaseMs: 1, onRetry: (r) => retries.push(r) });
    const error = (await request({ url: `${partner.url}/oai` }).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.code).toBe('PRIVATE_ADDRESS');
    expect(error.attempt).toBe(1);
    expect(error.message).toMatch(/169\.254\.169\.254.*allowPrivateNetwork: true/);
    expect(retries).toEqual([]);
    expect(partner.hits).toHaveLength(1);
  });
});

describe('redirects that are never followed', () => {
  it.each([
    ['file:///etc/passwd', 'BAD_REDIRECT', 1],
    ['javascript:alert(1)', 'BAD_REDIRECT', 1],
    ['/loop', 'TOO_MANY_REDIRECTS', 21],
  ])('%s fails with %s at once, without retrying', async (location, code, hits) => {
    const partner = await serve((_q, response) => response.writeHead(302, { location }).end());
    const retries: unknown[] = [];
    const request = createHttpClient({
      userAgent: 't',
      lookup,
      sleep: async () => undefined,
      onRetry: (r) => retries.push(r),
    });
    await expect(request({ url: `${partner.url}/oai` })).rejects.toMatchObject({ code, attempt: 1 });
    expect(retries).toEqual([]);
    expect(partner.hits).toHaveLength(hits);
  });
});

describe('harvest() and the partner policy', () => {
  const identify = fixture('valid/oai/sickle/Identify.xml');
  const page = fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');

  async function setUp() {
    const inside = await serve((request, response) => {
      const verb = new URL(request.url ?? '/', 'http://x').searchParams.get('verb');
      response.writeHead(200, { 'content-type': 'text/xml' }).end(verb === 'Identify' ? identify : page);
    });
    const partner = await serve((request, response) => {
      const verb = new URL(request.url ?? '/', 'http://x').searchParams.get('verb');
      if (verb === 'Identify') response.writeHead(200, { 'content-type': 'text/xml' }).end(identify);
      else response.writeHead(302, { location: `${inside.url}${request.url}` }).end();
    });
    const catalog = await mkdtemp(join(tmpdir(), 'harvest-private-'));
    dirs.push(catalog);
    return { inside, partner, catalog };
  }

  it('refuses a partner that redirects its list to another loopback port', async () => {
    const { inside, partner, catalog } = await setUp();
    const target = { partner: 'peer', baseUrl: `${partner.url}/oai`, metadataPrefix: 'oai_datacite' };
    await expect(
      harvest({ catalog, target, writerMode: 'inline', clientOptions: { malformedWaitMs: 1 } }),
    ).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(inside.hits).toEqual([]);
  });

  it('follows it when partners.yaml says allowPrivateNetwork: true', async () => {
    const { inside, partner, catalog } = await setUp();
    const target = {
      partner: 'peer',
      baseUrl: `${partner.url}/oai`,
      metadataPrefix: 'oai_datacite',
      allowPrivateNetwork: true,
    };
    const summary = await harvest({ catalog, target, writerMode: 'inline', clientOptions: { malformedWaitMs: 1 } });
    expect(summary.records).toBeGreaterThan(0);
    expect(inside.hits.length).toBe(1);
  });
});

describe('the partner HTTP mirror (storage/http-store.ts)', () => {
  it('reads from the configured loopback URL and follows redirects on its origin', async () => {
    const mirror = await serve((request, response) =>
      request.url === '/files/a.txt'
        ? response.writeHead(302, { location: '/files/b.txt' }).end()
        : response.writeHead(200, { 'content-length': '2' }).end('ok'),
    );
    const store = createHttpStore({ id: 'peer', baseUrl: `${mirror.url}/files`, lookup });
    const chunks: Buffer[] = [];
    for await (const chunk of await store.read('a.txt')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('ok');
  });

  it.each([
    ['another loopback port', ''],
    ['a name resolving to 169.254.169.254', 'metadata.test'],
  ])('refuses a redirect to %s', async (_what, name) => {
    const inside = await serve((_q, response) => response.writeHead(200, { 'content-length': '6' }).end('secret'));
    const target = name ? `http://${name}:${inside.port}/x` : `${inside.url}/x`;
    const mirror = await serve((_q, response) => response.writeHead(302, { location: target }).end());
    const store = createHttpStore({ id: 'peer', baseUrl: `${mirror.url}/files`, lookup });
    const error = (await store.head('a.txt').catch((e: unknown) => e)) as StorageError;
    expect(error).toBeInstanceOf(StorageError);
    expect(error.code).toBe('PRIVATE_ADDRESS');
    expect(inside.hits).toEqual([]);
  });

  it('checks the address its own host name resolves to, at connection time', async () => {
    const inside = await serve((_q, response) => response.writeHead(200, { 'content-length': '6' }).end('secret'));
    const store = createHttpStore({ id: 'peer', baseUrl: `http://partner.test:${inside.port}/files`, lookup });
    await expect(store.head('a.txt')).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS' });
    expect(inside.hits).toEqual([]);
  });

  it('follows them when the partner allows its private network', async () => {
    const inside = await serve((_q, response) => response.writeHead(200, { 'content-length': '6' }).end('inside'));
    const mirror = await serve((_q, response) =>
      response.writeHead(302, { location: `http://partner.test:${inside.port}/x` }).end(),
    );
    const store = createHttpStore({ id: 'peer', baseUrl: `${mirror.url}/files`, lookup, allowPrivateNetwork: true });
    expect(await store.head('a.txt')).toEqual({ key: 'a.txt', size: 6 });
  });
});
