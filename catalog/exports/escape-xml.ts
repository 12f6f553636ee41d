// Escaping of text and attribute values for every XML the catalogue writes: the exports, the OAI-PMH provider,
// the Static Repository and the site's sitemaps. Most values have nothing to escape; they are tested once and
// returned as they are, and the rest are escaped in a single pass.

// XML 1.0 §2.2 (Char): C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF cannot appear in a document
// at all, not even as character references, so they are dropped. §2.4 and §3.3.3: '&' and '<' must be escaped in
// text and attribute values, '>' after ']]', and quotes inside attribute values; all five are escaped everywhere
// so that one function serves both.
// eslint-disable-next-line no-control-regex
const special = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/;
// eslint-disable-next-line no-control-regex
const specials = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute values for XML 1.0; characters XML cannot hold at all are dropped (XML 1.0 §2.2). */
export function escapeXml(value: string): string {
  return special.test(value) ? value.replace(specials, (c) => entities[c] ?? '') : value;
}
