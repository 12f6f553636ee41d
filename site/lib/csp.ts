// The Content-Security-Policy of every page: no inline script and no script from elsewhere. Pagefind compiles
// its WebAssembly search engine in the browser, which CSP Level 3 allows only with 'wasm-unsafe-eval'
// (https://www.w3.org/TR/CSP3/#wasm-integration); that keyword does not allow eval() of JavaScript.
// Images may also come from the public mirrors (previews and thumbnails under .derived/), by their origins only.
import type { Mirror } from '../../schemas/index.ts';
import { publicMirrors } from '../../storage/downloads.ts';

const directives = (connectSrc: string, imageOrigins: readonly string[]) => [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  ["img-src 'self' data:", ...imageOrigins].join(' '),
  `connect-src ${connectSrc}`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

/** The policy with images allowed from `imageOrigins` too (each a serialised origin, e.g. https://data.example.org). */
export function contentSecurityPolicyFor(imageOrigins: readonly string[] = []): string {
  return directives("'self'", imageOrigins).join('; ');
}

export const contentSecurityPolicy = contentSecurityPolicyFor();

/**
 * An image viewer page reads the image's chunks from the public mirrors: connect-src names their origins
 * (CSP3 §6.1.2), and so does img-src.
 */
export function viewerContentSecurityPolicy(mirrorOrigins: readonly string[]): string {
  return directives(["'self'", ...mirrorOrigins].join(' '), mirrorOrigins).join('; ');
}

/**
 * The origins of the mirrors' public URLs (URL Standard §4.5 "origin"): scheme, host and port, nothing more, so no
 * path or character of the mirrors file can add a directive (CSP3 §2.3.1 source expressions). Only http and https.
 */
export function imageOriginsOf(mirrors: readonly Mirror[]): string[] {
  const origins = new Set<string>();
  for (const mirror of publicMirrors(mirrors)) {
    try {
      const url = new URL(mirror.publicBaseUrl!);
      if (url.protocol === 'https:' || url.protocol === 'http:') origins.add(url.origin);
    } catch {
      // A base URL that does not parse gives no links either (storage/downloads.ts), so nothing to allow.
    }
  }
  return [...origins].sort();
}

const headersWith = (policy: string): Record<string, string> => ({
  'Content-Security-Policy': `${policy}; frame-ancestors 'self'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
});

/** Sent as headers by `catalogue serve` (frame-ancestors works only as a header, CSP3 §6.4.2). */
export function securityHeadersFor(imageOrigins: readonly string[] = []): Record<string, string> {
  return headersWith(contentSecurityPolicyFor(imageOrigins));
}

export const securityHeaders: Record<string, string> = securityHeadersFor();

/**
 * The headers of a viewer page (/entries/<ACCESSION>/images/<image>/). Its header allows any http(s) origin for
 * connect-src; the page's own meta policy narrows that to the mirrors' origins, and a browser enforces both (CSP3
 * §8.1: every policy must allow a request).
 */
export function viewerSecurityHeadersFor(imageOrigins: readonly string[] = []): Record<string, string> {
  return headersWith(directives("'self' http: https:", imageOrigins).join('; '));
}

/** The path of a viewer page or its index.html, inside the site. */
export const viewerPagePath = /^\/entries\/[^/]+\/images\/[^/]+\/(index\.html)?$/;
