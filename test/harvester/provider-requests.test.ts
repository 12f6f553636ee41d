// The OAI-PMH provider (`catalogue oai serve`) as a public server: every malformed request (target, headers, query,
// method, body) gets a 4xx or an OAI-PMH error, an error inside the handler a 500 without a stack trace, and the
// server keeps serving.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { fc, test as property } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogueProvider, createOaiProvider, listen } from '../../harvester/provider.ts';
import { makeCatalogue } from './helpers/catalogue.ts';
import { rawRequest, stackTraceLine } from './helpers/raw-http.ts';

let catalog: string;
let server: Server;
let port: number;

beforeAll(async () => {
  catalog = await makeCatalogue(3);
  const provider = createCatalogueProvider(catalog, { today: () => '2026-01-10', secret: 'test-secret' });
  const started = await listen(provider.listener);
  server = started.server;
  port = Number(new URL(started.url).port);
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(catalog, { recursive: true, force: true });
});

const identify = async (onPort = port) => {
  const response = await rawRequest(
    onPort,
    'GET /oai?verb=Identify HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
  );
  expect(response.status).toBe(200);
  expect(response.body.toString()).toContain('<Identify>');
};
const post = (body: string | Buffer, headers = 'Content-Type: application/x-www-form-urlencoded\r\n') =>
  Buffer.concat([
    Buffer.from(
      `POST /oai HTTP/1.1\r\nHost: localhost\r\n${headers}Content-Length: ` +
        `${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`,
    ),
    Buffer.from(body),
  ]);

