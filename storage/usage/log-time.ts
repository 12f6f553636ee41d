// Timestamps of access logs, read without Date.parse (which does not know the `10/Feb/2012:16:42:07 -0500` form
// and is slow on the hot path of a log with millions of lines).

const months: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const clf = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

/**
 * Milliseconds since the epoch of a Common Log Format time, `dd/Mon/yyyy:HH:MM:SS +hhmm` (Apache's `%t`, the
 * S3 server access log's `[time]`); undefined when the text is not one.
 */
export function parseClfTime(text: string): number | undefined {
  const m = clf.exec(text);
  if (!m) return undefined;
  const month = months[m[2]];
  if (month === undefined) return undefined;
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
  const offset = (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  const time = m[7] === '+' ? utc - offset : utc + offset;
  return Number.isFinite(time) ? time : undefined;
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTime = /^(\d{2}):(\d{2}):(\d{2})$/;

/** Milliseconds since the epoch of a W3C extended log `date` and `time` (always UTC, CloudFront standard logs). */
export function parseW3cTime(date: string, time: string): number | undefined {
  const d = isoDate.exec(date);
  const t = isoTime.exec(time);
  if (!d || !t) return undefined;
  const ms = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3]));
  return Number.isFinite(ms) ? ms : undefined;
}
