// Records seen twice: within a page (the newest version is kept) and across pages (a page being written still holds
// the newest version of a record, which a later page must be compared with instead of the older file on disk).
import type { HarvestedRecord } from '../schemas/index.ts';
import { datestampKey } from './harvest-state.ts';
import type { OaiRecord } from './protocol.ts';

/**
 * A page's records by id (`idOf` the header's identifier), one per id: the newest datestamp's version, the later one
 * on a tie. Ids come in the order of their first appearance.
 */
export function newestById(
  records: readonly OaiRecord[],
  idOf: (identifier: string) => string,
): Map<string, OaiRecord> {
  const newest = new Map<string, OaiRecord>();
  for (const record of records) {
    const id = idOf(record.header.identifier);
    const seen = newest.get(id);
    if (!seen || datestampKey(record.header.datestamp) >= datestampKey(seen.header.datestamp)) newest.set(id, record);
  }
  return newest;
}

/** Records handed to the page writer and not yet in place, each the newest version handed for its id. */
export interface PendingRecords {
  get(id: string): HarvestedRecord | undefined;
  add(id: string, record: HarvestedRecord): void;
  /** Forgets the records of a page now in place, unless a later page has handed a newer one for the same id. */
  settle(handed: readonly (readonly [string, HarvestedRecord])[]): void;
  readonly size: number;
}

export function createPendingRecords(): PendingRecords {
  const pending = new Map<string, HarvestedRecord>();
  return {
    get: (id) => pending.get(id),
    add: (id, record) => void pending.set(id, record),
    settle(handed) {
      for (const [id, record] of handed) if (pending.get(id) === record) pending.delete(id);
    },
    get size() {
      return pending.size;
    },
  };
}
