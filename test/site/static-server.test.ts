// The static server of `catalogue serve` and `catalogue start` as a public server: malformed requests get a 4xx
// and the server keeps serving; files under /files/ (the bucket, uploaded data) go out as downloads, never as
// active content of the site's origin.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test as property } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';
import { rawRequest, stackTraceLine } from '../harvester/helpers/raw-http.ts';

let work: string;
let site: string;
let bucket: string;
let running: RunningServer;
let port: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'static-server-'));
  site = join(work, 'site');
  bucket = join(work, 'bucket');
  await mkdir(join(site, 'entries', 'BIC0000013'), { recursive: true });
  await writeFile(join(site, 'index.html'), '<!doctype html><title>Home</title>');
  await writeFile(join(site, '404.html'), '<!doctype html><title>Not found</title>');
  await writeFile(join(site, 'entries', 'BIC0000013', 'index.html'), '<!doctype html><title>Entry</title>');
  await mkdir(join(bucket, 'BIC0000013', 'images'), { recursive: true });
  await writeFile(join(bucket, 'BIC0000013', 'images', 'a.tif'), 'II*\0demo');
  await writeFile(join(bucket, 'BIC0000013', 'page.html'), '<script>alert(document.cookie)</script>');
  await writeFile(join(bucket, 'BIC0000013', 'app.js'), 'alert(1)');
  await writeFile(
    join(bucket, 'BIC0000013', 'image.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  await writeFile(join(bucket, 'BIC0000013', 'Zelle "3" – Ωmega.tif'), 'II*\0cell');
  await writeFile(join(work, 'secret.txt'), 'outside the bucket');
  await symlink(join(work, 'secret.txt'), join(bucket, 'BIC0000013', 'link.txt'));
  running = await startStaticServer({ root: site, port: 0, mounts: [{ prefix: '/files/', root: bucket }] });
  port = new URL(running.url).port as unknown as number;
});
afterAll(async () => {
  running?.server.closeAllConnections();
  await running?.close();
  await rm(work, { recursive: true, force: true });
});

