// Escaping for the provider's hot path: the same result as catalog/exports/datacite-xml.ts's escapeXml (characters
// XML 1.0 §2.2 forbids dropped; & < > " ' as entities), in one pass, and none when there is nothing to escape,
// which is most values. The provider escapes every field of every record it serves; six passes per value were
// a third of its time. test/harvester/escape-xml.test.ts holds the two to the same output.

// eslint-disable-next-line no-control-regex
const special = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/;
// eslint-disable-next-line no-control-regex
const specials = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF&<>"']/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text and attribute values for XML 1.0; characters XML cannot hold at all are dropped (XML 1.0 §2.2). */
export function escapeXml(value: string): string {
  return special.test(value) ? value.replace(specials, (c) => entities[c] ?? '') : value;
}
