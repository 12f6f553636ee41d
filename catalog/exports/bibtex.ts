// BibTeX @misc for a dataset (biblatex would use @dataset; @misc is what every BibTeX style understands).
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';
import { oneLine } from './text.ts';

/**
 * What each special character becomes. One pass over the text, so that what one replacement writes (the braces
 * of `\textbackslash{}`) is never escaped again by another. Braces are written as commands rather than `\{`:
 * BibTeX counts every brace, escaped or not, when it finds where a field ends, so one unbalanced `\{` would
 * swallow the rest of the record (N. Markey, "Tame the BeaST", on
 * field delimiters).
 */
const bibtexSpecials: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

/**
 * Escapes BibTeX's special characters so that a value cannot end its field or run a command. Line breaks of any
 * kind (CR, LF, NEL, U+2028, U+2029) and tabs become one space; other control characters, which no reader
 * accepts, are dropped; a lone surrogate (not encodable in UTF-8) becomes U+FFFD. TeX's ligatures (`--` and
 * `---` for dashes, ``` `` ``` and `''` for quotes, `!`` and `?`` for inverted marks) are broken with `{}`, so the
 * characters stay as typed.
 */
export function escapeBibtex(value: string): string {
  return oneLine(value)
    .replace(/[\\{}&%$#_~^]/g, (c) => bibtexSpecials[c])
    .replace(/([-`'!?])(?=[-`'])/g, '$1{}');
}

const plainWord = "[\\p{L}\\p{M}.']+(?:-[\\p{L}\\p{M}.']+)*";
const plainName = new RegExp(`^${plainWord}(?: ${plainWord})*$`, 'u');

/**
 * One part of a name (family or given). BibTeX splits the author field at every " and " outside braces, reads
 * commas as the separators of "Family, Given" and hyphens and commands as name tokens ("Tame the BeaST", on
 * names), so a part that is anything but words of letters, marks, dots and apostrophes (hyphens only inside a
 * word) is braced whole and read as written.
 */
function namePart(part: string): string {
  const escaped = escapeBibtex(part);
  return plainName.test(part) && !/(^|\s)and(\s|$)/i.test(part) && escaped === part ? escaped : `{${escaped}}`;
}

export function renderBibtex(view: DatasetView, info: CatalogueInfo): string {
  const authors = view.authors.map((a) => {
    const { family, given } = splitName(a.name);
    return given ? `${namePart(family)}, ${namePart(given)}` : `{${escapeBibtex(family)}}`;
  });
  const fields: [string, string | undefined][] = [
    ['author', authors.length ? authors.join(' and ') : `{${escapeBibtex(info.name)}}`],
    ['title', `{${escapeBibtex(view.title)}}`],
    ['howpublished', escapeBibtex(info.name)],
    ['publisher', escapeBibtex(info.name)],
    ['year', yearOf(view)?.toString()],
    ['version', view.version?.toString()],
    [
      'note',
      `Accession ${escapeBibtex(view.accession)}${view.license ? `, licence ${escapeBibtex(view.license)}` : ''}`,
    ],
    ['doi', view.doi?.replace(/[{}%\\\s]/g, encodeURIComponent)],
    ['url', view.url.replace(/[{}%\\\s]/g, encodeURIComponent)],
  ];
  const body = fields
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `  ${k} = {${v}}`)
    .join(',\n');
  // A citation key may not hold spaces, commas or braces; an accession with nothing left keeps a key all the same.
  return `@misc{${view.accession.replace(/[^A-Za-z0-9_-]/g, '') || 'dataset'},\n${body}\n}\n`;
}
