// The harvest loop: ListRecords page by page, each page's records written, then the state committed, each file
// whole or not at all (temporary file, then rename). Killed at any moment, the next run resumes from the committed
// state; records of a page written before the kill are written again, identically, so none is lost or duplicated.
// On two cores the work overlaps: the next page is requested as soon as this one has arrived, before it is parsed
// when its token can be read from the end of the text (prefetcher.ts: the provider works on it while this page is
// parsed, crosswalked and validated); a page's files and then its state are queued to page-writer.ts, which writes
// them in order on a worker thread while the main thread goes on with the next pages (commit-queue.ts: at most
// maxPagesInFlight queued).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { opendir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { HarvestedRecord } from '../schemas/index.ts';
import { writeFileAtomic } from '../catalog/atomic-write.ts';
import { toIsoSeconds as isoSeconds } from '../catalog/dates.ts';
import { harvestedDir } from '../catalog/layout.ts';
import type { Problem } from '../catalog/problems.ts';
import { parseSource } from '../catalog/source.ts';
import { harvestedFindings } from '../catalog/validate.ts';
import { createOaiClient, type OaiClient, type OaiClientOptions, type OaiPage } from './client.ts';
import { createCommitQueue } from './commit-queue.ts';
import { CrosswalkError, harvestedId, toHarvestedRecord } from './crosswalks/index.ts';
import { HarvestError, HttpError, OaiProtocolError } from './errors.ts';
import {
  addCounts,
  completeList,
  countPage,
  datestampKey,
  emptyState,
  listRequest,
  quarantineDir,
  readState,
  renderState,
  restartList,
  startList,
  stateFileName,
  statePath,
  trackDatestamps,
  type HarvestTarget,
} from './harvest-state.ts';
import { cleanPartnerText } from './partner-text.ts';
import { createIdFilter, type IdFilter } from './id-filter.ts';
import { createPendingRecords, newestById } from './page-records.ts';
import { createPageWriter, type PageFile, type PageWriterMode } from './page-writer.ts';
import { createPrefetcher } from './prefetcher.ts';
import type { OaiRecord, OaiResponse, QuarantinedRecord } from './protocol.ts';

export {
  datestampKey,
  quarantineDir,
  readState,
  stateDir,
  statePath,
  type HarvestState,
  type HarvestTarget,
  type ListPosition,
} from './harvest-state.ts';

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

