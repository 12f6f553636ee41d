// Property-based tests of the readers of access logs, which are untrusted (anyone can put any bytes in a request
// line, a User-Agent or a Referer): whatever the bytes, a line gives a request or a skipped line with a reason,
// quickly; a log gives counts or skipped lines by number, never an exception; and a log split into chunks anywhere
// reads the same as whole.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ingestLogs } from '../../storage/usage/ingest.ts';
import { splitLines } from '../../storage/usage/line-splitter.ts';
import { folderLogSource } from '../../storage/usage/log-sources.ts';
import { createLogLineParser } from '../../storage/usage/log-formats.ts';
import { parseUsageState, stateFileOf } from '../../storage/usage/usage-state.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 150 };
const real = (name: string) =>
  readFileSync(new URL(`../storage/usage/fixtures/real/${name}`, import.meta.url), 'utf8').split('\n');
const samples = [
  ...real('dandi-s3-log-extraction__2022-01-01-05-06-35-0123456789ABCDEF'),
  ...real('aws-log-parser__cloudfront-multiple.log'),
  ...real('matomo-log-analytics__logs_to_tests.log'),
  ...real('lnav__logfile_shop_access_log.0').slice(0, 20),
].filter((line) => line !== '');

/** A real line with a slice replaced by arbitrary text: the shapes a parser meets at the edge of its rules. */
const mutatedLine = fc
  .tuple(fc.constantFrom(...samples), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 200 }))
  .map(([line, a, b, insert]) => {
    const from = a % (line.length + 1);
    const to = from + (b % 40);
    return line.slice(0, from) + insert + line.slice(to);
  });
const anyLine = fc.oneof(mutatedLine, fc.string({ unit: 'binary', maxLength: 2000 }), fc.constantFrom(...samples));

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'usage-fuzz-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('access log lines', () => {
  it.prop([fc.array(anyLine, { minLength: 1, maxLength: 20 })], runs)(
    'every line is a request with sane fields, ignored, or skipped with a reason, in bounded time',
    (lines) => {
      const parser = createLogLineParser();
      for (const line of lines) {
        const started = performance.now();
        const result = parser.parse(line);
        expect(performance.now() - started).toBeLessThan(50);
        if (result.kind === 'skipped') expect(result.reason.length).toBeGreaterThan(0);
        if (result.kind === 'request') {
          expect(Number.isFinite(result.request.time)).toBe(true);
          expect(result.request.status).toBeGreaterThanOrEqual(0);
          expect(typeof result.request.userAgent).toBe('string');
        }
      }
    },
  );

  it('reads a 64 KiB hostile line (quotes and brackets) in bounded time', () => {
    const hostile = `${'0'.repeat(64)} b [01/Jan/2020:00:00:00 +0000] 1 - x REST.GET.OBJECT k "${'" 2'.repeat(20_000)}`;
    for (const line of [
      hostile,
      `1 - - [${'['.repeat(60_000)}`,
      `1 - - [01/Jan/2020:00:00:00 +0000] "${'\\"'.repeat(30_000)}`,
    ]) {
      const started = performance.now();
      createLogLineParser().parse(line);
      expect(performance.now() - started).toBeLessThan(500);
    }
  });
});

describe('access log files', () => {
  it.prop([fc.uint8Array({ maxLength: 4000 }), fc.array(fc.nat(4000), { maxLength: 6 })], runs)(
    'lines split at any chunk boundary read the same as the whole',
    async (bytes, cuts) => {
      const read = async (chunks: Buffer[]) => {
        const lines: string[] = [];
        const tooLong: number[] = [];
        const end = await splitLines(
          Readable.from(chunks),
          { line: (text, n) => lines.push(`${n}:${text}`), tooLong: (n) => tooLong.push(n) },
          { start: 0, firstLine: 1, final: true },
        );
        return { lines, tooLong, end };
      };
      const whole = Buffer.from(bytes);
      const points = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const point of [...points, whole.length]) {
        chunks.push(whole.subarray(from, point));
        from = point;
      }
      expect(await read(chunks.filter((c) => c.length > 0))).toEqual(await read([whole]));
    },
  );

  it.prop([fc.array(fc.oneof(anyLine, fc.constant('\u0000\u0001\uFFFF')), { maxLength: 30 }), fc.boolean()], {
    numRuns: Math.ceil(runs.numRuns / 3),
  })('a log of any lines gives counts and numbered skipped lines, never an exception', async (lines, newline) => {
    const folder = await mkdtemp(join(work, 'log-'));
    const catalog = await mkdtemp(join(work, 'catalog-'));
    const text = lines.join('\n') + (newline ? '\n' : '');
    await writeFile(join(folder, 'access.log'), text);
    const problems: { line?: number; code: string }[] = [];
    const summary = await ingestLogs({
      mirror: 'fuzz',
      stateFile: stateFileOf(catalog, 'fuzz'),
      source: folderLogSource(folder),
      onProblem: (p) => problems.push(p),
    });
    expect(summary.read).toBe(1);
    for (const p of problems) {
      expect(p.code).toBe('LOG_LINE_SKIPPED');
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(text.split('\n').length);
    }
    expect(parseUsageState(readFileSync(stateFileOf(catalog, 'fuzz'), 'utf8'))).toBeDefined();
    await rm(folder, { recursive: true });
    await rm(catalog, { recursive: true });
  });
});
