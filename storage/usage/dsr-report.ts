// The Dataset Report (DSR) of the COUNTER Code of Practice for Research Data, in the JSON of the Research Data
// SUSHI API Specification (Make Data Count; the form DataCite's usage-report service takes): a `report-header`
// and `report-datasets`, each with its `dataset-id`s and a `performance` per month whose `instance`s carry a
// count, an access method and one of the four metric types. Zero counts are left out (CoP for Research Data,
// "Zero Usage": omit any instance with a count of zero, and a performance or item without one).
import { metricTypes, type AccessMethod, type UsageCounts } from './counts.ts';

export interface ReportedDataset {
  accession: string;
  title: string;
  /** The DOI, when the entry has one. */
  doi?: string;
  /** Year of publication (CoP "YOP"; 0001 when unknown). */
  yop?: string;
  /** The entry's page. */
  uri: string;
}

export interface DsrOptions {
  /** Who made the report and where the data is (the platform's name). */
  platform: string;
  /** The day the report was made (YYYY-MM-DD). */
  created: string;
  /** First and last month reported (YYYY-MM); default every month with counts. */
  from?: string;
  to?: string;
}

/** The first and last day of a month `YYYY-MM`. */
export function monthPeriod(month: string): { 'begin-date': string; 'end-date': string } {
  const [year, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { 'begin-date': `${month}-01`, 'end-date': `${month}-${String(last).padStart(2, '0')}` };
}

export function renderDsr(datasets: readonly ReportedDataset[], counts: UsageCounts, options: DsrOptions) {
  const months = [...new Set(Object.values(counts).flatMap((m) => Object.keys(m)))]
    .filter((m) => (!options.from || m >= options.from) && (!options.to || m <= options.to))
    .sort();
  const items = datasets
    .map((dataset) => {
      const byMonth = counts[dataset.accession] ?? {};
      const performance = months
        .filter((month) => byMonth[month])
        .map((month) => ({
          period: monthPeriod(month),
          instance: (Object.entries(byMonth[month]) as [AccessMethod, number[]][])
            .sort(([a], [b]) => a.localeCompare(b))
            .flatMap(([method, values]) =>
              metricTypes.map((type, i) => ({ count: values[i], 'access-method': method, 'metric-type': type })),
            )
            .filter((instance) => instance.count > 0),
        }))
        .filter((p) => p.instance.length > 0);
      return {
        'dataset-id': [
          ...(dataset.doi ? [{ type: 'doi', value: dataset.doi }] : []),
          { type: 'proprietary', value: dataset.accession },
        ],
        'dataset-title': dataset.title,
        platform: options.platform,
        publisher: options.platform,
        'data-type': 'dataset',
        yop: dataset.yop ?? '0001',
        uri: dataset.uri,
        performance,
      };
    })
    .filter((item) => item.performance.length > 0);
  const period =
    months.length > 0
      ? { 'begin-date': monthPeriod(months[0])['begin-date'], 'end-date': monthPeriod(months.at(-1)!)['end-date'] }
      : { 'begin-date': options.created, 'end-date': options.created };
  return {
    'report-header': {
      'report-name': 'dataset report',
      'report-id': 'DSR',
      release: 'rd1',
      created: options.created,
      'created-by': options.platform,
      'reporting-period': period,
      'report-filters': [],
      'report-attributes': [],
      exceptions: [],
    },
    'report-datasets': items,
  };
}
