// BibTeX @misc for a dataset (biblatex would use @dataset; @misc is what every BibTeX style understands).
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';

/** Escapes BibTeX's special characters so that a value cannot end its field or run a command. */
export function escapeBibtex(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([{}&%$#_])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
}

export function renderBibtex(view: DatasetView, info: CatalogueInfo): string {
  const authors = view.authors.map((a) => {
    const { family, given } = splitName(a.name);
    return given ? `${escapeBibtex(family)}, ${escapeBibtex(given)}` : `{${escapeBibtex(family)}}`;
  });
  const fields: [string, string | undefined][] = [
    ['author', authors.length ? authors.join(' and ') : `{${escapeBibtex(info.name)}}`],
    ['title', `{${escapeBibtex(view.title)}}`],
    ['howpublished', escapeBibtex(info.name)],
    ['publisher', escapeBibtex(info.name)],
    ['year', yearOf(view)?.toString()],
    ['version', view.version?.toString()],
    ['note', `Accession ${view.accession}${view.license ? `, licence ${escapeBibtex(view.license)}` : ''}`],
    ['url', view.url.replace(/[{}%\\]/g, encodeURIComponent)],
  ];
  const body = fields.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@misc{${view.accession.replace(/[^A-Za-z0-9_-]/g, '')},\n${body}\n}\n`;
}
