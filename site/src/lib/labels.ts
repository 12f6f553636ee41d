// The labels of the published records ("Reference dataset", "Highly used"), computed once per build.
import { readLabels, type CatalogueLabels } from '../../lib/labels.ts';
import { allRecords, siteSettings } from './data.ts';

let labels: Promise<CatalogueLabels> | undefined;

export function catalogueLabels(): Promise<CatalogueLabels> {
  labels ??= allRecords().then((records) => readLabels(siteSettings().catalog, records, siteSettings().today));
  return labels;
}
