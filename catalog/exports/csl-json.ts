// CSL JSON (Citation Style Language data schema, https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html):
// one item of type "dataset", as an array so that citation managers import it directly.
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName } from './dataset-view.ts';

export function toCslJson(view: DatasetView, info: CatalogueInfo): Record<string, unknown> {
  const dateParts = (date: string) => [date.split('-').map(Number)];
  return {
    id: view.accession,
    type: 'dataset',
    title: view.title,
    author: view.authors.map((a) => {
      const { family, given } = splitName(a.name);
      return given ? { family, given } : { literal: family };
    }),
    ...(view.released ? { issued: { 'date-parts': dateParts(view.released) } } : {}),
    publisher: info.name,
    ...(view.version ? { version: String(view.version) } : {}),
    number: view.accession,
    ...(view.doi ? { DOI: view.doi } : {}),
    URL: view.url,
    ...(view.description ? { abstract: view.description } : {}),
    ...(view.keywords.length ? { keyword: view.keywords.join(', ') } : {}),
  };
}

export function renderCslJson(view: DatasetView, info: CatalogueInfo): string {
  return JSON.stringify([toCslJson(view, info)], null, 2) + '\n';
}
