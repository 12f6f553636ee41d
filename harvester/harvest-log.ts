// <catalog>/harvest-log.json: what the site shows about harvesting (last success, counts, errors per partner),
// and the lock that keeps two harvests of one catalogue from overlapping.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../catalog/atomic-write.ts';
import { toIsoSeconds } from '../catalog/dates.ts';
import { tooDeepPointer } from '../catalog/source.ts';
import { HarvestError } from './errors.ts';
import { stateDir, type HarvestSummary } from './harvest.ts';
import { cleanMessage } from './partner-text.ts';

export const harvestLogFile = 'harvest-log.json';

export interface HarvestRun {
  startedAt: string;
  finishedAt: string;
  status: 'ok' | 'failed' | 'skipped';
  set: string | null;
  pages: number;
  records: number;
  deleted: number;
  quarantined: number;
  /** Problems of severity error found in records (the records are quarantined). */
  problems: number;
  /** Why the run failed or was skipped: the error's code (e.g. HTTP_500, PRIVATE_ADDRESS, badArgument). */
  errorCode?: string;
  /** And its message on one line, without control characters or markup, cut to 300 characters (partner-text.ts). */
  error?: string;
}

export interface PartnerLog {
  name: string;
  baseUrl: string;
  lastRunAt?: string;
  lastSuccessAt?: string;
  lastStatus?: HarvestRun['status'];
  lastError?: string;
  lastErrorCode?: string;
  /** The 20 most recent runs, newest first. */
  runs: HarvestRun[];
}

export interface HarvestLog {
  schemaVersion: 1;
  updatedAt: string;
  partners: Record<string, PartnerLog>;
}

export async function readHarvestLog(catalog: string): Promise<HarvestLog> {
  const empty: HarvestLog = { schemaVersion: 1, updatedAt: new Date(0).toISOString(), partners: {} };
  let log: unknown;
  try {
    log = JSON.parse(await readFile(join(catalog, harvestLogFile), 'utf8'));
  } catch {
    return empty;
  }
  // The log lives in the catalogue, where a pull request can change it: any shape or depth may come back, and it
  // is written again with JSON.stringify, which overflows the stack on data nested thousands deep.
  if (tooDeepPointer(log) !== undefined || !isRecord(log) || !isRecord(log.partners)) return empty;
  return log as unknown as HarvestLog;
}

/** Longest error message kept in the log, characters. */
const maxErrorLength = 300;
const codePattern = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/** The run of a failed harvest: the error's code and its message, cleaned, for the published log. */
export function failedRun(error: unknown, fields: Pick<HarvestRun, 'startedAt' | 'finishedAt' | 'set'>): HarvestRun {
  const code = (error as { code?: unknown })?.code;
  return {
    ...fields,
    status: 'failed',
    pages: 0,
    records: 0,
    deleted: 0,
    quarantined: 0,
    problems: 0,
    errorCode: typeof code === 'string' && codePattern.test(code) ? code : 'HARVEST_FAILED',
    error: cleanMessage((error as Error)?.message ?? error, maxErrorLength),
  };
}

/**
 * Appends a run to the log (read, change, atomic write; callers hold the lock). The log is published (the site
 * shows it): whatever a run's error says is cleaned and cut again here, whoever made it.
 */
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function recordRun(
  catalog: string,
  partner: { id: string; name: string; baseUrl: string },
  given: HarvestRun,
): Promise<void> {
  const run: HarvestRun = { ...given };
  if (run.error !== undefined) run.error = cleanMessage(run.error, maxErrorLength);
  if (run.errorCode !== undefined && !codePattern.test(run.errorCode)) run.errorCode = 'HARVEST_FAILED';
  const log = await readHarvestLog(catalog);
  const previous: unknown = Object.hasOwn(log.partners, partner.id) ? log.partners[partner.id] : undefined;
  const entry: PartnerLog =
    isRecord(previous) && Array.isArray(previous.runs)
      ? (previous as unknown as PartnerLog)
      : { name: partner.name, baseUrl: partner.baseUrl, runs: [] };
  entry.name = partner.name;
  entry.baseUrl = partner.baseUrl;
  entry.lastRunAt = run.finishedAt;
  entry.lastStatus = run.status;
  if (run.status === 'ok') {
    entry.lastSuccessAt = run.finishedAt;
    delete entry.lastError;
    delete entry.lastErrorCode;
  } else {
    entry.lastError = run.error;
    entry.lastErrorCode = run.errorCode;
  }
  entry.runs = [run, ...entry.runs].slice(0, 20);
  log.partners[partner.id] = entry;
  log.updatedAt = run.finishedAt;
  await writeFileAtomic(join(catalog, harvestLogFile), JSON.stringify(log, null, 2) + '\n');
}

export function runFromSummary(summary: HarvestSummary, startedAt: string): HarvestRun {
  return {
    startedAt,
    finishedAt: toIsoSeconds(new Date()),
    status: 'ok',
    set: summary.set,
    pages: summary.pages,
    records: summary.records,
    deleted: summary.deleted,
    quarantined: summary.quarantined,
    problems: summary.problems.filter((p) => p.severity === 'error').length,
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the harvest lock of a catalogue (<catalog>/harvest-state/harvest.lock, created exclusively, holding the
 * pid). A lock left by a process that no longer runs (killed) is taken over. Returns the release function.
 */
export async function acquireLock(catalog: string): Promise<() => Promise<void>> {
  const path = join(catalog, stateDir, 'harvest.lock');
  await writeFileAtomic(join(catalog, stateDir, '.keep'), '');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new HarvestError(
          'HARVEST_LOCKED',
          `another harvest of this catalogue is running (pid ${pid}, ${path}); it was not started twice`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new HarvestError('HARVEST_LOCKED', `cannot take the harvest lock ${path}`);
}
