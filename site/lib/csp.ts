// The Content-Security-Policy of every page: no inline script and no script from elsewhere. Pagefind compiles
// its WebAssembly search engine in the browser, which CSP Level 3 allows only with 'wasm-unsafe-eval'
// (https://www.w3.org/TR/CSP3/#wasm-integration); that keyword does not allow eval() of JavaScript.
const directives = (connectSrc: string) => [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  `connect-src ${connectSrc}`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

export const contentSecurityPolicy = directives("'self'").join('; ');

/**
 * An image viewer page reads the image's chunks from the public mirrors: connect-src names their origins
 * (CSP3 §6.1.2), and nothing else changes.
 */
export function viewerContentSecurityPolicy(mirrorOrigins: readonly string[]): string {
  return directives(["'self'", ...mirrorOrigins].join(' ')).join('; ');
}

/** Sent as headers by `catalogue serve` (frame-ancestors works only as a header, CSP3 §6.4.2). */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': `${contentSecurityPolicy}; frame-ancestors 'self'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/**
 * The headers of a viewer page (/entries/<ACCESSION>/images/<image>/). The server does not know the mirrors, so
 * its header allows any http(s) origin for connect-src; the page's own meta policy narrows that to the mirrors'
 * origins, and a browser enforces both (CSP3 §8.1: every policy must allow a request).
 */
export const viewerSecurityHeaders: Record<string, string> = {
  ...securityHeaders,
  'Content-Security-Policy': `${directives("'self' http: https:").join('; ')}; frame-ancestors 'self'`,
};

/** The path of a viewer page or its index.html, inside the site. */
export const viewerPagePath = /^\/entries\/[^/]+\/images\/[^/]+\/(index\.html)?$/;
