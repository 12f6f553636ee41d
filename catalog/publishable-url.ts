// Which URLs the catalogue publishes (pages, JSON-LD, DataCite, the dump): http and https only. A partner's record,
// or a submission, could otherwise carry `javascript:`, `data:` or `vbscript:` URLs into a link or a JSON-LD
// `sameAs` that a page or a consumer follows. Shared by the checks of records (validate.ts), the harvester's
// crosswalks and the exports. Browser-safe (WHATWG URL only).

/** Longest URL published, in characters (a common limit of browsers and search engines; RFC 9110 §4.1 asks 8000). */
export const maxPublishableUrlLength = 2048;

/**
 * True when `value` is an absolute http:// or https:// URL with a host, that the WHATWG URL parser reads as written:
 * no white space or control characters (which the parser would drop, so that `java\tscript:` hides a scheme), no
 * user name or password (`https://bank.example@evil.example/` misleads readers), at most 2048 characters.
 */
export function isPublishableUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > maxPublishableUrlLength) return false;
  // \p{Cc}\p{Cf}: controls, bidi overrides and invisible characters; \s: white space anywhere.
  if (!/^https?:\/\//i.test(value) || /[\s\p{Cc}\p{Cf}]/u.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}
