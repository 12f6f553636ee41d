// The harvest loop: ListRecords page by page, each page's records written, then the state committed, each file
// whole or not at all (temporary file, then rename). Killed at any moment, the next run resumes from the committed
// state; records of a page written before the kill are written again, identically, so none is lost or duplicated.
// Speed, on two cores: the next page is requested as soon as this one has arrived, before it is parsed when its
// token can be read from the end of the text (the provider works on it while this page is parsed, crosswalked and
// validated); a page's files and then its state are queued to page-writer.ts, which writes them in order on a
// worker thread while the main thread goes on with the next pages (at most maxPagesInFlight queued).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { opendir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { HarvestedRecord } from '../schemas/index.ts';
import { writeFileAtomic } from '../catalog/atomic-write.ts';
import { toIsoSeconds as isoSeconds } from '../catalog/dates.ts';
import { harvestedDir } from '../catalog/layout.ts';
import type { Problem } from '../catalog/problems.ts';
import { parseSource } from '../catalog/source.ts';
import { harvestedFindings } from '../catalog/validate.ts';
import { createOaiClient, type OaiClient, type OaiClientOptions } from './client.ts';
import { CrosswalkError, harvestedId, toHarvestedRecord } from './crosswalks/index.ts';
import { HarvestError, HttpError, OaiProtocolError } from './errors.ts';
import { cleanPartnerText } from './partner-text.ts';
import { createIdFilter, type IdFilter } from './id-filter.ts';
import { createPageWriter, type PageFile, type PageWriterMode } from './page-writer.ts';
import { atGranularity, type OaiRecord, type OaiRequest, type QuarantinedRecord } from './protocol.ts';

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

