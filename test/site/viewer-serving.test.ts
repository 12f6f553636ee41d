// How a viewer page is served and how it reads an image: `catalogue serve` sends viewer pages a header CSP whose
// connect-src lets the page's own meta policy name the mirrors (and every other page keeps 'self'); the viewer's
// store asks only for metadata files the manifest lists, and whatever a mirror answers (any status, any bytes),
// gives bytes, "absent" or its own error.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it as property } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';
import { createListedStore } from '../../site/src/scripts/listed-store.ts';

describe('viewer page headers', () => {
  let work: string;
  let server: RunningServer;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'viewer-headers-'));
    await mkdir(join(work, 'entries', 'BIC0000059', 'images', 'kidney_02-ome-zarr'), { recursive: true });
    await writeFile(join(work, 'entries', 'BIC0000059', 'images', 'kidney_02-ome-zarr', 'index.html'), '<p>v</p>');
    await writeFile(join(work, 'entries', 'BIC0000059', 'index.html'), '<p>e</p>');
    server = await startStaticServer({ root: work, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it('lets a viewer page connect to http(s) mirrors and keeps every other page to its own origin', async () => {
    const viewer = await fetch(new URL('entries/BIC0000059/images/kidney_02-ome-zarr/', server.url));
    expect(viewer.headers.get('content-security-policy')).toContain("connect-src 'self' http: https:;");
    expect(viewer.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(viewer.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const entry = await fetch(new URL('entries/BIC0000059/', server.url));
    expect(entry.headers.get('content-security-policy')).toContain("connect-src 'self';");
    // No preflight answered outside a mounted bucket.
    expect((await fetch(new URL('entries/BIC0000059/', server.url), { method: 'OPTIONS' })).status).toBe(405);
  });
});

describe('the viewer’s store', () => {
  let mirror: Server;
  let url: string;
  const asked: string[] = [];
  let answer: { status: number; body: Uint8Array } = { status: 200, body: new Uint8Array() };
  beforeAll(async () => {
    mirror = createServer((request, response) => {
      asked.push(request.url!);
      response.writeHead(answer.status, { 'Content-Length': answer.body.length });
      response.end(answer.body);
    });
    await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/BIC0000059/my%20image.zarr/`;
  });
  afterAll(() => new Promise<void>((done) => mirror.close(() => done())));

  it('asks for listed metadata and for chunks, never for unlisted metadata, and keeps what it read', async () => {
    asked.length = 0;
    answer = { status: 200, body: new Uint8Array([1, 2, 3]) };
    const store = createListedStore(url, ['zarr.json', '0/zarr.json']);
    expect(await store.get('/.zattrs')).toBeUndefined();
    expect(await store.get('/0/.zarray')).toBeUndefined();
    expect(await store.get('/../../BIC0000013/secret.tif')).toBeUndefined();
    expect(await store.get('/0/./c/0')).toBeUndefined();
    expect(await store.get('/zarr.json')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.get('/0/c/0/0 1')).toEqual(new Uint8Array([1, 2, 3]));
    expect(await store.get('/0/c/0/0 1')).toEqual(new Uint8Array([1, 2, 3]));
    expect(asked).toEqual(['/BIC0000059/my%20image.zarr/zarr.json', '/BIC0000059/my%20image.zarr/0/c/0/0%201']);
  });

  property.prop(
    [fc.constantFrom(200, 204, 301, 403, 404, 410, 500, 503), fc.uint8Array({ maxLength: 4096 }), fc.string()],
    { numRuns: 60 },
  )('any answer of a mirror is bytes, absent, or the store’s own error', async (status, body, key) => {
    answer = { status, body };
    const store = createListedStore(url, []);
    asked.length = 0;
    try {
      const got = await store.get(`/c/${key}`);
      // Every request stays inside the image's folder.
      for (const path of asked) expect(path.startsWith('/BIC0000059/my%20image.zarr/c/')).toBe(true);
      if (status === 404 || status === 403 || asked.length === 0) expect(got).toBeUndefined();
      else expect(got).toEqual(status === 204 ? new Uint8Array() : body);
    } catch (error) {
      expect([200, 204, 403, 404]).not.toContain(status);
      expect((error as Error).message).toMatch(/^\d{3} /);
    }
  });
});
