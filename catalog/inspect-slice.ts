import type { RecordLocation } from './layout.ts';
import type { Problem } from './problems.ts';
import { inspectRecord, type RecordSummary } from './records.ts';
import { harvestedPrefix } from './prefixes.ts';

/** What the catalogue-wide invariants need to know of one valid record. */
export interface RecordFacts {
  kind: RecordLocation['kind'];
  file: string;
  summary: RecordSummary;
  replacedBy?: string;
  harvested?: { partner: string; identifier: string; folderPartner?: string };
  /** The storage prefix the record's manifest claims (harvested: where its copy goes in our mirrors). */
  prefix?: string;
}

export interface SliceResult {
  problems: Problem[];
  facts: RecordFacts[];
}

export function inspectSlice(root: string, today: string, locations: readonly RecordLocation[]): SliceResult {
  const problems: Problem[] = [];
  const facts: RecordFacts[] = [];
  for (const location of locations) {
    const { record, problems: found } = inspectRecord(root, location, today);
    problems.push(...found);
    if (!record) continue;
    facts.push({
      kind: record.kind,
      file: location.file,
      summary: record.summary,
      replacedBy: record.kind === 'tombstone' ? record.data.withdrawn.replacedBy : undefined,
      harvested:
        record.kind === 'harvested'
          ? {
              partner: record.data.origin.partner,
              identifier: record.data.origin.identifier,
              folderPartner: location.partner,
            }
          : undefined,
      prefix: prefixOf(record),
    });
  }
  return { problems, facts };
}

function prefixOf(record: NonNullable<ReturnType<typeof inspectRecord>['record']>): string | undefined {
  if (record.kind === 'harvested') {
    const prefix = record.data.manifest?.location?.prefix;
    return typeof prefix === 'string' && record.location.partner
      ? harvestedPrefix(record.location.partner, prefix)
      : undefined;
  }
  // A tombstone's manifest is not validated (it only tells storage what it may delete): take its prefix only when
  // it is a string.
  const prefix: unknown = record.manifest?.location?.prefix;
  return typeof prefix === 'string' ? prefix : undefined;
}
