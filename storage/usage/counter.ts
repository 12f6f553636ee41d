// Counting requests the way the COUNTER Code of Practice for Research Data ("Processing Rules for Underlying
// Reporting Data") asks, from log lines that name neither a session nor a logged-in user:
// - "Return codes": successful requests are counted: 200 and 304, and 206, since a Request is a dataset
//   "accessed or downloaded in full or a section of it" ("Metric Types"); a burst of range requests for one file
//   is then one action by the double-click rule below. Only GET is a use (HEAD transfers nothing).
// - "Double-click Filtering": the same user and URL within 30 seconds is one action; "the first request MUST be
//   removed and the second retained", and so on along a chain of such requests. The user is "IP combined with
//   the browser's user-agent", and "One-hour slices MUST be used as sessions".
// - "Counting Unique Datasets": a user session is "IP address + user agent + transaction date + hour of day";
//   a dataset counts once per session for the unique metric types.
// The address and User-Agent are only ever hashed (SHA-256 with a salt drawn at random for each day and held in
// memory only), so no session can be traced back, or matched across runs, from anything stored.
import { createHash, randomBytes } from 'node:crypto';
import { countsAt, type AccessMethod, type UsageCounts } from './counts.ts';
import type { DatasetUse } from './items.ts';

/** COUNTER CoP for Research Data, "Double-click Filtering": 30 seconds between the two clicks at most. */
export const doubleClickWindowMs = 30_000;

const hourMs = 3_600_000;

/** The HTTP statuses of a successful use ("Return codes", and 206 for a section of a file). */
const counted = new Set([200, 206, 304]);

/** One use of a dataset, as the counter takes it. */
export interface Use extends DatasetUse {
  /** Milliseconds since the epoch. */
  time: number;
  client: string;
  userAgent: string;
  /** The URL or key double-clicks are judged on (items.ts itemOf). */
  item: string;
  method: AccessMethod;
}

interface Pending {
  use: Use;
  session: string;
}

export interface CounterOptions {
  /** The salt of a day (YYYY-MM-DD); default 32 random bytes per day, kept in memory only. */
  saltOf?: (day: string) => Uint8Array;
}

export interface Counter {
  /** Takes one use; it is counted once no later use by the same user of the same item follows within 30 s. */
  add(use: Use): void;
  /** Counts every use still held for the double-click rule (at the end of a run). */
  flush(): void;
  /** Counts from now on into `counts` (the uses of the next log), leaving what was counted where it is. */
  retarget(counts: UsageCounts): void;
  /** Uses taken, and uses dropped as the first of a double-click. */
  readonly stats: { taken: number; doubleClicks: number };
}

/** Is this HTTP status and method a use that COUNTER counts? */
export const isCountedStatus = (status: number, method: string): boolean => method === 'GET' && counted.has(status);

/** How many days' salts are held: logs hold a few days at most. */
export const saltsHeld = 8;

/**
 * The default `saltOf`: 32 random bytes for each day, drawn when the day is first asked for and held in memory only,
 * so that two runs never share a salt. Only the salts of the last `saltsHeld` days drawn are kept.
 */
export function createDailySalt(): (day: string) => Uint8Array {
  const salts = new Map<string, Uint8Array>();
  return (day) => {
    let salt = salts.get(day);
    if (!salt) {
      // Older salts are forgotten so that nothing outlives its day for long.
      if (salts.size >= saltsHeld) salts.delete(salts.keys().next().value!);
      salt = randomBytes(32);
      salts.set(day, salt);
    }
    return salt;
  };
}

/**
 * A user's pseudonym for a day (COUNTER's user, "IP combined with the browser's user-agent"): SHA-256 of the day's
 * salt, the day, the address and the User-Agent, as 22 base64url characters (132 bits).
 */
export function pseudonymOf(salt: Uint8Array, day: string, client: string, userAgent: string): string {
  return createHash('sha256').update(salt).update(`${day}\n${client}\n${userAgent}`).digest('base64url').slice(0, 22);
}

/** Adds COUNTER counts into `counts` (accession, month, method). */
export function createCounter(initial: UsageCounts, options: CounterOptions = {}): Counter {
  let counts = initial;
  const saltOf = options.saltOf ?? createDailySalt();
  const users = new Map<string, string>();
  const pending = new Map<string, Pending>();
  // Unique activities per one-hour session slice: hour number -> `session dataset kind` seen.
  const uniques = new Map<number, Set<string>>();
  let latest = 0;
  const stats = { taken: 0, doubleClicks: 0 };

  /** The user's pseudonym for the day: a salted hash of address and User-Agent. */
  function userOf(use: Use, day: string): string {
    const key = `${day}\n${use.client}\n${use.userAgent}`;
    let user = users.get(key);
    if (user === undefined) {
      user = pseudonymOf(saltOf(day), day, use.client, use.userAgent);
      if (users.size >= 100_000) users.clear();
      users.set(key, user);
    }
    return user;
  }

  function count({ use, session }: Pending): void {
    const hour = Math.floor(use.time / hourMs);
    const month = new Date(use.time).toISOString().slice(0, 7);
    const values = countsAt(counts, use.accession, month, use.method);
    let seen = uniques.get(hour);
    if (!seen) uniques.set(hour, (seen = new Set()));
    values[0]++;
    const investigation = `${session}\ni\n${use.accession}`;
    if (!seen.has(investigation)) {
      seen.add(investigation);
      values[1]++;
    }
    if (use.kind !== 'request') return;
    values[2]++;
    const request = `${session}\nr\n${use.accession}`;
    if (!seen.has(request)) {
      seen.add(request);
      values[3]++;
    }
  }

  /** Counts what can no longer be the first of a double-click, and forgets the sessions of past hours. */
  function sweep(): void {
    for (const [key, held] of pending)
      if (held.use.time < latest - doubleClickWindowMs) {
        pending.delete(key);
        count(held);
      }
    // Logs arrive roughly in time order; two hours back is kept for lines a little out of order.
    const oldest = Math.floor(latest / hourMs) - 2;
    for (const hour of uniques.keys()) if (hour < oldest) uniques.delete(hour);
  }

  return {
    stats,
    add(use) {
      stats.taken++;
      const iso = new Date(use.time).toISOString();
      const session = `${userOf(use, iso.slice(0, 10))}|${iso.slice(0, 13)}`;
      const key = `${session}\n${use.item}`;
      const held = pending.get(key);
      const next: Pending = { use, session };
      if (held && Math.abs(use.time - held.use.time) <= doubleClickWindowMs) {
        stats.doubleClicks++;
        // Keep the later of the two ("the first request MUST be removed and the second retained").
        if (use.time >= held.use.time) pending.set(key, next);
      } else if (held && use.time < held.use.time) count(next);
      else {
        if (held) count(held);
        pending.set(key, next);
      }
      if (use.time > latest) latest = use.time;
      if (stats.taken % 4096 === 0) sweep();
    },
    flush() {
      for (const held of pending.values()) count(held);
      pending.clear();
    },
    retarget(next) {
      counts = next;
    },
  };
}
