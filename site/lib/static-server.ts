// A small static file server for a built site (`catalogue serve`): the security headers on every response, the
// site's own 404 page, and no way out of the site folder (every path is resolved and checked to stay inside).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { createGzip } from 'node:zlib';
import { acceptsEncoding } from '../../harvester/accept-encoding.ts';
import { securityHeaders } from './csp.ts';

/**
 * Types sent gzipped to a client that accepts it (RFC 9110 §8.4.1, §12.5.3): text only. Pagefind's index files
 * and WebAssembly are compressed already (application/octet-stream here), and images gain nothing.
 */
const compressible = /^(text\/|application\/(json|jsonl|xml|x-bibtex|x-research-info-systems))|^image\/svg\+xml/;

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.bib': 'application/x-bibtex; charset=utf-8',
  '.ris': 'application/x-research-info-systems; charset=utf-8',
  // Pagefind's WebAssembly must have this type for streaming compilation.
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

export interface StaticServerOptions {
  /** The built site. */
  root: string;
  /** Port (default 4321; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Other folders served under a URL prefix, e.g. the local bucket at /files/ (`npm start`'s download links). */
  mounts?: readonly { prefix: string; root: string }[];
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

async function fileAt(root: string, pathname: string): Promise<{ path: string; redirect?: string } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const path = resolve(root, '.' + decoded);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) {
    if (!pathname.endsWith('/')) return { path, redirect: pathname + '/' };
    const index = join(path, 'index.html');
    return (await stat(index).then((s) => s.isFile(), () => false)) ? { path: index } : undefined;
  }
  return info.isFile() ? { path } : undefined;
}

export function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const root = resolve(options.root);
  const mounts = (options.mounts ?? []).map((m) => ({ prefix: m.prefix.endsWith('/') ? m.prefix : m.prefix + '/', root: resolve(m.root) }));
  const server = createServer(async (request, response) => {
    const send = (status: number, path: string | undefined, extra: Record<string, string> = {}) => {
      const type = path ? (types[extname(path)] ?? 'application/octet-stream') : 'text/plain; charset=utf-8';
      // The search page's scripts are a tenth of a first search's bytes at 100k entries; gzip halves to quarters them.
      const gzip = Boolean(path) && compressible.test(type) && acceptsEncoding(request.headers['accept-encoding'], 'gzip');
      response.writeHead(status, { ...securityHeaders, ...extra, 'Content-Type': type, ...(path && compressible.test(type) ? { Vary: 'Accept-Encoding' } : {}), ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
      if (request.method === 'HEAD' || !path) return response.end(path ? undefined : extra['X-Reason'] ?? '');
      const file = createReadStream(path).on('error', () => response.destroy());
      if (gzip) file.pipe(createGzip()).on('error', () => response.destroy()).pipe(response);
      else file.pipe(response);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, undefined, { Allow: 'GET, HEAD', 'X-Reason': 'Method not allowed' });
    const url = new URL(request.url ?? '/', 'http://localhost');
    // A mounted folder answers for its prefix; the same path checks keep requests inside it.
    const mount = mounts.find((m) => url.pathname.startsWith(m.prefix));
    const found = mount ? await fileAt(mount.root, url.pathname.slice(mount.prefix.length - 1)) : await fileAt(root, url.pathname);
    if (found?.redirect) return send(301, undefined, { Location: found.redirect + url.search });
    if (found) return send(200, found.path, { 'Cache-Control': 'no-cache' });
    const notFound = join(root, '404.html');
    const has404 = await stat(notFound).then((s) => s.isFile(), () => false);
    return send(404, has404 ? notFound : undefined, { 'X-Reason': 'Not found' });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = (options.host ?? '127.0.0.1') === '127.0.0.1' ? 'localhost' : options.host;
      resolvePromise({ server, url: `http://${host}:${port}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