/** Position in one list, committed with every page. */
export interface ListPosition {
  from?: string;
  until?: string;
  /** The token to send next; absent before the first page. */
  token?: string;
  cursor?: number;
  completeListSize?: number;
  pages: number;
  records: number;
  deleted: number;
  quarantined: number;
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

export interface HarvestProgress {
  pages: number;
  records: number;
  deleted: number;
  quarantined: number;
  cursor?: number;
  completeListSize?: number;
}

export interface HarvestOptions {
  /** The catalogue folder. */
  catalog: string;
  target: HarvestTarget;
  /** Harvest from this datestamp (inclusive) instead of the last committed one. */
  from?: string;
  until?: string;
  /** Ignore the state: harvest everything again. */
  full?: boolean;
  client?: OaiClient;
  clientOptions?: Partial<OaiClientOptions>;
  /** Clock, for tests (default Date.now). */
  now?: () => Date;
  onProgress?: (progress: HarvestProgress) => void;
  /** Restarts allowed after an expired or rejected resumption token (default 3). */
  maxRestarts?: number;
  /** How a page's files are written (page-writer.ts; default 'worker'). */
  writerMode?: PageWriterMode;
}

/** What `catalogue harvest --json` prints. */
export interface HarvestSummary {
  partner: string;
  baseUrl: string;
  metadataPrefix: string;
  set: string | null;
  pages: number;
  records: number;
  deleted: number;
  quarantined: number;
  /** Records written or updated in harvested/<partner>/. */
  written: number;
  /** Records skipped because a newer version is already stored. */
  skippedOlder: number;
  restarts: number;
  problems: Problem[];
  from: string | null;
  until: string | null;
  resumed: boolean;
  durationMs: number;
}

/** Pages queued for writing before the harvest waits for the oldest (each holds ~1 MB until written). */
const maxPagesInFlight = 4;

const stateFileName = (target: HarvestTarget) => `${encodeURIComponent(target.metadataPrefix)}@${target.set ? encodeURIComponent(target.set) : '_all'}.json`;

export function statePath(catalog: string, target: HarvestTarget): string {
  return join(catalog, stateDir, target.partner, stateFileName(target));
}

export async function readState(catalog: string, target: HarvestTarget): Promise<HarvestState | undefined> {
  try {
    return JSON.parse(await readFile(statePath(catalog, target), 'utf8')) as HarvestState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new HarvestError('STATE_UNREADABLE', `cannot read ${relative(catalog, statePath(catalog, target))}: ${(error as Error).message}; delete it to harvest from scratch`, { cause: error });
  }
}

/** Datestamps of day and second granularity compared as instants (a day is its first second). */
export function datestampKey(datestamp: string): string {
  return datestamp.length === 10 ? `${datestamp}T00:00:00Z` : datestamp;
}

/** The record stored before, if any (existsSync first: a missing file is the common case, and an exception costs more). */
function readExisting(path: string): HarvestedRecord | undefined {
  if (!existsSync(path)) return undefined;
  try {
    // Through parseSource (size and depth limits): the file is in the catalogue, where a pull request can change
    // it, and its study is carried into the tombstone of a deleted record, written again with JSON.stringify.
    const previous = parseSource(path, readFileSync(path, 'utf8')).data as { origin?: { datestamp?: unknown } } | null;
    return typeof previous?.origin?.datestamp === 'string' ? (previous as HarvestedRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes temporary files left by a run killed mid-write (writeFileAtomic and page-writer.ts name them
 * .<name>.<pid>.<time>.tmp) and hands every other name to `onFile`. The folder is read as a stream of entries
 * (opendir), so that a folder of a million records costs no array of a million names.
 */
async function removeLeftovers(folder: string, onFile?: (name: string) => void): Promise<void> {
  let dir;
  try {
    dir = await opendir(folder, { bufferSize: 256 });
  } catch {
    return;
  }
  const leftovers: string[] = [];
  for await (const entry of dir) {
    if (entry.name.startsWith('.') && entry.name.endsWith('.tmp')) leftovers.push(entry.name);
    else onFile?.(entry.name);
  }
  await Promise.all(leftovers.map((n) => rm(join(folder, n), { force: true })));
}

/** Reads the partner's folder once: removes leftovers and adds every stored record's id to `known`. */
function scanPartnerFolder(folder: string, known: IdFilter): Promise<void> {
  return removeLeftovers(folder, (name) => {
    if (!name.startsWith('.') && name.endsWith('.json')) known.add(name.slice(0, -5));
  });
}

/** Harvests one (partner, prefix, set) into the catalogue. Throws HarvestError when the list cannot be finished. */
export async function harvest(options: HarvestOptions): Promise<HarvestSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const { catalog, target } = options;
  const client = options.client ?? createOaiClient({ baseUrl: target.baseUrl, contact: target.contact, allowPrivateNetwork: target.allowPrivateNetwork, ...options.clientOptions });
  const partnerFolder = join(catalog, harvestedDir, target.partner);
  const quarantineFolder = join(catalog, quarantineDir, target.partner);
  // Ids that may have a file in partnerFolder: those stored before this run and those this run hands to the writer.
  // Another process writing into the same folder meanwhile is not seen (runs of one partner take a lock: cli/commands/harvest.ts).
  const known = createIdFilter();
  await scanPartnerFolder(partnerFolder, known);
  mkdirSync(partnerFolder, { recursive: true });
  await removeLeftovers(join(catalog, stateDir, target.partner));

  let state: HarvestState = (await readState(catalog, target)) ?? { schemaVersion: 1, partner: target.partner, baseUrl: target.baseUrl, metadataPrefix: target.metadataPrefix, set: target.set ?? null };
  const identify = await client.identify();
  const granularity = identify.granularity.includes('hh') ? 'YYYY-MM-DDThh:mm:ssZ' : 'YYYY-MM-DD';

  const explicitWindow = options.from !== undefined || options.until !== undefined;
  const resumed = Boolean(state.current) && !options.full && !explicitWindow;
  if (!resumed) {
    const from = options.from ?? (options.full ? undefined : state.highWater);
    state.current = {
      from: from ? atGranularity(from, granularity) : undefined,
      until: options.until ? atGranularity(options.until, granularity) : undefined,
      pages: 0, records: 0, deleted: 0, quarantined: 0, ordered: true, restarts: 0, startedAt: isoSeconds(now()),
    };
  }
  const position = state.current!;
  const summary: HarvestSummary = {
    partner: target.partner, baseUrl: target.baseUrl, metadataPrefix: target.metadataPrefix, set: target.set ?? null,
    pages: 0, records: 0, deleted: 0, quarantined: 0, written: 0, skippedOlder: 0, restarts: 0, problems: [],
    from: position.from ?? null, until: position.until ?? null, resumed, durationMs: 0,
  };
  const maxRestarts = options.maxRestarts ?? 3;
  const commit = () => writeFileAtomic(statePath(catalog, target), JSON.stringify(state, null, 2) + '\n');
  const writer = createPageWriter({ mode: options.writerMode });
  // Pages handed to the writer, each as the promise of its state's commit, oldest first. The writer writes in order
  // (a page's files, then its state, then the next page's) and stops at the first failure, so the state on disk never
  // runs ahead of the files. Up to maxPagesInFlight are queued: the main thread goes on reading and crosswalking
  // while the kernel creates the files, instead of waiting for each page (the writer was the harvest's bottleneck).
  const committing: Promise<void>[] = [];
  // The newest page's commit: the writer keeps order, so once it is done every earlier page is done too.
  const lastCommit = (): Promise<void> => committing[committing.length - 1] ?? Promise.resolve();
  const stateFolder = dirname(statePath(catalog, target));
  mkdirSync(stateFolder, { recursive: true });
  // Records handed to the writer and not yet in place: a later page reads them here, not the older file.
  const inFlight = new Map<string, HarvestedRecord>();
  try {
    await harvestPages();
  } finally {
    // Whatever stopped the loop, the pages already read are committed before returning or throwing.
    await lastCommit().catch(() => undefined);
    await writer.close();
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;

  async function harvestPages(): Promise<void> {
    // The request for the next page, sent before this page is written; used only if the state asks for that token.
    let prefetched: { token: string; page: ReturnType<OaiClient['request']> } | undefined;
    const prefetch = (token: string) => {
      prefetched = { token, page: client.request({ verb: 'ListRecords', resumptionToken: token }, { onResumptionToken: early }) };
      // Its failure is handled where it is awaited, as if it had been sent then; never an unhandled rejection.
      prefetched.page.catch(() => undefined);
    };
    // A page's token read before the page is parsed (client.ts onResumptionToken): the next request goes out while
    // this page is parsed. Only while the loop waits for this very page (nothing prefetched is waiting to be used),
    // so that at most one request is ahead of the page being processed.
    const early = (token: string) => {
      if (!prefetched && token !== position.token) prefetch(token);
    };
    // Read through a function: `early` sets prefetched from a callback, which TypeScript's narrowing does not follow.
    const prefetchedToken = (): string | undefined => prefetched?.token;
    for (;;) {
      const request: OaiRequest = position.token
        ? { verb: 'ListRecords', resumptionToken: position.token }
        : { verb: 'ListRecords', metadataPrefix: target.metadataPrefix, ...(position.from ? { from: position.from } : {}), ...(position.until ? { until: position.until } : {}), ...(target.set ? { set: target.set } : {}) };
      let page;
      try {
        const ahead = prefetched && prefetched.token === position.token ? prefetched.page : undefined;
        prefetched = undefined;
        page = await (ahead ?? client.request(request, { onResumptionToken: early }));
      } catch (error) {
        // Zenodo answers HTTP 422 to an expired token; treat it like badResumptionToken below.
        if (position.token && error instanceof HttpError && (error.status === 422 || error.status === 400 || error.status === 404)) {
          if (await restart(`HTTP ${error.status}`)) continue;
        }
        throw error;
      }
      const { response, url } = page;
      if (response.errors.some((e) => e.code === 'badResumptionToken') && position.token) {
        if (await restart('badResumptionToken')) continue;
      }
      if (response.errors.some((e) => e.code === 'noRecordsMatch')) {
        await complete();
        break;
      }
      if (response.errors.length > 0) {
        const e = response.errors[0];
        throw new OaiProtocolError(e.code, e.message, url);
      }

      const next = response.resumptionToken?.value;
      if (next && next !== position.token && prefetchedToken() !== next) {
        prefetch(next);
        // fetch writes the request from the event loop: let it go out now, not after this page (which only awaits
        // promises, so the loop would not turn before it is done).
        await new Promise((resolve) => setImmediate(resolve));
      }

      const harvestedAt = isoSeconds(now());
      // Within a page, one record may appear twice: keep the newest datestamp's version (the later one on a tie).
      const newest = new Map<string, OaiRecord>();
      for (const record of response.records) {
        const id = harvestedId(target.partner, record.header.identifier);
        const seen = newest.get(id);
        if (!seen || datestampKey(record.header.datestamp) >= datestampKey(seen.header.datestamp)) newest.set(id, record);
      }
      const files: PageFile[] = [];
      const handed: [string, HarvestedRecord][] = [];
      for (const [id, record] of newest) {
        const harvested = await store(id, record, harvestedAt);
        if (!harvested) continue;
        files.push({ name: `${id}.json`, data: JSON.stringify(harvested, null, 2) + '\n' });
        handed.push([id, harvested]);
        inFlight.set(id, harvested);
        known.add(id);
      }
      for (const q of response.quarantined) await quarantine(q, position.pages);
      while (committing.length >= maxPagesInFlight) await committing.shift();
      const written = files.length ? writer.write(partnerFolder, files) : Promise.resolve();
      written.catch(() => undefined);
      // Once written, a record is read from its file again, unless a later page has handed a newer one meanwhile.
      const settle = () => {
        for (const [id, harvested] of handed) if (inFlight.get(id) === harvested) inFlight.delete(id);
      };

      for (const record of response.records) {
        const key = datestampKey(record.header.datestamp);
        if (position.lastDatestamp && key < position.lastDatestamp) position.ordered = false;
        position.lastDatestamp = key;
        if (!position.maxDatestamp || key > position.maxDatestamp) position.maxDatestamp = key;
      }
      const token = response.resumptionToken;
      position.pages++;
      position.records += response.records.length;
      position.deleted += response.records.filter((r) => r.header.deleted).length;
      position.quarantined += response.quarantined.length;
      summary.pages++;
      summary.records += response.records.length;
      summary.deleted += response.records.filter((r) => r.header.deleted).length;
      summary.quarantined += response.quarantined.length;
      if (token?.value && token.value === position.token) {
        throw new HarvestError('TOKEN_LOOP', `${url}: the repository sent back the resumptionToken it was given ('${cleanPartnerText(token.value, 80)}'); stopping rather than loop`);
      }
      position.token = token?.value || undefined;
      position.cursor = token?.cursor;
      position.completeListSize = token?.completeListSize ?? position.completeListSize;
      options.onProgress?.({ pages: position.pages, records: position.records, deleted: position.deleted, quarantined: position.quarantined, cursor: position.cursor, completeListSize: position.completeListSize });
      // §3.5: the list is complete when the last page carries an empty resumptionToken, or none at all.
      if (!position.token) {
        await written;
        settle();
        await complete();
        break;
      }
      // Queued behind this page's files (see committing above): written only once they are all in place.
      const committed = writer.write(stateFolder, [{ name: stateFileName(target), data: JSON.stringify(state, null, 2) + '\n' }]);
      written.then(settle, () => undefined);
      committed.catch(() => undefined);
      committing.push(committed);
    }
  }

  async function restart(reason: string): Promise<boolean> {
    if (position.restarts >= maxRestarts) return false;
    position.restarts++;
    summary.restarts++;
    // Restart from the last committed datestamp when the list came in datestamp order (records before it are
    // already stored); otherwise from the list's own start, which rewrites the same records identically.
    if (position.ordered && position.maxDatestamp) position.from = atGranularity(position.maxDatestamp, granularity);
    position.token = undefined;
    position.cursor = undefined;
    position.lastDatestamp = undefined;
    await lastCommit();
    summary.problems.push({ file: relative(catalog, statePath(catalog, target)), pointer: '', code: 'RESUMPTION_RESTARTED', message: `the resumption token was refused (${reason}); the list restarted from ${position.from ?? 'the beginning'}`, severity: 'warning' });
    await commit();
    return true;
  }

  async function complete(): Promise<void> {
    await lastCommit();
    if (position.maxDatestamp && (!state.highWater || position.maxDatestamp > datestampKey(state.highWater))) state.highWater = position.maxDatestamp;
    state.lastCompletedAt = isoSeconds(now());
    state = { ...state, current: undefined };
    delete state.current;
    await commit();
  }

  /** The record to write, or undefined when it is older than the stored one or quarantined. */
  async function store(id: string, record: OaiRecord, harvestedAt: string): Promise<HarvestedRecord | undefined> {
    // Paths are made only when needed: most records are new, and have no problem to report.
    const path = () => join(partnerFolder, `${id}.json`);
    const previous = inFlight.get(id) ?? (known.mayHave(id) ? readExisting(path()) : undefined);
    if (previous && datestampKey(previous.origin.datestamp) > datestampKey(record.header.datestamp)) {
      summary.skippedOlder++;
      return undefined;
    }
    let harvested: HarvestedRecord;
    try {
      harvested = toHarvestedRecord(record, { id, partner: target.partner, identifier: record.header.identifier, defaultLicense: target.defaultLicense, metadataPrefix: target.metadataPrefix, harvestedAt, previous });
    } catch (error) {
      if (!(error instanceof CrosswalkError)) throw error;
      summary.problems.push({ file: relative(catalog, path()), pointer: error.pointer, code: error.code, message: `${cleanPartnerText(record.header.identifier, 120)}: ${cleanPartnerText(error.message)}`, fix: 'the record is kept in quarantine; ask the partner to correct it', severity: 'error' });
      summary.quarantined++;
      await writeFileAtomic(join(quarantineFolder, `${id}.json`), JSON.stringify({ identifier: record.header.identifier, datestamp: record.header.datestamp, code: error.code, message: error.message }, null, 2) + '\n');
      return undefined;
    }
    const findings = harvestedFindings(harvested);
    const file = findings.length ? relative(catalog, path()) : '';
    for (const f of findings) {
      summary.problems.push({ file, pointer: f.pointer, code: f.code, message: `${cleanPartnerText(record.header.identifier, 120)}: ${cleanPartnerText(f.message)}`, fix: f.fix, severity: f.severity });
    }
    if (findings.some((f) => f.severity === 'error')) {
      // Not written where CI would reject it; kept in quarantine with its problems, and reported.
      summary.quarantined++;
      await writeFileAtomic(join(quarantineFolder, `${id}.json`), JSON.stringify({ record: harvested, problems: findings }, null, 2) + '\n');
      return undefined;
    }
    summary.written++;
    return harvested;
  }

  async function quarantine(q: QuarantinedRecord, pageIndex: number): Promise<void> {
    const name = q.identifier ? harvestedId(target.partner, q.identifier) : `page-${pageIndex + 1}-record-${q.index + 1}`;
    const path = join(quarantineFolder, `${name}.xml`);
    await writeFileAtomic(path, q.raw || `<!-- ${q.code}: ${q.message.replace(/--/g, '- -')} -->\n`);
    summary.problems.push({ file: relative(catalog, path), pointer: '', code: q.code, message: `${q.identifier ? cleanPartnerText(q.identifier, 120) : `record ${q.index + 1} of page ${pageIndex + 1}`}: ${cleanPartnerText(q.message)}`, fix: 'the record is kept in quarantine and the rest of the page was harvested; ask the partner to correct it', severity: 'error' });
  }
}
