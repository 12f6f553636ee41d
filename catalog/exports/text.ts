// Text clean-up shared by the exports: what any export must do to a string from a submission or a partner
// before a line- or character-based format can hold it.

/**
 * A lone surrogate (half of a UTF-16 pair) cannot be encoded in UTF-8 (Unicode §3.9, D92); the writer would turn
 * it into U+FFFD anyway, so it is done here, where a test can see it. (String.prototype.toWellFormed, ES2024.)
 */
export function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * One line of text: every line break that some reader honours (CR, LF, VT, FF, NEL, U+2028, U+2029; Unicode
 * UAX #14 mandatory breaks) and tabs become one space, other C0 and C1 control characters are dropped.
 */
export function oneLine(value: string): string {
  return (
    wellFormed(value)
      .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001F\u007F-\u009F]/g, '')
  );
}