/**
 * The record stored before, if any (existsSync first: a missing file is the common case, and an exception costs
 * more).
 */
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
 * Removes temporary files left by a run killed mid-write (catalog/atomic-write.ts names them
 * `.<name>.<pid>.<time>-<random>.tmp`, page-writer.ts `.<name>.<pid>.<time>.tmp`: a dot first, `.tmp` last) and hands
 * every other name to `onFile`. The folder is read as a stream of entries (opendir), so that a folder of a million
 * records costs no array of a million names.
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
  const client =
    options.client ??
    createOaiClient({
      baseUrl: target.baseUrl,
      contact: target.contact,
      allowPrivateNetwork: target.allowPrivateNetwork,
      ...options.clientOptions,
    });
  const partnerFolder = join(catalog, harvestedDir, target.partner);
  const quarantineFolder = join(catalog, quarantineDir, target.partner);
  const stateFolder = dirname(statePath(catalog, target));
  // Ids that may have a file in partnerFolder: those stored before this run and those this run hands to the writer.
  // Another process writing into the same folder meanwhile is not seen (runs of one partner take a lock:
  // cli/commands/harvest.ts).
  const known = createIdFilter();
  await scanPartnerFolder(partnerFolder, known);
  mkdirSync(partnerFolder, { recursive: true });
  await removeLeftovers(stateFolder);

  let state = (await readState(catalog, target)) ?? emptyState(target);
  const identify = await client.identify();
  const granularity = identify.granularity.includes('hh') ? 'YYYY-MM-DDThh:mm:ssZ' : 'YYYY-MM-DD';
  const resumed = startList(state, options, granularity, now);
  const position = state.current!;
  const summary: HarvestSummary = {
    partner: target.partner,
    baseUrl: target.baseUrl,
    metadataPrefix: target.metadataPrefix,
    set: target.set ?? null,
    pages: 0,
    records: 0,
    deleted: 0,
    quarantined: 0,
    written: 0,
    skippedOlder: 0,
    restarts: 0,
    problems: [],
    from: position.from ?? null,
    until: position.until ?? null,
    resumed,
    durationMs: 0,
  };
  const maxRestarts = options.maxRestarts ?? 3;
  const commit = () => writeFileAtomic(statePath(catalog, target), renderState(state));
  const writer = createPageWriter({ mode: options.writerMode });
  // Each page's state commit, queued behind its files (commit-queue.ts).
  const commits = createCommitQueue(maxPagesInFlight);
  mkdirSync(stateFolder, { recursive: true });
  // Records handed to the writer and not yet in place: a later page reads them here, not the older file.
  const pending = createPendingRecords();
  const prefetcher = createPrefetcher(client, () => position.token);
  try {
    await harvestPages();
  } finally {
    // Whatever stopped the loop, the pages already read are committed before returning or throwing.
    await commits.last().catch(() => undefined);
    await writer.close();
  }
  summary.durationMs = Math.round(performance.now() - started);
  return summary;

  /** The list, page by page: fetch, request the next ahead, store the records, count, queue the files and state. */
  async function harvestPages(): Promise<void> {
    for (;;) {
      const page = await fetchPage();
      if (!page) continue;
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
      if (next) await prefetcher.ahead(next);

      const { files, handed } = await storePage(response);
      for (const q of response.quarantined) await quarantine(q, position.pages);
      await commits.room();
      const written = files.length ? writer.write(partnerFolder, files) : Promise.resolve();
      written.catch(() => undefined);
      // Once written, a record is read from its file again, unless a later page has handed a newer one meanwhile.
      const settle = () => pending.settle(handed);

      trackDatestamps(position, response.records);
      const counts = countPage(response);
      addCounts(position, counts);
      addCounts(summary, counts);
      const token = response.resumptionToken;
      if (token?.value && token.value === position.token) {
        throw new HarvestError(
          'TOKEN_LOOP',
          `${url}: the repository sent back the resumptionToken it was given ` +
            `('${cleanPartnerText(token.value, 80)}'); stopping rather than loop`,
        );
      }
      position.token = token?.value || undefined;
      position.cursor = token?.cursor;
      position.completeListSize = token?.completeListSize ?? position.completeListSize;
      options.onProgress?.({
        pages: position.pages,
        records: position.records,
        deleted: position.deleted,
        quarantined: position.quarantined,
        cursor: position.cursor,
        completeListSize: position.completeListSize,
      });
      // §3.5: the list is complete when the last page carries an empty resumptionToken, or none at all.
      if (!position.token) {
        await written;
        settle();
        await complete();
        break;
      }
      // Queued behind this page's files: written only once they are all in place.
      commits.push(writer.write(stateFolder, [{ name: stateFileName(target), data: renderState(state) }]));
      written.then(settle, () => undefined);
    }
  }

  /** The next page of the list, or undefined when the list was restarted instead (a refused token). */
  async function fetchPage(): Promise<OaiPage | undefined> {
    try {
      return await prefetcher.next(listRequest(position, target));
    } catch (error) {
      // Zenodo answers HTTP 422 to an expired token; treat it like badResumptionToken.
      if (
        position.token &&
        error instanceof HttpError &&
        (error.status === 422 || error.status === 400 || error.status === 404)
      ) {
        if (await restart(`HTTP ${error.status}`)) return undefined;
      }
      throw error;
    }
  }

  async function restart(reason: string): Promise<boolean> {
    if (position.restarts >= maxRestarts) return false;
    restartList(position, granularity);
    summary.restarts++;
    await commits.last();
    summary.problems.push({
      file: relative(catalog, statePath(catalog, target)),
      pointer: '',
      code: 'RESUMPTION_RESTARTED',
      message:
        `the resumption token was refused (${reason}); ` +
        `the list restarted from ${position.from ?? 'the beginning'}`,
      severity: 'warning',
    });
    await commit();
    return true;
  }

  async function complete(): Promise<void> {
    await commits.last();
    state = completeList(state, isoSeconds(now()));
    await commit();
  }

  /**
   * Crosswalks and validates a page's records, the newest version of each: the files to hand to the writer, and
   * beside them the records they hold (kept in `pending` until written).
   */
  async function storePage(response: OaiResponse): Promise<{ files: PageFile[]; handed: [string, HarvestedRecord][] }> {
    const harvestedAt = isoSeconds(now());
    const files: PageFile[] = [];
    const handed: [string, HarvestedRecord][] = [];
    for (const [id, record] of newestById(response.records, (identifier) => harvestedId(target.partner, identifier))) {
      const harvested = await store(id, record, harvestedAt);
      if (!harvested) continue;
      files.push({ name: `${id}.json`, data: JSON.stringify(harvested, null, 2) + '\n' });
      handed.push([id, harvested]);
      pending.add(id, harvested);
      known.add(id);
    }
    return { files, handed };
  }

  /** The record to write, or undefined when it is older than the stored one or quarantined. */
  async function store(id: string, record: OaiRecord, harvestedAt: string): Promise<HarvestedRecord | undefined> {
    // Paths are made only when needed: most records are new, and have no problem to report.
    const path = () => join(partnerFolder, `${id}.json`);
    const previous = pending.get(id) ?? (known.mayHave(id) ? readExisting(path()) : undefined);
    if (previous && datestampKey(previous.origin.datestamp) > datestampKey(record.header.datestamp)) {
      summary.skippedOlder++;
      return undefined;
    }
    let harvested: HarvestedRecord;
    try {
      harvested = toHarvestedRecord(record, {
        id,
        partner: target.partner,
        identifier: record.header.identifier,
        defaultLicense: target.defaultLicense,
        metadataPrefix: target.metadataPrefix,
        harvestedAt,
        previous,
      });
    } catch (error) {
      if (!(error instanceof CrosswalkError)) throw error;
      summary.problems.push({
        file: relative(catalog, path()),
        pointer: error.pointer,
        code: error.code,
        message: `${cleanPartnerText(record.header.identifier, 120)}: ${cleanPartnerText(error.message)}`,
        fix: 'the record is kept in quarantine; ask the partner to correct it',
        severity: 'error',
      });
      summary.quarantined++;
      await writeFileAtomic(
        join(quarantineFolder, `${id}.json`),
        JSON.stringify(
          {
            identifier: record.header.identifier,
            datestamp: record.header.datestamp,
            code: error.code,
            message: error.message,
          },
          null,
          2,
        ) + '\n',
      );
      return undefined;
    }
    const findings = harvestedFindings(harvested);
    const file = findings.length ? relative(catalog, path()) : '';
    for (const f of findings) {
      summary.problems.push({
        file,
        pointer: f.pointer,
        code: f.code,
        message: `${cleanPartnerText(record.header.identifier, 120)}: ${cleanPartnerText(f.message)}`,
        fix: f.fix,
        severity: f.severity,
      });
    }
    if (findings.some((f) => f.severity === 'error')) {
      // Not written where CI would reject it; kept in quarantine with its problems, and reported.
      summary.quarantined++;
      await writeFileAtomic(
        join(quarantineFolder, `${id}.json`),
        JSON.stringify({ record: harvested, problems: findings }, null, 2) + '\n',
      );
      return undefined;
    }
    summary.written++;
    return harvested;
  }

  async function quarantine(q: QuarantinedRecord, pageIndex: number): Promise<void> {
    const name = q.identifier
      ? harvestedId(target.partner, q.identifier)
      : `page-${pageIndex + 1}-record-${q.index + 1}`;
    const path = join(quarantineFolder, `${name}.xml`);
    await writeFileAtomic(path, q.raw || `<!-- ${q.code}: ${q.message.replace(/--/g, '- -')} -->\n`);
    summary.problems.push({
      file: relative(catalog, path),
      pointer: '',
      code: q.code,
      message:
        `${q.identifier ? cleanPartnerText(q.identifier, 120) : `record ${q.index + 1} of page ${pageIndex + 1}`}: ` +
        cleanPartnerText(q.message),
      fix: 'the record is kept in quarantine and the rest of the page was harvested; ask the partner to correct it',
      severity: 'error',
    });
  }
}
