// COUNTER counts of hand-written logs, worked out line by line below (COUNTER Code of Practice for Research Data,
// "Processing Rules"): robots, double-clicks, partial downloads, a log read twice, a log delivered late, a log that
// grows, and two mirrors summed, in S3, combined and CloudFront logs.
//
// Mirror A, S3 server access log fixtures/held-out/mirror-a/... (2026-11-03, UTC):
//   U1 = 198.51.100.1 Firefox (regular), U2 = 198.51.100.2 python-requests (machine), R = Googlebot (robot)
//    1 10:00:00 U1 GET BIC0000013/images/a.tif 200  removed: #2 follows within 30 s (double-click)
//    2 10:00:20 U1 GET same                    200  removed: #3 follows within 25 s
//    3 10:00:45 U1 GET same                    200  counted: request (and investigation), session U1|10
//    4 10:05:00 U1 GET BIC0000013/images/b.tif 200  counted: request; same session, so not unique again
//    5 10:06:00 U1 HEAD BIC0000013/images/b.tif     not counted: HEAD transfers no content
//    6 10:07:00 R  GET BIC0000013/images/a.tif 200  not counted: robot (COUNTER robots list)
//    7 10:10:00 U2 GET BIC0000021/data/x.zarr/0.0 206  removed: #8 follows within 10 s
//    8 10:10:10 U2 GET same                        206  counted: a section of the file is a request (machine)
//    9 10:10:50 U2 GET same                        206  counted: 40 s after #8, a second action
//   10 11:00:05 U1 GET BIC0000013/images/a.tif 200  counted: new hour, so a new session, unique again
//   11 11:00:10 U1 GET same                    404  not counted: unsuccessful
//   12 10:20:00 U1 GET BIC0000037/x.tif        403  not counted: unsuccessful
//   13 "this is not a log line"                     skipped, reported with its line number
//   14 10:30:00 U1 GET BIC0000014/x.tif        200  not counted: BIC0000014 fails its check digit
//   15 10:31:00 U1 GET BIC0000013/.derived/previews/... 200  not counted: a preview shown on the entry page
// => BIC0000013 2026-11 regular: TI 3 (#3 #4 #10), UI 2 (sessions U1|10, U1|11), TR 3, UR 2
//    BIC0000021 2026-11 machine: TI 2 (#8 #9), UI 1, TR 2, UR 1
// Mirror A, delivered later (mirror-a-late/): 2026-11-04 12:00 U1 GET BIC0000037/images/z.tif 200
// => BIC0000037 2026-11 regular: 1 1 1 1
//
// Mirror B, combined log fixtures/held-out/mirror-b/ (U3 = 203.0.113.7 Safari), part 1:
//    1 12:00:00 U3 /entries/BIC0000013/            removed: #2 is the same page within 10 s
//    2 12:00:10 U3 /entries/BIC0000013/index.html  counted: investigation, session U3|12
//    3 12:01:00 U3 /entries/BIC0000013.json        counted: investigation (another URL), same session
//    4 12:02:00 U3 /BIC0000013/images/a.tif 200    counted: request
//    5 12:03:00 U3 /search/?q=confocal             not counted: no dataset
//    6 13:03:00 +0100 U3 /BIC0000013/images/a.tif 304  = 12:03:00 UTC, 60 s after #4: counted, request, same session
// part 2 (appended to the same file later):
//    7 2026-12-01 09:00 U3 /entries/BIC0000021/    counted: investigation, December
//    8 bingbot /entries/BIC0000013/                not counted: robot
//    9 12:05:00 curl/8.5.0 /BIC0000013/images/b.tif 200  counted: request, machine (curl is no robot for CoP-RD)
// => BIC0000013 2026-11 regular: TI 4 (#2 #3 #4 #6), UI 1, TR 2 (#4 #6), UR 1; machine: 1 1 1 1
//    BIC0000021 2026-12 regular: TI 1, UI 1, TR 0, UR 0
//
// Mirror C, CloudFront standard logs fixtures/held-out/mirror-c/ (2026-11-05, UTC), the logs of two hours of one
// distribution, values URL-encoded as CloudFront writes them:
//   U4 = 192.0.2.41 Chrome (regular), U5 = 192.0.2.42 python-requests (machine), G = Googlebot (robot)
//   the 14:00 log:
//    1 14:00:00 U4 GET /entries/BIC0000045/           200  removed: #2 is the same page within 5 s
//    2 14:00:05 U4 GET /entries/BIC0000045/index.html 200  counted: investigation, session U4|14
//    3 14:01:00 U4 GET /entries/BIC0000045.json       200  counted: investigation (another URL), same session
//    4 14:02:00 U4 GET /BIC0000045/images/stack.tif   206  removed: #5 follows within 2 s (bytes 0-1048575)
//    5 14:02:02 U4 GET same                           206  removed: #6 follows within 18 s
//    6 14:02:20 U4 GET same                           206  counted: request (the last section), same session
//    7 14:03:00 G  GET /entries/BIC0000045/           200  not counted: robot
//    8 14:04:00 U4 HEAD /BIC0000045/images/stack.tif  200  not counted: HEAD transfers no content
//    9 14:05:00 U4 GET same                           000  not counted: the viewer left before any response
//   10 14:06:00 U4 GET /BIC0000045/images/missing.tif 404  not counted: unsuccessful
//   11 14:10:00 U5 GET /BIC0000045/images/stack.tif   200  counted: request, machine, session U5|14
//   the 15:00 log:
//   12 15:00:10 U5 GET same                           200  counted: new hour, so a new session, unique again
// => BIC0000045 2026-11 regular: TI 3 (#2 #3 #6), UI 1, TR 1 (#6), UR 1
//                       machine: TI 2 (#11 #12), UI 2, TR 2, UR 2
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '../../../catalog/problems.ts';
import { ingestLogs } from '../../../storage/usage/ingest.ts';
import { folderLogSource } from '../../../storage/usage/log-sources.ts';
import { readMergedCounts } from '../../../storage/usage/merged-counts.ts';
import { stateFileOf } from '../../../storage/usage/usage-state.ts';

