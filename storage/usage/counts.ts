// The counts the catalogue keeps and publishes: per dataset, per month (UTC), per access method, the four metric
// types of the COUNTER Code of Practice for Research Data ("Metric Types"). Counts only: no address, no
// User-Agent, no session.

/** COUNTER's metric types, in the order of a `MetricCounts` tuple. */
export const metricTypes = [
  'total-dataset-investigations',
  'unique-dataset-investigations',
  'total-dataset-requests',
  'unique-dataset-requests',
] as const;

export type MetricType = (typeof metricTypes)[number];

/** Counts in the order of `metricTypes`. */
export type MetricCounts = [number, number, number, number];

/** COUNTER's Access_Method: people in a browser, or scripts and download tools (CoP for Research Data). */
export type AccessMethod = 'regular' | 'machine';

/** accession -> month (YYYY-MM) -> access method -> counts. */
export type UsageCounts = Record<string, Record<string, Partial<Record<AccessMethod, MetricCounts>>>>;

export const emptyCounts = (): MetricCounts => [0, 0, 0, 0];

/** The tuple of one dataset, month and method, created at zero. */
export function countsAt(counts: UsageCounts, accession: string, month: string, method: AccessMethod): MetricCounts {
  const months = (counts[accession] ??= {});
  const methods = (months[month] ??= {});
  return (methods[method] ??= emptyCounts());
}

/** Adds `from` into `into` (merging mirrors, or a log's counts into a mirror's). */
export function addCounts(into: UsageCounts, from: UsageCounts): UsageCounts {
  for (const [accession, months] of Object.entries(from))
    for (const [month, methods] of Object.entries(months))
      for (const [method, values] of Object.entries(methods) as [AccessMethod, MetricCounts][]) {
        const target = countsAt(into, accession, month, method);
        for (let i = 0; i < 4; i++) target[i] += values[i];
      }
  return into;
}

/** Every method's counts of one dataset and month, summed. */
export function monthTotal(methods: Partial<Record<AccessMethod, MetricCounts>>): MetricCounts {
  const out = emptyCounts();
  for (const values of Object.values(methods)) for (let i = 0; i < 4; i++) out[i] += values![i];
  return out;
}
