// Reads a GitHub-flavoured Markdown body the way GitHub splits it, to tell literal text (inside code spans)
// from text GitHub acts on: table rows split on unescaped '|' first (GFM §4.10), then code spans are found
// (GFM §6.1: a backtick string opens a span that the next backtick string of the same length closes; a
// backslash outside a span escapes the next character).

export interface ScannedMarkdown {
  /** The text outside code spans: what GitHub would render as Markdown, HTML, links or mentions. */
  active: string;
  /** The contents of every code span, as GitHub shows them (one space stripped each side, '\|' unescaped). */
  literals: string[];
  /** The cells of every table row (lines starting with '|'). */
  rows: string[][];
}

export function scanMarkdown(body: string): ScannedMarkdown {
  const rows = body
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1));
  // The table parser removes the escapes of '|' before inline parsing.
  const text = body.replace(/\\\|/g, '|');
  let active = '';
  const literals: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      active += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      active += c;
      i += 1;
      continue;
    }
    const open = /^`+/.exec(text.slice(i))![0];
    let j = i + open.length;
    let close = -1;
    while (j < text.length) {
      const next = text.indexOf('`', j);
      if (next < 0) break;
      const run = /^`+/.exec(text.slice(next))![0];
      if (run.length === open.length) {
        close = next;
        break;
      }
      j = next + run.length;
    }
    if (close < 0) {
      active += open;
      i += open.length;
      continue;
    }
    let content = text.slice(i + open.length, close).replace(/\n/g, ' ');
    if (content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '')
      content = content.slice(1, -1);
    literals.push(content);
    i = close + open.length;
  }
  return { active, literals, rows };
}
