// `catalogue usage ingest`: reads a mirror's access logs, counts the uses of each dataset the COUNTER way
// (counter.ts) and commits the counts together with the note of how far each log was read (usage-state.ts).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Problem } from '../../catalog/problems.ts';
import { addCounts, type UsageCounts } from './counts.ts';
import { createCounter, isCountedStatus, type CounterOptions } from './counter.ts';
import { datasetUseOf, itemOf } from './items.ts';
import { splitLines, maxLineBytes } from './line-splitter.ts';
import { createLogLineParser, type LogFormat } from './log-formats.ts';
import type { LogObject, LogSource } from './log-sources.ts';
import { createRobotFilter, type RobotFilter } from './robots.ts';
import { readUsageState, writeUsageState, type UsageState } from './usage-state.ts';

/** What one run did, for the command's summary. */
export interface IngestSummary {
  /** Logs read (in whole or from where the last run stopped). */
  read: number;
  /** Logs already read whole by an earlier run. */
  alreadyRead: number;
  lines: number;
  /** Lines that could not be read (malformed, binary, too long): each reported as a problem. */
  skippedLines: number;
  /** Requests left out: robots, other methods and statuses, or nothing of a dataset. */
  robots: number;
  notCounted: number;
  /** Uses of datasets taken, and the first halves of double-clicks among them. */
  uses: number;
  doubleClicks: number;
  /** The formats recognised, by log. */
  formats: Record<string, LogFormat | 'unknown'>;
}

export interface IngestOptions {
  /** The mirror's id (the state file's name). */
  mirror: string;
  /** The mirror's key prefix, in front of every object key in its logs. */
  prefix?: string;
  /** The state file (usage-state.ts stateFileOf). */
  stateFile: string;
  source: LogSource;
  robots?: RobotFilter;
  counter?: CounterOptions;
  /** Called for every skipped line and unreadable log. */
  onProblem?: (problem: Problem) => void;
  /** Called after each log is counted (it is committed with its batch, at the latest at the end of the run). */
  onLog?: (id: string, progress: UsageState['logs'][string]) => void;
}

const headBytes = 1024;

/** The state is written after this many logs, or this many milliseconds, whichever comes first, and at the end. */
const commitEvery = { logs: 64, ms: 5_000 };

async function headOf(log: LogObject): Promise<string> {
  const stream = await log.open(0);
  const hash = createHash('sha256');
  let taken = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, headBytes - taken);
      hash.update(part);
      taken += part.length;
      if (taken >= headBytes) break;
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

const isGzip = (id: string) => /\.gz$/i.test(id);

