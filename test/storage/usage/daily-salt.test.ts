// The daily salt of the user pseudonyms (storage/usage/counter.ts): COUNTER's user is "IP combined with the
// browser's user-agent" (CoP for Research Data, "Double-click Filtering"), which the counter only ever hashes with
// 32 random bytes drawn for each day and held in memory. A visitor is one user all day and another the next day;
// no run shares a salt with another; and neither the salt nor a pseudonym reaches the state file, so nothing stored
// can be matched with an address.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageCounts } from '../../../storage/usage/counts.ts';
import { createCounter, createDailySalt, pseudonymOf, saltsHeld, type Use } from '../../../storage/usage/counter.ts';
import { ingestLogs } from '../../../storage/usage/ingest.ts';
import { createLogLineParser } from '../../../storage/usage/log-formats.ts';
import { folderLogSource } from '../../../storage/usage/log-sources.ts';
import { stateFileOf } from '../../../storage/usage/usage-state.ts';

const heldOut = new URL('./fixtures/held-out/', import.meta.url).pathname;
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const visitor = { client: '198.51.100.1', userAgent: firefox };

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** A `saltOf` that hands out the default daily salts and keeps a note of each day asked for and its salt. */
function recordingSalt() {
  const saltOf = createDailySalt();
  const asked: string[] = [];
  const salts = new Map<string, Uint8Array>();
  return {
    asked,
    salts,
    saltOf(day: string) {
      asked.push(day);
      const salt = saltOf(day);
      salts.set(day, salt);
      return salt;
    },
  };
}

describe('the daily salt', () => {
  it('is 32 random bytes, the same all day, another the next day, another in the next run', () => {
    const saltOf = createDailySalt();
    const monday = saltOf('2026-11-02');
    expect(monday).toHaveLength(32);
    expect(sameBytes(saltOf('2026-11-02'), monday)).toBe(true);
    expect(sameBytes(saltOf('2026-11-03'), monday)).toBe(false);
    expect(sameBytes(createDailySalt()('2026-11-02'), monday)).toBe(false);
  });

  it('is forgotten once the salts of later days are held in its place', () => {
    const saltOf = createDailySalt();
    const first = saltOf('2026-11-01');
    for (let day = 2; day <= saltsHeld; day++) saltOf(`2026-11-${String(day).padStart(2, '0')}`);
    expect(sameBytes(saltOf('2026-11-01'), first)).toBe(true);
    saltOf(`2026-11-${String(saltsHeld + 1).padStart(2, '0')}`);
    expect(sameBytes(saltOf('2026-11-01'), first)).toBe(false);
  });

  it('gives a visitor one pseudonym within a day and another on the next day or in the next run', () => {
    const saltOf = createDailySalt();
    const pseudonym = (day: string, salts = saltOf) => pseudonymOf(salts(day), day, visitor.client, visitor.userAgent);
    expect(pseudonym('2026-11-03')).toBe(pseudonym('2026-11-03'));
    expect(pseudonym('2026-11-04')).not.toBe(pseudonym('2026-11-03'));
    expect(pseudonym('2026-11-03', createDailySalt())).not.toBe(pseudonym('2026-11-03'));
    // Another visitor on the same day, even one differing only in the User-Agent, is another user.
    expect(pseudonymOf(saltOf('2026-11-03'), '2026-11-03', visitor.client, 'curl/8.5.0')).not.toBe(
      pseudonym('2026-11-03'),
    );
  });

  it('is taken by the counter for the UTC day of each use', () => {
    const salt = recordingSalt();
    const counts: UsageCounts = {};
    const counter = createCounter(counts, { saltOf: salt.saltOf });
    const use = (iso: string): Use => ({
      ...visitor,
      accession: 'BIC0000013',
      kind: 'request',
      time: Date.parse(iso),
      item: 'BIC0000013/images/a.tif',
      method: 'regular',
    });
    // Ten seconds apart across midnight: two days, two users, two sessions (and no double-click, which is judged
    // within a session: "One-hour slices MUST be used as sessions").
    counter.add(use('2026-11-03T10:00:00Z'));
    counter.add(use('2026-11-03T23:59:55Z'));
    counter.add(use('2026-11-04T00:00:05Z'));
    counter.flush();
    expect([...new Set(salt.asked)]).toEqual(['2026-11-03', '2026-11-04']);
    expect(counts).toEqual({ BIC0000013: { '2026-11': { regular: [3, 3, 3, 3] } } });
  });
});

describe('what the state file keeps of the salt', () => {
  let catalog: string;
  beforeEach(async () => {
    catalog = await mkdtemp(join(tmpdir(), 'usage-salt-'));
  });
  afterEach(() => rm(catalog, { recursive: true, force: true }));

  it('holds neither the salt nor any pseudonym', async () => {
    const logs = join(heldOut, 'mirror-a');
    const salt = recordingSalt();
    await ingestLogs({
      mirror: 'a',
      stateFile: stateFileOf(catalog, 'a'),
      source: folderLogSource(logs),
      counter: { saltOf: salt.saltOf },
    });
    expect(salt.salts.size).toBeGreaterThan(0);
    const state = await readFile(stateFileOf(catalog, 'a'), 'utf8');
    expect(Object.keys(JSON.parse(state)).sort()).toEqual(['counts', 'logs', 'mirror', 'updated', 'version']);
    // The pseudonyms of every user of the log, worked out again from its lines with the salts the run used.
    const parser = createLogLineParser();
    const log = await readFile(join(logs, '2026-11-03-11-05-00-5F3A7C1D2E9B8A40'), 'utf8');
    const pseudonyms = new Set<string>();
    for (const line of log.split('\n')) {
      const parsed = parser.parse(line);
      if (parsed.kind !== 'request') continue;
      const day = new Date(parsed.request.time).toISOString().slice(0, 10);
      const daySalt = salt.salts.get(day);
      if (daySalt) pseudonyms.add(pseudonymOf(daySalt, day, parsed.request.client, parsed.request.userAgent));
    }
    expect(pseudonyms.size).toBeGreaterThanOrEqual(2);
    for (const secret of [
      ...[...salt.salts.values()].flatMap((bytes) => {
        const buffer = Buffer.from(bytes);
        return [buffer.toString('hex'), buffer.toString('base64'), buffer.toString('base64url'), bytes.join(',')];
      }),
      ...pseudonyms,
    ])
      expect(state).not.toContain(secret);
  });
});