describe('OAI-PMH provider: malformed requests', () => {
  // [name, request, the status it must get (a 4xx, or 200 with this OAI-PMH error code)]
  const cases: [string, string | Buffer, number, string?][] = [
    ['the target //%', 'GET //% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    [
      'the target //% with a query',
      'GET //%?verb=Identify HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      400,
    ],
    [
      'the target //% in a POST',
      Buffer.from(post('verb=Identify').toString('latin1').replace('POST /oai', 'POST //%'), 'latin1'),
      400,
    ],
    ['a bad absolute-form target', 'GET http://[::1/oai HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    ['the asterisk target', 'GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    [
      'bad percent-encoding in the query',
      'GET /oai?verb=Identify%zz&%E0%A4%A=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      200,
      'badVerb',
    ],
    [
      'bytes above 0x7f in the query',
      'GET /oai?verb=\xff\xfe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      400,
    ],
    [
      'a __proto__ argument',
      'GET /oai?verb=Identify&__proto__=1&constructor=2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      200,
      'badArgument',
    ],
    ['an unknown method', 'FROBNICATE /oai HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 400],
    ['PUT', 'PUT /oai HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 405],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', 405],
    [
      'a 100 KB header',
      `GET /oai?verb=Identify HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      431,
    ],
    ['a 100 KB query', `GET /oai?verb=Identify&x=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`, 431],
    ['a control character in a header', 'GET /oai?verb=Identify HTTP/1.1\r\nHost: local\x01host\r\n\r\n', 400],
    [
      'a POST declaring 1 MB',
      'POST /oai HTTP/1.1\r\n' +
        'Host: localhost\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        'Content-Length: 1000000\r\n' +
        '\r\n' +
        'verb=Identify',
      413,
    ],
    [
      'a chunked POST over 64 KiB',
      'POST /oai HTTP/1.1\r\nHost: localhost\r\nContent-Type: ' +
        'application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n' +
        `4000\r\n${'a'.repeat(0x4000)}\r\n`.repeat(6),
      413,
    ],
    ['a POST body that is not a form', post('{"verb":"Identify"}', 'Content-Type: application/json\r\n'), 415],
    ['a POST body of binary noise', post(Buffer.from([0xff, 0xfe, 0x00, 0x26, 0x3d, 0x25, 0xc3])), 200, 'badVerb'],
    ['a POST body with a repeated verb', post('verb=Identify&verb=ListSets'), 200, 'badVerb'],
    [
      'a POST with a bad chunk size',
      'POST /oai HTTP/1.1\r\n' +
        'Host: localhost\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\n' +
        'Transfer-Encoding: chunked\r\n' +
        '\r\n' +
        'zz\r\n' +
        'verb=Identify\r\n' +
        '0\r\n' +
        '\r\n',
      400,
    ],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 400],
  ];
  it.each(cases)(
    '%s gets its answer, without a stack trace, and the server keeps serving',
    async (_, request, status, oaiError) => {
      const response = await rawRequest(port, request, { timeoutMs: 3000 });
      expect(response.status).toBe(status);
      const body = response.body.toString('latin1');
      expect(body).not.toMatch(stackTraceLine);
      if (oaiError) expect(body).toContain(`<error code="${oaiError}">`);
      await identify();
    },
  );

  it('a POST whose body never ends holds only its own connection, and gets a 408 when its time is up', async () => {
    const quick = await listen(
      createCatalogueProvider(catalog, { today: () => '2026-01-10' }).listener,
      0,
      '127.0.0.1',
      { requestTimeoutMs: 400 },
    );
    const quickPort = Number(new URL(quick.url).port);
    try {
      const started = Date.now();
      const stalled = rawRequest(
        quickPort,
        'POST /oai HTTP/1.1\r\n' +
          'Host: localhost\r\n' +
          'Content-Type: application/x-www-form-urlencoded\r\n' +
          'Content-Length: 100\r\n' +
          '\r\n' +
          'verb=Ident',
        { timeoutMs: 5000 },
      );
      await identify(quickPort);
      expect((await stalled).status).toBe(408);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      quick.server.closeAllConnections();
      await new Promise((resolve) => quick.server.close(resolve));
    }
  });

  it(
    'an error inside the handler is a 500 without a stack trace and one line in the log, ' + 'and the server goes on',
    async () => {
      const lines: string[] = [];
      let failing = true;
      const provider = createOaiProvider({
        load: async () => (failing ? Promise.reject(new Error('the catalogue folder cannot be read')) : []),
        maxAgeMs: 0,
        log: (line) => lines.push(line),
      });
      const running = await listen(provider.listener);
      const runningPort = Number(new URL(running.url).port);
      try {
        const failed = await rawRequest(
          runningPort,
          'GET /oai?verb=Identify HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
        );
        expect(failed.status).toBe(500);
        expect(failed.body.toString()).not.toMatch(stackTraceLine);
        expect(failed.body.toString()).not.toContain('cannot be read');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('the catalogue folder cannot be read');
        expect(lines[0]).not.toContain('\n');
        failing = false;
        await identify(runningPort);
      } finally {
        running.server.closeAllConnections();
        await new Promise((resolve) => running.server.close(resolve));
      }
    },
  );

  it('survives //% as `catalogue oai serve`, in its own process', async () => {
    const child = spawn(
      process.execPath,
      ['cli/catalogue.mjs', 'oai', 'serve', '--port', '0', '--catalog', catalog, '--json'],
      { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"url":"([^"]+)"/.exec(out);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`catalogue oai serve exited with ${code}`)));
      });
      const childPort = Number(new URL(url).port);
      expect(
        (await rawRequest(childPort, 'GET //% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).status,
      ).toBe(400);
      await identify(childPort);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('OAI-PMH provider: any request (property)', () => {
  const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
  const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'), token);
  const latin1 = (min: number, maxLength: number) =>
    fc.string({ maxLength, unit: fc.integer({ min, max: 0xff }).map((c) => String.fromCharCode(c)) });
  // Paths and queries from the pieces that break parsers, and from the protocol's own names and values.
  const piece = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        '/',
        '//',
        '%',
        '%zz',
        '%2f',
        '..',
        '?',
        '&',
        '=',
        'oai',
        'verb',
        'Identify',
        'ListRecords',
        'GetRecord',
        'metadataPrefix',
        'oai_dc',
        'resumptionToken',
        'from',
        'until',
        'set',
        'identifier',
        '2026-01-01',
        '__proto__',
        '*',
        '[',
        '@',
      ),
      weight: 3,
    },
    {
      arbitrary: fc.string({
        maxLength: 5,
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      }),
      weight: 2,
    },
    { arbitrary: latin1(0x80, 2), weight: 1 },
  );
  // Many of these targets are ones `new URL(target, base)` throws on (`//%`, `//[`, `http://[`).
  const target = fc
    .tuple(
      fc.constantFrom('/', '//', '/oai?', '/oai?verb=', 'http://', 'http://localhost/oai?', ''),
      fc.array(piece, { maxLength: 10 }),
    )
    .map(([start, pieces]) => start + pieces.join('') || '/');
  const body = fc.oneof(
    fc.constant(undefined),
    fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join('')),
    latin1(0, 40),
  );
  const contentType = fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-8',
    'text/plain',
    'multipart/form-data; boundary=x',
    '',
  );
  const encoding = fc.constantFrom('', 'gzip', 'zstd', 'gzip;q=0, zstd;q=0', '*', ';;q=');
  property.prop([method, target, body, contentType, encoding], { numRuns: 300 })(
    'is answered below 500, without a stack trace, and the server keeps serving',
    async (m, t, b, type, accept) => {
      const bytes = b === undefined ? Buffer.alloc(0) : Buffer.from(b, 'latin1');
      const head =
        `${m} ${t} HTTP/1.1\r\nHost: localhost\r\n` +
        `${type ? `Content-Type: ${type}\r\n` : ''}` +
        `${accept ? `Accept-Encoding: ${accept}\r\n` : ''}` +
        `${b === undefined ? '' : `Content-Length: ${bytes.length}\r\n`}` +
        `Connection: close\r\n\r\n`;
      const response = await rawRequest(port, Buffer.concat([Buffer.from(head, 'latin1'), bytes]), {
        head: m === 'HEAD',
        timeoutMs: 1000,
      });
      // An answer, or a close for what Node's parser refuses before any handler sees it; never silence.
      if (response.status !== undefined) expect(response.status).toBeLessThan(500);
      else expect(response.closed).toBe(true);
      const coding = response.headers['content-encoding'];
      const text = (
        coding === 'gzip'
          ? gunzipSync(response.body)
          : coding === 'zstd'
            ? zstdDecompressSync(response.body)
            : response.body
      ).toString('utf8');
      expect(text).not.toMatch(stackTraceLine);
      // Every answer of the provider itself, OAI-PMH or not, is well-formed XML whatever the request held.
      if (response.headers['content-type']?.startsWith('text/xml') && m !== 'HEAD')
        expect(XMLValidator.validate(text), text).toBe(true);
      await identify();
    },
  );
});
