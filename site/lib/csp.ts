// The Content-Security-Policy of every page: no inline script and no script from elsewhere. Pagefind compiles
// its WebAssembly search engine in the browser, which CSP Level 3 allows only with 'wasm-unsafe-eval'
// (https://www.w3.org/TR/CSP3/#wasm-integration); that keyword does not allow eval() of JavaScript.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Sent as headers by `catalogue serve` (frame-ancestors works only as a header, CSP3 §6.4.2). */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': `${contentSecurityPolicy}; frame-ancestors 'self'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};