const heldOut = new URL('./fixtures/held-out/', import.meta.url).pathname;

let catalog: string;
let work: string;
beforeEach(async () => {
  catalog = await mkdtemp(join(tmpdir(), 'usage-catalog-'));
  work = await mkdtemp(join(tmpdir(), 'usage-logs-'));
});
afterEach(async () => {
  await rm(catalog, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

async function ingest(mirror: string, logs: string, problems: Problem[] = []) {
  return ingestLogs({
    mirror,
    stateFile: stateFileOf(catalog, mirror),
    source: folderLogSource(logs),
    onProblem: (p) => problems.push(p),
  });
}

const mirrorA = {
  BIC0000013: { '2026-11': { regular: [3, 2, 3, 2] } },
  BIC0000021: { '2026-11': { machine: [2, 1, 2, 1] } },
};

describe('usage ingest (COUNTER CoP for Research Data)', () => {
  it('counts an S3 log: double-clicks, robots, partial downloads, statuses, unknown items', async () => {
    const problems: Problem[] = [];
    const summary = await ingest('a', join(heldOut, 'mirror-a'), problems);
    const { counts } = await readMergedCounts(catalog);
    expect(counts).toEqual(mirrorA);
    expect(summary).toMatchObject({ read: 1, lines: 15, skippedLines: 1, robots: 1, uses: 8, doubleClicks: 3 });
    expect(problems.map((p) => [p.file, p.line, p.code])).toEqual([
      ['2026-11-03-11-05-00-5F3A7C1D2E9B8A40', 13, 'LOG_LINE_SKIPPED'],
    ]);
  });

  it('counts CloudFront logs: pages, partial downloads, robots, statuses, machine access', async () => {
    const problems: Problem[] = [];
    const summary = await ingest('c', join(heldOut, 'mirror-c'), problems);
    expect(problems).toEqual([]);
    expect(summary).toMatchObject({
      read: 2,
      lines: 16,
      skippedLines: 0,
      robots: 1,
      notCounted: 3,
      uses: 8,
      doubleClicks: 3,
      formats: {
        'E2EXAMPLEC0FFEE.2026-11-05-14.4f7a2b9c': 'cloudfront',
        'E2EXAMPLEC0FFEE.2026-11-05-15.81d3e6a0': 'cloudfront',
      },
    });
    expect((await readMergedCounts(catalog)).counts).toEqual({
      BIC0000045: { '2026-11': { regular: [3, 1, 1, 1], machine: [2, 2, 2, 2] } },
    });
  });

  it('never counts a log twice, and counts a log delivered late once', async () => {
    const logs = join(work, 'a');
    await cp(join(heldOut, 'mirror-a'), logs, { recursive: true });
    await ingest('a', logs);
    const again = await ingest('a', logs);
    expect(again).toMatchObject({ read: 0, alreadyRead: 1 });
    expect((await readMergedCounts(catalog)).counts).toEqual(mirrorA);
    await cp(join(heldOut, 'mirror-a-late'), logs, { recursive: true });
    const late = await ingest('a', logs);
    expect(late).toMatchObject({ read: 1, alreadyRead: 1 });
    expect((await readMergedCounts(catalog)).counts).toEqual({
      ...mirrorA,
      BIC0000037: { '2026-11': { regular: [1, 1, 1, 1] } },
    });
  });

  it('reads a growing log from where it stopped, and sums two mirrors', async () => {
    const logs = join(work, 'b');
    const file = join(logs, 'access.log');
    await cp(join(heldOut, 'mirror-b', 'access.log.part1'), file);
    await ingest('b', logs);
    await appendFile(file, await readFile(join(heldOut, 'mirror-b', 'access.log.part2')));
    const more = await ingest('b', logs);
    expect(more).toMatchObject({ read: 1, lines: 3, robots: 1 });
    await ingest('b', logs);
    const mirrorB = {
      BIC0000013: { '2026-11': { regular: [4, 1, 2, 1], machine: [1, 1, 1, 1] } },
      BIC0000021: { '2026-12': { regular: [1, 1, 0, 0] } },
    };
    const state = JSON.parse(await readFile(stateFileOf(catalog, 'b'), 'utf8'));
    expect(state.counts).toEqual(mirrorB);
    await ingest('a', join(heldOut, 'mirror-a'));
    const merged = await readMergedCounts(catalog);
    expect(merged.mirrors).toEqual(['a', 'b']);
    expect(merged.counts).toEqual({
      BIC0000013: { '2026-11': { regular: [7, 3, 5, 3], machine: [1, 1, 1, 1] } },
      BIC0000021: { '2026-11': { machine: [2, 1, 2, 1] }, '2026-12': { regular: [1, 1, 0, 0] } },
    });
  });

  it('counts a session and a double-click that span two logs of the bucket once', async () => {
    // Mirror A's log cut after line 2, as a bucket delivers a log object every few minutes: #2 (in the first) and
    // #3 (in the second) are still one double-click, and #3, #4 and #10 still two sessions; the counts are those
    // of the whole log.
    const lines = (await readFile(join(heldOut, 'mirror-a', '2026-11-03-11-05-00-5F3A7C1D2E9B8A40'), 'utf8')).split(
      '\n',
    );
    const logs = join(work, 'a');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, '2026-11-03-10-00-30-0000000000000001'), lines.slice(0, 2).join('\n') + '\n');
    await writeFile(join(logs, '2026-11-03-11-05-00-0000000000000002'), lines.slice(2).join('\n'));
    const summary = await ingest('a', logs);
    expect(summary).toMatchObject({ read: 2, doubleClicks: 3 });
    expect((await readMergedCounts(catalog)).counts).toEqual(mirrorA);
  });

  it('keeps nothing of a compressed log cut short, and reads it again next time', async () => {
    const text = await readFile(join(heldOut, 'mirror-a', '2026-11-03-11-05-00-5F3A7C1D2E9B8A40'));
    const whole = gzipSync(Buffer.concat(Array.from({ length: 2000 }, () => text)));
    const logs = join(work, 'a');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, 'cut.log.gz'), whole.subarray(0, whole.length - 200));
    const problems: Problem[] = [];
    const summary = await ingest('a', logs, problems);
    expect(summary.read).toBe(0);
    expect(problems.at(-1)).toMatchObject({ file: 'cut.log.gz', code: 'LOG_UNREADABLE' });
    expect((await readMergedCounts(catalog)).counts).toEqual({});
    await writeFile(join(logs, 'cut.log.gz'), gzipSync(text));
    expect(await ingest('a', logs)).toMatchObject({ read: 1 });
    expect((await readMergedCounts(catalog)).counts).toEqual(mirrorA);
  });

  it('reads a rotated log (same name, new first bytes) from its start', async () => {
    const logs = join(work, 'b');
    const file = join(logs, 'access.log');
    await cp(join(heldOut, 'mirror-b', 'access.log.part2'), file);
    await ingest('b', logs);
    await cp(join(heldOut, 'mirror-b', 'access.log.part1'), file);
    await appendFile(file, 'x'.repeat(10) + '\n');
    const rotated = await ingest('b', logs);
    expect(rotated).toMatchObject({ read: 1, lines: 7, skippedLines: 1 });
  });

  it('stores counts only: no address, no User-Agent', async () => {
    await ingest('a', join(heldOut, 'mirror-a'));
    const text = await readFile(stateFileOf(catalog, 'a'), 'utf8');
    for (const secret of ['198.51.100', 'Mozilla', 'python-requests', 'Googlebot']) expect(text).not.toContain(secret);
  });

  it('refuses a state file it did not write rather than count everything again', async () => {
    await mkdir(join(catalog, 'usage'), { recursive: true });
    await writeFile(stateFileOf(catalog, 'a'), '{"version": 2}');
    await expect(ingest('a', join(heldOut, 'mirror-a'))).rejects.toMatchObject({ code: 'USAGE_STATE_INVALID' });
  });
});