const home = () => rawRequest(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');

describe('static server: malformed requests', () => {
  // Each is sent on its own connection, and a normal request on another must be answered after it.
  const cases: [string, string | Buffer, { head?: boolean; end?: boolean; timeoutMs?: number }?][] = [
    ['the target //%', 'GET //% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['the target //% with HEAD', 'HEAD //% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', { head: true }],
    ['a target ///x', 'GET ///x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['bad percent-encoding', 'GET /%E0%A4%A?q=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['a bad absolute-form target', 'GET http://[::1/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['the asterisk target with GET', 'GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['a target without a slash', 'GET index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['a target with bytes above 0x7f', 'GET /\xff\xfe%ff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['an unknown method', 'FROBNICATE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['DELETE', 'DELETE / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
    ['a POST with a body', 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'],
    ['a POST whose body never ends', 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\nhello'],
    ['a 100 KB header', `GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n'],
    ['a control character in a header', 'GET / HTTP/1.1\r\nHost: local\x01host\r\n\r\n'],
    ['an HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['binary noise', Buffer.from([0, 1, 2, 255, 13, 10, 13, 10])],
    [
      'conflicting Content-Length',
      'GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    ],
  ];
  it.each(cases)('%s gets a 4xx, without a stack trace, and the server keeps serving', async (_, request, options) => {
    const response = await rawRequest(port, request, { timeoutMs: 2000, ...options });
    if (response.status !== undefined) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    } else expect(response.closed, 'neither an answer nor a close').toBe(true);
    expect(response.body.toString('latin1')).not.toMatch(stackTraceLine);
    const next = await home();
    expect(next.status).toBe(200);
    expect(next.body.toString()).toContain('<title>Home</title>');
  });

  it('an odd Accept-Encoding is read as no coding', async () => {
    const response = await rawRequest(
      port,
      'GET / HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: ;;q=,*;q=NaN,gzip;q=-1\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
  });

  it('a request that never ends gets a 408 once its time is up, and other clients are served meanwhile', async () => {
    const quick = await startStaticServer({ root: site, port: 0, requestTimeoutMs: 400 });
    try {
      const quickPort = Number(new URL(quick.url).port);
      const started = Date.now();
      const stalled = rawRequest(
        quickPort,
        'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\nhello',
        { timeoutMs: 5000 },
      );
      const headers = rawRequest(quickPort, 'GET / HTTP/1.1\r\nHost: localhost\r\n', { timeoutMs: 5000 });
      expect(
        (await rawRequest(quickPort, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).status,
      ).toBe(200);
      // The POST was answered (405) at once; its body, never sent, then holds the connection until the timeout.
      expect((await stalled).status).toBe(405);
      const late = await headers;
      expect(late.status).toBe(408);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      quick.server.closeAllConnections();
      await quick.close();
    }
  });

  it('a directory reached with a doubled slash redirects on this site, never to another host', async () => {
    for (const target of [
      '//entries/BIC0000013',
      '/\\entries/BIC0000013',
      '//files/BIC0000013',
      '/files%2f..',
      '/entries/..',
      '/.',
      '/files/BIC0000013/..',
    ]) {
      const response = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      if (response.status === 301) expect(response.headers.location, target).toMatch(/^\/([^/\\]|$)/);
      else expect(response.status, target).toBe(404);
    }
    const mounted = await rawRequest(
      port,
      'GET /files/BIC0000013?x=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(mounted.status).toBe(301);
    expect(mounted.headers.location).toBe('/files/BIC0000013/?x=1');
  });

  it('never serves a file through a link that leads out of the bucket', async () => {
    const response = await rawRequest(
      port,
      'GET /files/BIC0000013/link.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('outside the bucket');
  });

  it('survives //% as `catalogue serve`, in its own process', async () => {
    const child = spawn(process.execPath, ['cli/catalogue.mjs', 'serve', '--dir', site, '--port', '0'], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /at (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`catalogue serve exited with ${code}`)));
      });
      const childPort = Number(new URL(url).port);
      const bad = await rawRequest(childPort, 'GET //% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      expect(bad.status).toBe(400);
      const next = await rawRequest(childPort, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      expect(next.status).toBe(200);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
  });
});

describe('static server: /files/ are downloads', () => {
  it.each([
    ['page.html', 'page.html'],
    ['app.js', 'app.js'],
    ['image.svg', 'image.svg'],
    ['images/a.tif', 'a.tif'],
  ])('/files/BIC0000013/%s goes out as an attachment, inert', async (path, name) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await rawRequest(
        port,
        `${method} /files/BIC0000013/${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
        { head: method === 'HEAD' },
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'; sandbox(;|$)/);
      expect(response.headers['content-encoding']).toBeUndefined();
    }
  });

  it('names a file with spaces, quotes and non-ASCII letters as RFC 6266 and RFC 8187 say', async () => {
    const response = await rawRequest(
      port,
      `GET /files/BIC0000013/${encodeURIComponent('Zelle "3" – Ωmega.tif')} ` +
        `HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    expect(response.status).toBe(200);
    expect(response.body.toString('latin1')).toBe('II*\0cell');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="Zelle _3_ _ _mega.tif"; filename*=UTF-8''Zelle%20%223%22%20%E2%80%93%20%CE%A9mega.tif`,
    );
  });

  it("keeps the site's own pages as pages", async () => {
    const response = await rawRequest(
      port,
      'GET /entries/BIC0000013/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-disposition']).toBeUndefined();
  });
});

describe('static server: any request (property)', () => {
  const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,12}$/);
  const method = fc.oneof(
    fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND'),
    token,
  );
  // Targets built from the pieces that break parsers: slashes, dots, percent signs (valid and not), query marks.
  // About a quarter of these targets are ones `new URL(target, base)` throws on.
  const chars = (min: number, max: number, maxLength: number) =>
    fc.string({ maxLength, unit: fc.integer({ min, max }).map((c) => String.fromCharCode(c)) });
  const piece = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        '/',
        '//',
        '%',
        '%2f',
        '%2e%2e',
        '..',
        '?',
        '#',
        '%00',
        '%ff',
        '\\',
        'files',
        'entries',
        'BIC0000013',
        'index.html',
        '*',
        '[',
        ':',
        '@',
      ),
      weight: 3,
    },
    { arbitrary: chars(0x21, 0x7e, 6), weight: 2 },
    { arbitrary: chars(0x80, 0xff, 2), weight: 1 },
  );
  const target = fc
    .tuple(fc.constantFrom('/', '//', '/files/', 'http://', 'http://localhost/', ''), fc.array(piece, { maxLength: 8 }))
    .map(([start, pieces]) => start + pieces.join('') || '/');
  const headerValue = fc.string({
    maxLength: 40,
    unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  });
  const headers = fc.array(
    fc.tuple(
      fc.constantFrom(
        'Accept-Encoding',
        'Range',
        'Host',
        'If-None-Match',
        'Content-Length',
        'Transfer-Encoding',
        'X-Any',
      ),
      headerValue,
    ),
    { maxLength: 4 },
  );
  property.prop([method, target, headers], { numRuns: 300 })(
    'is answered with a status below 500 and no stack trace, and the server keeps serving',
    async (m, t, h) => {
      const request =
        `${m} ${t} HTTP/1.1\r\nHost: ` +
        `localhost\r\n${h.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: ` +
        `close\r\n\r\n`;
      const response = await rawRequest(port, request, { head: m === 'HEAD', timeoutMs: 1000 });
      // An answer, or a close for what Node's parser refuses before any handler sees it; never silence.
      if (response.status !== undefined) expect(response.status).toBeLessThan(500);
      else expect(response.closed).toBe(true);
      expect(response.body.toString('latin1')).not.toMatch(stackTraceLine);
      expect((await home()).status).toBe(200);
    },
  );
});
