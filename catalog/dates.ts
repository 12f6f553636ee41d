// Dates as the catalogue writes and reads them: ISO 8601 calendar dates (YYYY-MM-DD) and UTC times to the second
// (YYYY-MM-DDThh:mm:ssZ, the finest granularity of OAI-PMH 2.0 §3.3.1).

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Whether `value` is YYYY-MM-DD naming a day that exists: the proleptic Gregorian calendar of ISO 8601 (and of
 * Date), so 2024-02-29 is one and 2023-02-29, 2024-04-31 and 2024-13-01 are not.
 */
export function isCalendarDate(value: string): boolean {
  if (!dayPattern.test(value)) return false;
  // Arithmetic rather than a Date round trip: the harvester checks every record's dates.
  const digit = (at: number) => value.charCodeAt(at) - 48;
  const year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  const month = digit(5) * 10 + digit(6);
  const day = digit(8) * 10 + digit(9);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

/** The UTC calendar date of `date`, YYYY-MM-DD. */
export function toIsoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `date` in UTC to the second, YYYY-MM-DDThh:mm:ssZ (milliseconds dropped, not rounded). */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Today's date in UTC as YYYY-MM-DD; `CATALOGUE_TODAY` in `env` (default process.env) overrides it when written
 * YYYY-MM-DD (tests, reproducible builds, a site built as of a given day).
 */
export function todayUtc(env: NodeJS.ProcessEnv = process.env): string {
  const fixed = env.CATALOGUE_TODAY;
  if (fixed && dayPattern.test(fixed)) return fixed;
  return toIsoDay(new Date());
}
