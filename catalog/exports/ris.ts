// RIS (Research Information Systems) tagged format, type DATA (dataset). Each line is "TG  - value"; a value
// must stay on one line (a line break followed by "ER  - " or "TY  - " would end the record or start another),
// so every kind of line break in the text is folded into a space, in every field.
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';
import { oneLine as foldLines } from './text.ts';

// Spaces are collapsed too: readers that split a line at "  - " (Citation.js) would otherwise take text such as
// "TY  - " inside a value for a new tag.
const oneLine = (value: string) => foldLines(value).replace(/ {2,}/g, ' ').trim();

export function renderRis(view: DatasetView, info: CatalogueInfo): string {
  const lines: string[] = ['TY  - DATA'];
  for (const author of view.authors) {
    const { family, given } = splitName(author.name);
    lines.push(`AU  - ${oneLine(given ? `${family}, ${given}` : family)}`);
  }
  lines.push(`TI  - ${oneLine(view.title)}`);
  const year = yearOf(view);
  if (year) lines.push(`PY  - ${year}`);
  if (view.released) lines.push(`DA  - ${oneLine(view.released).replace(/-/g, '/')}`);
  lines.push(`PB  - ${oneLine(info.name)}`);
  if (view.version) lines.push(`ET  - ${view.version}`);
  lines.push(`ID  - ${oneLine(view.accession)}`);
  lines.push(`AN  - ${oneLine(view.accession)}`);
  for (const keyword of view.keywords) lines.push(`KW  - ${oneLine(keyword)}`);
  if (view.description) lines.push(`AB  - ${oneLine(view.description)}`);
  if (view.license) lines.push(`C1  - License: ${oneLine(view.license)}`);
  if (view.doi) lines.push(`DO  - ${oneLine(view.doi)}`);
  lines.push(`UR  - ${oneLine(view.url)}`);
  lines.push('ER  - ');
  return lines.join('\r\n') + '\r\n';
}
