// The Content-Security-Policy of every page: no inline script and no script from elsewhere. Pagefind compiles
// its WebAssembly search engine in the browser, which CSP Level 3 allows only with 'wasm-unsafe-eval'
// (https://www.w3.org/TR/CSP3/#wasm-integration); that keyword does not allow eval() of JavaScript.
// Images may also come from the public mirrors (previews and thumbnails under .derived/), by their origins only.
import type { Mirror } from '../../schemas/index.ts';
import { publicMirrors } from '../../storage/downloads.ts';

/** The policy with images allowed from `imageOrigins` too (each a serialised origin, e.g. https://data.example.org). */
export function contentSecurityPolicyFor(imageOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    ["img-src 'self' data:", ...imageOrigins].join(' '),
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

export const contentSecurityPolicy = contentSecurityPolicyFor();

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

/** Sent as headers by `catalogue serve` (frame-ancestors works only as a header, CSP3 §6.4.2). */
export function securityHeadersFor(imageOrigins: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': `${contentSecurityPolicyFor(imageOrigins)}; frame-ancestors 'self'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  };
}

export const securityHeaders: Record<string, string> = securityHeadersFor();
