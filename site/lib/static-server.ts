// A small static file server for a built site (`catalogue serve`, `catalogue start`): the security headers on every
// response, the site's own 404 page, and no way out of the site folder (every path is resolved, links included, and
// checked to stay inside). It is a public server: a malformed request gets a 4xx, an error in the handler a 500
// without a stack trace, and neither ends the process. Files of a mounted bucket (uploaded data) go out as
// downloads, never as pages or scripts of the site's origin.
import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { basename, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { acceptsEncoding } from '../../http/accept-encoding.ts';
import { parseRequestTarget } from '../../http/request-target.ts';
import { contentTypeOf, isCompressible } from './content-types.ts';
import { securityHeadersFor, viewerPagePath, viewerSecurityHeadersFor } from './csp.ts';
import { signpostingHeader } from './signposting-header.ts';

export interface StaticServerOptions {
  /** The built site. */
  root: string;
  /** Port (default 4321; 0 picks a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * Other folders served under a URL prefix, e.g. the local bucket at /files/ (`npm start`'s download links). Their
   * files are sent as downloads (see downloadHeaders), whatever their names say they are.
   */
  mounts?: readonly { prefix: string; root: string }[];
  /** Origins of the public mirrors whose images the pages show (csp.ts imageOriginsOf; default none). */
  imageOrigins?: readonly string[];
  /** Time a client has to send a whole request, headers and body, in ms (default 30000); then a 408. */
  requestTimeoutMs?: number;
  /** Where a line about an error inside the server goes (default standard error). */
  log?: (line: string) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * The headers of a file from a mounted bucket. Uploaded data may be HTML, SVG or JavaScript: sent with its own type
 * from the site's origin, it would run as the site (stored XSS). So: an attachment (RFC 6266 §4.2), a type that no
 * browser renders, no sniffing of another (Fetch §X-Content-Type-Options), and a CSP that sandboxes the document
 * into an opaque origin with nothing allowed, should a browser render it anyway (CSP3 §6.3.2 sandbox). Scripts may
 * still fetch the bytes (the image viewer pages do), with the CORS headers of `corsHeaders`.
 */
export function downloadHeaders(fileName: string): Record<string, string> {
  return {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': contentDisposition(fileName),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}

/**
 * CORS for a mounted bucket's files (Fetch §3.2.3, §3.2.5): any origin may read them, as from a public S3 bucket with
 * the rule in docs/image-viewer.md, so that a viewer page served elsewhere reads the image's chunks. `Range` may be
 * sent and the length, range and validator are readable by the script. No credentials are ever involved.
 */
export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag',
};

/** The answer to a CORS preflight (Fetch §4.8) for a mounted file: GET and HEAD, with a Range header. */
export const corsPreflightHeaders: Record<string, string> = {
  ...corsHeaders,
  'Access-Control-Allow-Methods': 'GET, HEAD',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Max-Age': '86400',
};

/**
 * `attachment; filename="..."; filename*=UTF-8''...` (RFC 6266 §4.3, RFC 8187 §3.2): the quoted name in ASCII for old
 * clients, with '_' for what it cannot hold (non-ASCII, quotes, backslashes, and '%', which some clients decode,
 * RFC 6266 Appendix D), and the exact name percent-encoded in UTF-8 for all others.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  // RFC 8187 attr-char: what encodeURIComponent leaves alone, less ' ( ) * (RFC 5987 §3.2.1).
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** A weak validator from size and modification time (RFC 9110 §8.8.3): enough for a cache to revalidate. */
function etagOf(info: Stats): string {
  return `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

/** Does the request's If-None-Match name this validator (weak comparison, RFC 9110 §13.1.2)? */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

type Found = { path: string; info: Stats } | { redirect: string } | undefined;

/**
 * The file a decoded path names inside root, or a redirect (path relative to root, '' for root itself) for a
 * directory asked without its slash. The real path, links followed, must stay inside the real root: a link in a
 * bucket leads nowhere else.
 */
async function fileAt(root: string, decoded: string): Promise<Found> {
  if (decoded.includes('\0')) return undefined;
  const path = resolve(root, '.' + decoded);
  if (path !== root && !path.startsWith(root + sep)) return undefined;
  const [real, realRoot] = await Promise.all([realpath(path).catch(() => undefined), realpath(root).catch(() => root)]);
  if (!real || (real !== realRoot && !real.startsWith(realRoot + sep))) return undefined;
  const info = await stat(real).catch(() => undefined);
  if (!info) return undefined;
  if (info.isDirectory()) {
    if (!decoded.endsWith('/')) return { redirect: relative(root, path).split(sep).map(encodeURIComponent).join('/') };
    return fileAt(root, decoded + 'index.html');
  }
  return info.isFile() ? { path: real, info } : undefined;
}

export function startStaticServer(options: StaticServerOptions): Promise<RunningServer> {
  const root = resolve(options.root);
  const mounts = (options.mounts ?? []).map((m) => ({
    prefix: m.prefix.endsWith('/') ? m.prefix : m.prefix + '/',
    root: resolve(m.root),
  }));
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const securityHeaders = securityHeadersFor(options.imageOrigins);
  const viewerSecurityHeaders = viewerSecurityHeadersFor(options.imageOrigins);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (
      status: number,
      file: { path: string; info: Stats } | undefined,
      extra: Record<string, string> = {},
      download?: string,
    ) => {
      const headers =
        download !== undefined
          ? { ...downloadHeaders(download), ...corsHeaders }
          : {
              ...(viewerPagePath.test(decodedPath) ? viewerSecurityHeaders : securityHeaders),
              'Content-Type': file ? contentTypeOf(file.path) : 'text/plain; charset=utf-8',
            };
      const type = headers['Content-Type'];
      const reason = extra['X-Reason'] ?? '';
      // The search page's scripts are a tenth of a first search's bytes at 100k entries; gzip halves to quarters them.
      const gzip = Boolean(file) && isCompressible(type) && acceptsEncoding(request.headers['accept-encoding'], 'gzip');
      const length = file ? (gzip ? undefined : file.info.size) : Buffer.byteLength(reason);
      response.writeHead(status, {
        ...headers,
        ...extra,
        ...(file && isCompressible(type) ? { Vary: 'Accept-Encoding' } : {}),
        ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
        ...(length !== undefined ? { 'Content-Length': String(length) } : {}),
      });
      if (request.method === 'HEAD' || !file) return void response.end(file ? undefined : reason);
      // A client that went away (a viewer cancels the chunks of a view it left) is no error of the server.
      if (response.destroyed) return;
      // pipeline closes the file when the client goes away before the end.
      const done = (error: Error | null) => error && response.destroy();
      if (gzip) pipeline(createReadStream(file.path), createGzip(), response, done);
      else pipeline(createReadStream(file.path), response, done);
    };
    let decodedPath = '';
    const target = parseRequestTarget(request.url);
    const mountPrefix = target && mounts.some((m) => target.pathname.startsWith(m.prefix));
    if (request.method === 'OPTIONS' && mountPrefix) {
      response.writeHead(204, { ...corsPreflightHeaders, 'Content-Length': '0' });
      return void response.end();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return send(405, undefined, { Allow: 'GET, HEAD', 'X-Reason': 'Method not allowed' });
    if (!target)
      return send(400, undefined, {
        'X-Reason': 'Bad request target: send a path that starts with / and has a % only before two hex digits',
      });
    let decoded: string;
    try {
      decoded = decodeURIComponent(target.pathname);
      decodedPath = decoded;
    } catch {
      return send(400, undefined, { 'X-Reason': 'Bad request target: its percent-encoded bytes are not UTF-8' });
    }
    const search = target.query ? `?${target.query}` : '';
    // A mounted folder answers for its prefix; the same path checks keep requests inside it.
    const mount = mounts.find((m) => decoded.startsWith(m.prefix) && target.pathname.startsWith(m.prefix));
    const found = mount
      ? await fileAt(mount.root, decoded.slice(mount.prefix.length - 1))
      : await fileAt(root, decoded);
    // The redirect is rebuilt from the folder found, so that it always names a path of this site (never `//host`).
    if (found && 'redirect' in found)
      return send(301, undefined, {
        Location: `${mount ? mount.prefix : '/'}${found.redirect ? `${found.redirect}/` : ''}${search}`,
        'X-Reason': 'Moved',
      });
    // A client that holds this version (a harvester, a viewer's cache) gets 304 and no body (RFC 9110 §15.4.5).
    const etag = found && etagOf(found.info);
    if (found && etag && matchesIfNoneMatch(request.headers['if-none-match'], etag))
      return send(304, undefined, { 'Cache-Control': 'no-cache', ETag: etag });
    if (found && mount) return send(200, found, { 'Cache-Control': 'no-cache', ETag: etag! }, basename(found.path));
    if (found) {
      // FAIR Signposting: an entry page's typed links also go out as a Link header (signposting.org/FAIR).
      const link = await signpostingHeader(found.path);
      return send(200, found, { 'Cache-Control': 'no-cache', ETag: etag!, ...(link ? { Link: link } : {}) });
    }
    const notFound = join(root, '404.html');
    const info = await stat(notFound).catch(() => undefined);
    return send(404, info?.isFile() ? { path: notFound, info } : undefined, { 'X-Reason': 'Not found' });
  }

  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, 20_000),
      connectionsCheckingInterval: Math.min(requestTimeout / 4, 5000),
    },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // One line for the operator; the client learns only that it failed.
        log(`catalogue serve: ${request.method} ${request.url}: ${(error as Error)?.message ?? String(error)}`);
        if (response.headersSent) return void response.destroy();
        response.writeHead(500, {
          ...securityHeaders,
          'Content-Type': 'text/plain; charset=utf-8',
          Connection: 'close',
        });
        response.end('Internal server error');
      });
    },
  );
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4321, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = (options.host ?? '127.0.0.1') === '127.0.0.1' ? 'localhost' : options.host;
      resolvePromise({
        server,
        url: `http://${host}:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