export async function ingestLogs(options: IngestOptions): Promise<IngestSummary> {
  const robots = options.robots ?? createRobotFilter();
  const state = await readUsageState(options.stateFile, options.mirror);
  const summary: IngestSummary = {
    read: 0,
    alreadyRead: 0,
    lines: 0,
    skippedLines: 0,
    robots: 0,
    notCounted: 0,
    uses: 0,
    doubleClicks: 0,
    formats: {},
  };
  const problem = (file: string, code: string, message: string, line?: number, fix?: string) =>
    options.onProblem?.({ file, line, pointer: '', code, message, fix, severity: 'warning' });

  // One counter for the whole run: a session (an hour) and a double-click often span two logs of a bucket, which
  // delivers a log object every few minutes. It counts into `staged`, added to the state when a log is committed;
  // uses still held for the double-click rule are counted, and committed, with a later log or at the end of the run.
  let staged: UsageCounts = {};
  let counter = createCounter(staged, options.counter);
  const taken = { uses: 0, doubleClicks: 0 };
  let read = false;
  let uncommitted = 0;
  let committedAt = performance.now();
  for await (const log of options.source.list()) {
    const done = state.logs[log.id];
    const gzip = isGzip(log.id);
    if (done && (gzip || done.offset === log.size)) {
      summary.alreadyRead++;
      continue;
    }
    const head = await headOf(log);
    // The same name with other first bytes is a new log (a rotated file): it is read from its start.
    const resume = done && done.head === head && done.offset < log.size ? done : undefined;
    const start = resume?.offset ?? 0;
    const parser = createLogLineParser();
    let skipped = 0;
    const skip = (line: number, reason: string) => {
      skipped++;
      problem(log.id, 'LOG_LINE_SKIPPED', reason, line);
    };
    let stream: Readable = await log.open(start);
    if (gzip) stream = stream.pipe(createGunzip());
    let result;
    try {
      result = await splitLines(
        stream as AsyncIterable<Buffer>,
        {
          tooLong: (line) => skip(line, `the line is longer than ${maxLineBytes} bytes`),
          line(text, number) {
            if (text.includes('\u0000')) return skip(number, 'the line holds NUL bytes (binary data)');
            const parsed = parser.parse(text);
            if (parsed.kind === 'ignored') return;
            if (parsed.kind === 'skipped') return skip(number, parsed.reason);
            const request = parsed.request;
            if (!isCountedStatus(request.status, request.method)) {
              summary.notCounted++;
              return;
            }
            const use = datasetUseOf(request.target, request.targetKind, options.prefix);
            if (!use) {
              summary.notCounted++;
              return;
            }
            if (robots.isRobot(request.userAgent)) {
              summary.robots++;
              return;
            }
            counter.add({
              ...use,
              time: request.time,
              client: request.client,
              userAgent: request.userAgent,
              item: itemOf(request.target),
              method: robots.isMachine(request.userAgent) ? 'machine' : 'regular',
            });
          },
        },
        // Objects in a bucket and compressed logs are complete; a plain file may still be written to.
        { start: gzip ? 0 : start, firstLine: (resume?.lines ?? 0) + 1, final: gzip || log.id.startsWith('s3://') },
      );
    } catch (error) {
      stream.destroy();
      // Nothing of a log that could not be read is kept, since the next run reads it again: the counter starts
      // afresh (uses of earlier logs still held for the double-click rule are lost with it, never counted twice).
      taken.uses += counter.stats.taken;
      taken.doubleClicks += counter.stats.doubleClicks;
      staged = {};
      counter = createCounter(staged, options.counter);
      problem(
        log.id,
        'LOG_UNREADABLE',
        `the log could not be read: ${(error as Error).message}; nothing of it was counted`,
        undefined,
        'check that the file is a whole access log (or a whole gzip file of one); the next run tries it again',
      );
      continue;
    }
    summary.formats[log.id] = parser.format ?? 'unknown';
    summary.read++;
    summary.lines += result.lines;
    summary.skippedLines += skipped;
    state.logs[log.id] = {
      offset: gzip ? log.size : result.offset,
      head,
      lines: (resume?.lines ?? 0) + result.lines,
      skipped: (resume?.skipped ?? 0) + skipped,
      ...(gzip ? { gzip: true } : {}),
    };
    addCounts(state.counts, staged);
    staged = {};
    counter.retarget(staged);
    read = true;
    uncommitted++;
    // The state is written whole each time, so a bucket's thousands of small logs are committed in batches: a log
    // of a batch that a crash cuts off is neither marked read nor counted, and is read again by the next run.
    if (uncommitted >= commitEvery.logs || performance.now() - committedAt >= commitEvery.ms) {
      await writeUsageState(options.stateFile, state);
      uncommitted = 0;
      committedAt = performance.now();
    }
    options.onLog?.(log.id, state.logs[log.id]);
  }
  counter.flush();
  if (read) {
    addCounts(state.counts, staged);
    await writeUsageState(options.stateFile, state);
  }
  summary.uses = taken.uses + counter.stats.taken;
  summary.doubleClicks = taken.doubleClicks + counter.stats.doubleClicks;
  return summary;
}
