// The two labels an entry can carry, computed at build time from files of the catalogue, never typed into an
// entry: "Reference dataset" from its curation record (catalog/curation.ts) and "Highly used" from the usage
// counts (storage/usage/). The rule of "Highly used" is in docs/curation.md.
import { readCuration, type CurationLabel, type Criterion, type KnownRecord } from '../../catalog/curation.ts';
import type { UsageCounts } from '../../storage/usage/counts.ts';
import { monthTotal } from '../../storage/usage/counts.ts';
import { readMergedCounts } from '../../storage/usage/merged-counts.ts';
import { facetValues } from './facets.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { toPublished, type PublishedRecord } from './published.ts';

export type LabelName = 'reference' | 'highly-used';

export const labelTitles: Record<LabelName, string> = {
  reference: 'Reference dataset',
  'highly-used': 'Highly used',
};

/**
 * "Highly used": among the listed entries of one imaging method, the top tenth by unique dataset requests
 * (downloads) over the last 24 months, with at least 10 of them. An entry of several methods is judged in each.
 */
export interface HighlyUsedRule {
  /** The share of each group that is labelled (default 0.1, the top tenth). */
  share: number;
  /** The fewest unique requests an entry needs (default 10). */
  minimum: number;
  /** How many months up to the build's month are counted (default 24). */
  months: number;
}

export const defaultHighlyUsedRule: HighlyUsedRule = { share: 0.1, minimum: 10, months: 24 };

/** The months (YYYY-MM) of the window ending with `today`'s month, oldest first. */
function monthsUpTo(today: string, count: number): Set<string> {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  return new Set(
    Array.from({ length: count }, (_, i) => new Date(Date.UTC(year, month - count + i, 1)).toISOString().slice(0, 7)),
  );
}

export interface HighlyUsed {
  /** The imaging methods in which the entry is in the top share. */
  groups: string[];
  /** Its unique requests over the window. */
  requests: number;
}

export function highlyUsedEntries(
  records: readonly PublishedRecord[],
  counts: UsageCounts,
  today: string,
  rule: HighlyUsedRule = defaultHighlyUsedRule,
): Map<string, HighlyUsed> {
  const window = monthsUpTo(today, rule.months);
  const requestsOf = (accession: string) =>
    Object.entries(counts[accession] ?? {})
      .filter(([month]) => window.has(month))
      .reduce((sum, [, methods]) => sum + monthTotal(methods)[3], 0);
  const groups = new Map<string, { accession: string; requests: number }[]>();
  for (const record of records) {
    if (record.status !== 'live') continue;
    const requests = requestsOf(record.accession);
    for (const method of facetValues(record).method) {
      let group = groups.get(method);
      if (!group) groups.set(method, (group = []));
      group.push({ accession: record.accession, requests });
    }
  }
  const out = new Map<string, HighlyUsed>();
  for (const [method, group] of groups) {
    group.sort((a, b) => b.requests - a.requests || a.accession.localeCompare(b.accession));
    // The top tenth, rounded up so that a group of fewer than ten can still have one; ties at the edge are in.
    const edge = group[Math.max(0, Math.ceil(group.length * rule.share) - 1)].requests;
    for (const item of group) {
      if (item.requests < Math.max(edge, rule.minimum)) break;
      const found = out.get(item.accession) ?? { groups: [], requests: item.requests };
      found.groups.push(method);
      out.set(item.accession, found);
    }
  }
  return out;
}

export interface CatalogueLabels {
  criteria: Criterion[];
  reference: Map<string, CurationLabel>;
  highlyUsed: Map<string, HighlyUsed>;
}

/** The labels of the published records (curation records with errors give none; `catalogue check` names them). */
export async function readLabels(
  catalog: string,
  records: readonly PublishedRecord[],
  today: string,
): Promise<CatalogueLabels> {
  const known = new Map<string, KnownRecord>(records.map((r) => [r.accession, r.summary]));
  const curation = readCuration(catalog, known, today);
  const { counts } = await readMergedCounts(catalog);
  return {
    criteria: curation.criteria,
    reference: curation.labels,
    highlyUsed: highlyUsedEntries(records, counts, today),
  };
}

/** The labels of one record, by name. */
export function labelsOf(labels: CatalogueLabels, accession: string): LabelName[] {
  const out: LabelName[] = [];
  if (labels.reference.get(accession)?.reference) out.push('reference');
  if (labels.highlyUsed.has(accession)) out.push('highly-used');
  return out;
}

/** The OAI-PMH sets of the labels (`label:reference`, `label:highly-used`), by accession. */
export const labelSets: Record<LabelName, { spec: string; name: string }> = {
  reference: { spec: 'label:reference', name: 'Reference datasets (curated)' },
  'highly-used': { spec: 'label:highly-used', name: 'Highly used datasets' },
};

/** The label sets of the records the OAI-PMH provider serves. */
export async function labelSetsOf(
  catalog: string,
  records: readonly CatalogueRecord[],
  today: string,
): Promise<Map<string, { spec: string; name: string }[]>> {
  const published = records.filter((r) => r.status !== 'embargoed' && r.kind !== 'submission').map(toPublished);
  const labels = await readLabels(catalog, published, today);
  const out = new Map<string, { spec: string; name: string }[]>();
  for (const record of published) {
    const names = labelsOf(labels, record.accession);
    if (names.length > 0)
      out.set(
        record.accession,
        names.map((name) => labelSets[name]),
      );
  }
  return out;
}

/** The search filter `label` and the result's `labels` meta of one record (undefined when it has no label). */
export function labelFilters(
  labels: CatalogueLabels,
  accession: string,
): { filters: Record<string, string[]>; meta: Record<string, string> } | undefined {
  const titles = labelsOf(labels, accession).map((name) => labelTitles[name]);
  return titles.length ? { filters: { label: titles }, meta: { labels: titles.join(', ') } } : undefined;
}
