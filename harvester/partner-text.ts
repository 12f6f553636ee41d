// Text a partner controls (an HTTP reason phrase, an OAI-PMH <error> message, a resumption token, an error page)
// goes into error messages, the terminal and the published harvest-log.json only through cleanPartnerText: short,
// on one line, without control characters or markup, so that a hostile partner can neither forge lines of output,
// nor move a terminal's cursor, nor put HTML or script into a page that shows the log.

/** Longest partner text kept in a message, in characters (default of cleanPartnerText). */
export const partnerTextLength = 200;

/**
 * `text` made safe to publish: markup tags and entities dropped, control and format characters (C0, C1, bidi
 * overrides, zero-width) and `<`, `>` removed, white space collapsed to single spaces, cut to `maxLength`
 * characters (default 200) with an ellipsis.
 */
export function cleanPartnerText(text: unknown, maxLength = partnerTextLength): string {
  const cleaned = String(text ?? '')
    .slice(0, maxLength * 20)
    .replace(/<[^>]*>?/g, ' ')
    .replace(/&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/gi, ' ')
    // Cc and Cf (unicode categories): terminal escapes, bidi overrides and invisible characters; then < and >.
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cutTo(cleaned, maxLength);
}

/**
 * A whole message for the terminal or the published harvest log, whose partner parts were cleaned where it was
 * made: control and format characters become spaces, `<` and `>` become ‹ and › (so that the element names the
 * harvester quotes stay readable and nothing is markup), on one line, cut to `maxLength` characters (default 300).
 */
export function cleanMessage(text: unknown, maxLength = 300): string {
  const cleaned = String(text ?? '')
    .slice(0, maxLength * 20)
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203a')
    .replace(/\s+/g, ' ')
    .trim();
  return cutTo(cleaned, maxLength);
}

/** `text` cut to at most `maxLength` characters (code points, never half a surrogate pair), ending with '…' if cut. */
function cutTo(text: string, maxLength: number): string {
  const chars = [...text];
  return chars.length > maxLength
    ? `${chars
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`
    : text;
}
