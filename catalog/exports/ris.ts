// RIS (Research Information Systems) tagged format, type DATA (dataset). Each line is "TG  - value"; a value
// must stay on one line, so line breaks in the text are folded into spaces.
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';

const oneLine = (value: string) => value.replace(/[\r\n\t]+/g, ' ').trim();

export function renderRis(view: DatasetView, info: CatalogueInfo): string {
  const lines: string[] = ['TY  - DATA'];
  for (const author of view.authors) {
    const { family, given } = splitName(author.name);
    lines.push(`AU  - ${oneLine(given ? `${family}, ${given}` : family)}`);
  }
  lines.push(`TI  - ${oneLine(view.title)}`);
  const year = yearOf(view);
  if (year) lines.push(`PY  - ${year}`);
  if (view.released) lines.push(`DA  - ${view.released.replace(/-/g, '/')}`);
  lines.push(`PB  - ${oneLine(info.name)}`);
  if (view.version) lines.push(`ET  - ${view.version}`);
  lines.push(`ID  - ${view.accession}`);
  lines.push(`AN  - ${view.accession}`);
  for (const keyword of view.keywords) lines.push(`KW  - ${oneLine(keyword)}`);
  if (view.description) lines.push(`AB  - ${oneLine(view.description)}`);
  if (view.license) lines.push(`C1  - License: ${oneLine(view.license)}`);
  lines.push(`UR  - ${view.url}`);
  lines.push('ER  - ');
  return lines.join('\r\n') + '\r\n';
}
