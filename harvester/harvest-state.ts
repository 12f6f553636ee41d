// The harvest state of one (partner, metadataPrefix, set): where a list stands, committed with every page, and the
// steps that change it (a list started, a page counted, a list restarted, a list completed).
import { toIsoSeconds as isoSeconds } from '../catalog/dates.ts';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { HarvestError } from './errors.ts';
import { atGranularity, type OaiRecord, type OaiRequest, type OaiResponse } from './protocol.ts';

/** Folder of harvest state, beside entries/ and harvested/ in the catalogue. */
export const stateDir = 'harvest-state';
export const quarantineDir = join(stateDir, 'quarantine');

export interface HarvestTarget {
  /** Partner id (partners.yaml); names the folder harvested/<partner>/. */
  partner: string;
  baseUrl: string;
  metadataPrefix: string;
  set?: string;
  defaultLicense?: string;
  contact?: string;
  /** partners.yaml `allowPrivateNetwork`: redirects and host names may lead to non-public addresses (default false). */
  allowPrivateNetwork?: boolean;
}

/** What a list has brought so far: pages, records in them, deleted records among them, records quarantined. */
export interface PageCounts {
  pages: number;
  records: number;
  deleted: number;
  quarantined: number;
}

/** Position in one list, committed with every page. */
export interface ListPosition extends PageCounts {
  from?: string;
  until?: string;
  /** The token to send next; absent before the first page. */
  token?: string;
  cursor?: number;
  completeListSize?: number;
  /** Newest datestamp committed in this list. */
  maxDatestamp?: string;
  /** True while datestamps arrived in non-decreasing order (then a restart may begin at maxDatestamp). */
  ordered: boolean;
  lastDatestamp?: string;
  restarts: number;
  startedAt: string;
}

/** The state of one (partner, metadataPrefix, set), in harvest-state/<partner>/<prefix>@<set>.json. */
export interface HarvestState {
  schemaVersion: 1;
  partner: string;
  baseUrl: string;
  metadataPrefix: string;
  set: string | null;
  /** Newest datestamp of every completed list: the next incremental harvest starts there (inclusive). */
  highWater?: string;
  lastCompletedAt?: string;
  /** Present while a list is under way (or was cut off). */
  current?: ListPosition;
}

export const stateFileName = (target: HarvestTarget) =>
  `${encodeURIComponent(target.metadataPrefix)}@${target.set ? encodeURIComponent(target.set) : '_all'}.json`;

export function statePath(catalog: string, target: HarvestTarget): string {
  return join(catalog, stateDir, target.partner, stateFileName(target));
}

export async function readState(catalog: string, target: HarvestTarget): Promise<HarvestState | undefined> {
  try {
    return JSON.parse(await readFile(statePath(catalog, target), 'utf8')) as HarvestState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HarvestError(
      'STATE_UNREADABLE',
      `cannot read ${relative(catalog, statePath(catalog, target))}: ${(error as Error).message}; ` +
        'delete it to harvest from scratch',
      { cause: error },
    );
  }
}

/** The state file's text. */
export const renderState = (state: HarvestState): string => JSON.stringify(state, null, 2) + '\n';

/** The state of a target never harvested. */
export const emptyState = (target: HarvestTarget): HarvestState => ({
  schemaVersion: 1,
  partner: target.partner,
  baseUrl: target.baseUrl,
  metadataPrefix: target.metadataPrefix,
  set: target.set ?? null,
});

/** Datestamps of day and second granularity compared as instants (a day is its first second). */
export function datestampKey(datestamp: string): string {
  return datestamp.length === 10 ? `${datestamp}T00:00:00Z` : datestamp;
}

export interface ListWindow {
  /** Harvest from this datestamp (inclusive) instead of the last committed one. */
  from?: string;
  until?: string;
  /** Ignore the state: harvest everything again. */
  full?: boolean;
}

/**
 * Sets `state.current` to the list to harvest: the one under way when the state has one and `window` asks for
 * nothing else (resumed), otherwise a new list from `window.from`, or from the high water mark unless `window.full`,
 * with its dates at the repository's `granularity`. Returns whether the list was resumed.
 */
export function startList(state: HarvestState, window: ListWindow, granularity: string, now: () => Date): boolean {
  const explicitWindow = window.from !== undefined || window.until !== undefined;
  const resumed = Boolean(state.current) && !window.full && !explicitWindow;
  if (!resumed) {
    const from = window.from ?? (window.full ? undefined : state.highWater);
    state.current = {
      from: from ? atGranularity(from, granularity) : undefined,
      until: window.until ? atGranularity(window.until, granularity) : undefined,
      pages: 0,
      records: 0,
      deleted: 0,
      quarantined: 0,
      ordered: true,
      restarts: 0,
      startedAt: isoSeconds(now()),
    };
  }
  return resumed;
}

/** One page's counts. */
export function countPage(response: Pick<OaiResponse, 'records' | 'quarantined'>): PageCounts {
  let deleted = 0;
  for (const record of response.records) if (record.header.deleted) deleted++;
  return { pages: 1, records: response.records.length, deleted, quarantined: response.quarantined.length };
}

/** Adds `page` to `counts` (a list position or a harvest summary). */
export function addCounts(counts: PageCounts, page: PageCounts): void {
  counts.pages += page.pages;
  counts.records += page.records;
  counts.deleted += page.deleted;
  counts.quarantined += page.quarantined;
}

/** Follows the datestamps of a page's records: the newest so far, and whether they still come in order. */
export function trackDatestamps(position: ListPosition, records: readonly OaiRecord[]): void {
  for (const record of records) {
    const key = datestampKey(record.header.datestamp);
    if (position.lastDatestamp && key < position.lastDatestamp) position.ordered = false;
    position.lastDatestamp = key;
    if (!position.maxDatestamp || key > position.maxDatestamp) position.maxDatestamp = key;
  }
}

/**
 * Starts the list again after a refused resumption token: from the last committed datestamp when the list came in
 * datestamp order (records before it are already stored), otherwise from the list's own start, which rewrites the
 * same records identically.
 */
export function restartList(position: ListPosition, granularity: string): void {
  position.restarts++;
  if (position.ordered && position.maxDatestamp) position.from = atGranularity(position.maxDatestamp, granularity);
  position.token = undefined;
  position.cursor = undefined;
  position.lastDatestamp = undefined;
}

/** The state once its current list is complete: the high water mark raised to the list's newest datestamp. */
export function completeList(state: HarvestState, completedAt: string): HarvestState {
  const position = state.current;
  const next: HarvestState = { ...state };
  delete next.current;
  if (position?.maxDatestamp && (!next.highWater || position.maxDatestamp > datestampKey(next.highWater)))
    next.highWater = position.maxDatestamp;
  next.lastCompletedAt = completedAt;
  return next;
}

/**
 * The ListRecords request for where `position` stands: its token alone (OAI-PMH §3.5: resumptionToken is exclusive),
 * or, at the start of a list, the target's format and set with the list's window.
 */
export function listRequest(position: ListPosition, target: HarvestTarget): OaiRequest {
  return position.token
    ? { verb: 'ListRecords', resumptionToken: position.token }
    : {
        verb: 'ListRecords',
        metadataPrefix: target.metadataPrefix,
        ...(position.from ? { from: position.from } : {}),
        ...(position.until ? { until: position.until } : {}),
        ...(target.set ? { set: target.set } : {}),
      };
}
