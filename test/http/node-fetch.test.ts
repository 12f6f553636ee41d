// The harvester's fetch over node:http (harvester/node-fetch.ts), against a real server on port 0: what fetch did
// (redirects, decoding, timeouts, keep-alive) and the size limit, applied while the body arrives and once decoded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { deflateRawSync, deflateSync, gzipSync, zstdCompressSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../harvester/http.ts';
import { createNodeFetch } from '../../http/node-fetch.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => void,
  keepAliveTimeout?: number,
): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString('utf8')));
    request.on('end', () => handler(request, response, body));
  });
  if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const xml = '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">' + 'é'.repeat(5000) + '</OAI-PMH>';

describe('createNodeFetch', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
    ['zstd', zstdCompressSync],
    ['identity', (b: Buffer) => b],
  ] as const)('decodes %s (%#)', async (encoding, encode) => {
    const url = await serve((_q, response) => {
      response.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-encoding': encoding });
      response.end(encode(Buffer.from(xml)));
    });
    const response = await createNodeFetch({ maxBytes: 1e6 })(url, {});
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(xml);
  });

  it('follows redirects; a 303 turns a POST into a GET without its body', async () => {
    const seen: string[] = [];
    const url = await serve((request, response, body) => {
      seen.push(`${request.method} ${request.url} ${body}`);
      if (request.url === '/a') response.writeHead(302, { location: '/b' }).end();
      else if (request.url === '/b') response.writeHead(303, { location: '/c?x=1' }).end('moved');
      else response.writeHead(200).end('here');
    });
    const response = await createNodeFetch({ maxBytes: 1e6 })(`${url}/a`, {
      method: 'POST',
      body: 'verb=Identify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await response.text()).toBe('here');
    // WHATWG Fetch §4.4 (HTTP-redirect fetch): a POST becomes a GET on 301 and 302, every method on 303.
    expect(seen).toEqual(['POST /a verb=Identify', 'GET /b ', 'GET /c?x=1 ']);
  });

  it('stops after 20 redirects', async () => {
    const url = await serve((request, response) =>
      response.writeHead(307, { location: `/${Number(request.url!.slice(1)) + 1}` }).end(),
    );
    await expect(createNodeFetch({ maxBytes: 1e6 })(`${url}/0`, {})).rejects.toThrow(/more than 20 redirects/);
  });

  it('takes an empty body labelled gzip as empty', async () => {
    const url = await serve((_q, response) => response.writeHead(500, { 'content-encoding': 'gzip' }).end());
    const response = await createNodeFetch({ maxBytes: 1e6 })(url, {});
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
  });

  it('keeps the headers and status of an error answer', async () => {
    const url = await serve((_q, response) => response.writeHead(503, 'Busy', { 'retry-after': '7' }).end('later'));
    const response = await createNodeFetch({ maxBytes: 1e6 })(url, {});
    expect(response).toMatchObject({ status: 503, statusText: 'Busy', ok: false });
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it('asks again after the server closed the kept-alive connection', async () => {
    let requests = 0;
    const url = await serve((_q, response) => {
      requests++;
      response.end('ok');
    }, 1);
    const fetch = createNodeFetch({ maxBytes: 1e6 });
    expect(await (await fetch(url, {})).text()).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await (await fetch(url, {})).text()).toBe('ok');
    expect(requests).toBe(2);
  });
});

describe('the HTTP client on createNodeFetch: the size limit', () => {
  const client = (maxBytes: number) =>
    createHttpClient({ userAgent: 'test', maxBytes, maxRetries: 0, sleep: async () => undefined });

  it('refuses a body larger than the limit while it arrives (no length declared)', async () => {
    const url = await serve((_q, response) => {
      response.writeHead(200, { 'content-type': 'text/xml' });
      for (let i = 0; i < 100; i++) response.write('x'.repeat(10_000));
      response.end();
    });
    await expect(client(100_000)({ url })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      status: 200,
      attempt: 1,
    });
  });

  it('refuses a small gzip body that decompresses beyond the limit (a decompression bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const url = await serve((_q, response) => response.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    await expect(client(1_000_000)({ url })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      message: expect.stringMatching(/once decompressed \(gzip\)/),
    });
  });

  it('refuses a small zstd body that decompresses beyond the limit', async () => {
    const bomb = zstdCompressSync(Buffer.alloc(50_000_000, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    const url = await serve((_q, response) => response.writeHead(200, { 'content-encoding': 'zstd' }).end(bomb));
    await expect(client(1_000_000)({ url })).rejects.toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      message: expect.stringMatching(/once decompressed \(zstd\)/),
    });
  });

  it('asks for zstd, gzip and deflate', async () => {
    let asked: string | undefined;
    const url = await serve((request, response) => {
      asked = request.headers['accept-encoding'];
      response.end('<x/>');
    });
    await client(1000)({ url });
    expect(asked).toBe('zstd, gzip, deflate');
  });

  it('reads a body at the limit', async () => {
    const url = await serve((_q, response) =>
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.from('y'.repeat(1000)))),
    );
    expect((await client(1000)({ url })).text).toBe('y'.repeat(1000));
  });

  it('times out a body that stops halfway, and says so', async () => {
    const url = await serve((_q, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('half');
    });
    const http = createHttpClient({ userAgent: 'test', timeoutMs: 300, maxRetries: 0, sleep: async () => undefined });
    await expect(http({ url })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('retries a corrupt gzip body as a network error', async () => {
    let n = 0;
    const url = await serve((_q, response) => {
      n++;
      response
        .writeHead(200, { 'content-encoding': 'gzip' })
        .end(n === 1 ? Buffer.from('not gzip at all') : gzipSync(Buffer.from('fine')));
    });
    const http = createHttpClient({ userAgent: 'test', maxRetries: 1, sleep: async () => undefined });
    expect((await http({ url })).text).toBe('fine');
    expect(n).toBe(2);
  });
});
