// The key of every published record's outputs (build-keys.ts entryKey), computed the same way by both processes of
// a build from the same snapshot, labels and usage counts.
import type { UsageCounts } from '../../storage/usage/counts.ts';
import { entryKey, type EntryContext } from './build-keys.ts';
import { labelFilters, type CatalogueLabels } from './labels.ts';
import type { PublishedRecord } from './published.ts';
import { entryUsage } from './usage-report.ts';

export interface EntryKeyInputs {
  siteDigest: string;
  labels: CatalogueLabels;
  counts: UsageCounts;
  today: string;
}

/** What one record shows of the rest of the catalogue (see build-keys.ts). */
function contextOf(record: PublishedRecord, published: ReadonlySet<string>, inputs: EntryKeyInputs): EntryContext {
  const replacedBy = record.kind === 'tombstone' ? record.data.withdrawn.replacedBy : undefined;
  const curation = inputs.labels.reference.get(record.accession);
  return {
    replacementPublished: Boolean(replacedBy && published.has(replacedBy)),
    labels: {
      curation,
      // The page names the criteria a reviewed entry meets by their titles.
      criteria: curation ? inputs.labels.criteria : undefined,
      highlyUsed: inputs.labels.highlyUsed.get(record.accession),
      search: labelFilters(inputs.labels, record.accession),
    },
    usage: entryUsage(inputs.counts, record.accession, inputs.today),
  };
}

/** The key of each record's outputs, by accession. */
export function entryKeys(records: readonly PublishedRecord[], inputs: EntryKeyInputs): Map<string, string> {
  const published = new Set(records.map((r) => r.accession));
  return new Map(
    records.map((record) => [
      record.accession,
      entryKey(inputs.siteDigest, record, contextOf(record, published, inputs)),
    ]),
  );
}
