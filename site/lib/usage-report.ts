// The usage statistics the site publishes, from the counts of every mirror (storage/usage/merged-counts.ts):
// the COUNTER Dataset Report at /stats/usage/report.json, and per entry the views (unique dataset
// investigations) and downloads (unique dataset requests), in total and over the last 12 months.
import { entryUrl, toDatasetView, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { monthTotal, type UsageCounts } from '../../storage/usage/counts.ts';
import { renderDsr, type ReportedDataset } from '../../storage/usage/dsr-report.ts';
import { readMergedCounts } from '../../storage/usage/merged-counts.ts';
import { asCatalogueRecord, toPublished, type PublishedRecord } from './published.ts';

export interface EntryUsage {
  /** Unique dataset investigations (views) and unique dataset requests (downloads), all months. */
  views: number;
  downloads: number;
  /** The same over the 12 months up to and including the build's month. */
  views12: number;
  downloads12: number;
  /** The last 12 months, oldest first: month (YYYY-MM), views, downloads. */
  months: { month: string; views: number; downloads: number }[];
}

/** The 12 months (YYYY-MM) ending with the month of `today`, oldest first. */
export function lastTwelveMonths(today: string): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 12 + i, 1));
    return d.toISOString().slice(0, 7);
  });
}

/** The usage of one entry, or undefined when no mirror counted any. */
export function entryUsage(counts: UsageCounts, accession: string, today: string): EntryUsage | undefined {
  const byMonth = counts[accession];
  if (!byMonth) return undefined;
  const out: EntryUsage = { views: 0, downloads: 0, views12: 0, downloads12: 0, months: [] };
  for (const methods of Object.values(byMonth)) {
    const total = monthTotal(methods);
    out.views += total[1];
    out.downloads += total[3];
  }
  for (const month of lastTwelveMonths(today)) {
    const total = byMonth[month] ? monthTotal(byMonth[month]) : [0, 0, 0, 0];
    out.months.push({ month, views: total[1], downloads: total[3] });
    out.views12 += total[1];
    out.downloads12 += total[3];
  }
  return out;
}

/** What the Dataset Report says of a published record. */
export function reportedDataset(record: PublishedRecord, info: CatalogueInfo): ReportedDataset {
  const view = toDatasetView(asCatalogueRecord(record), info);
  const doi = view.identifiers.find((id) => /^10\.\d{4,9}\//.test(id));
  return {
    accession: record.accession,
    title: view.title,
    ...(doi ? { doi } : {}),
    ...(view.released ? { yop: view.released.slice(0, 4) } : {}),
    uri: entryUrl(info, record.accession),
  };
}

/** The Dataset Report of the published records. */
export function renderUsageReport(
  records: readonly PublishedRecord[],
  counts: UsageCounts,
  info: CatalogueInfo,
  today: string,
) {
  return renderDsr(
    records.map((r) => reportedDataset(r, info)),
    counts,
    { platform: info.name, created: today },
  );
}

/** The Dataset Report of a catalogue folder (`catalogue usage report`). */
export async function usageReport(catalog: string, options: { base: string; today: string; name?: string }) {
  const loaded = await loadPublishedCatalogue(catalog, { today: options.today });
  const { counts } = await readMergedCounts(catalog);
  return renderUsageReport(
    loaded.records.map(toPublished),
    counts,
    { name: options.name ?? 'Bioimage Catalogue', baseUrl: options.base },
    options.today,
  );
}
