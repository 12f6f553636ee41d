// A human-readable citation, in the DataCite recommended form:
// Creator (PublicationYear). Title. Version. Publisher. Identifier
// (https://support.datacite.org/docs/datacite-citation-display); the identifier is the DOI when there is one.
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';

export function renderCitationText(view: DatasetView, info: CatalogueInfo): string {
  const names = view.authors.map((a) => {
    const { family, given } = splitName(a.name);
    return given
      ? `${family}, ${given
          .split(/[\s-]+/)
          .map((g) => `${g[0]}.`)
          .join(' ')}`
      : family;
  });
  const creators = names.length > 5 ? `${names.slice(0, 5).join('; ')} et al.` : names.join('; ') || info.name;
  const year = yearOf(view);
  const version = view.version ? ` Version ${view.version}.` : '';
  return (
    `${creators} (${year ?? 'n.d.'}). ${view.title.replace(/\.$/, '')}.${version} ` +
    `${info.name}. ${view.accession}. ${view.doi ? `https://doi.org/${view.doi}` : view.url}`
  );
}
