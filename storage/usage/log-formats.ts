// The three access-log formats a mirror or the site can deliver, recognised from the lines themselves:
// - S3 server access logs (AWS S3 User Guide, "Amazon S3 server access log format"): space-separated fields, the
//   time in brackets, the Request-URI, Referer and User-Agent in double quotes (which real logs do not escape, so a
//   quote may sit inside them), '-' for an absent value, later fields added over the years;
// - CloudFront standard logs (Amazon CloudFront Developer Guide, "Standard log file fields"): W3C extended log
//   format, a `#Fields:` header naming tab-separated columns, URL-encoded values (the User-Agent sometimes twice);
// - the combined log format of Apache httpd (mod_log_config, "Common Log Format" plus Referer and User-Agent) and
//   nginx (`log_format combined`), with or without extra fields after the User-Agent.
import { parseClfTime, parseW3cTime } from './log-time.ts';

export type LogFormat = 's3' | 'cloudfront' | 'combined';

/** One request as a log line records it; the client address and User-Agent never leave the counting step. */
export interface LogRequest {
  /** Milliseconds since the epoch (UTC). */
  time: number;
  /** The client's IP address, as logged. */
  client: string;
  /** The User-Agent header, '' when absent. */
  userAgent: string;
  /** The HTTP method (S3: GET for the GET.OBJECT operations). */
  method: string;
  /** S3: the object key (URL-encoded, as logged); otherwise the request path (URL-encoded, without the query). */
  target: string;
  /** Whether `target` is an object key of the bucket or a URL path. */
  targetKind: 'key' | 'path';
  /** The HTTP status; 0 for CloudFront's `000` (the viewer left before any response). */
  status: number;
}

export type LineResult =
  | { kind: 'request'; request: LogRequest }
  /** A header or comment line (`#Fields:`, `#Version:`, `# ...`) or a blank line: nothing to count, nothing wrong. */
  | { kind: 'ignored' }
  | { kind: 'skipped'; reason: string };

export interface LogLineParser {
  /** The format recognised so far (undefined until a line of one of the formats was read). */
  readonly format: LogFormat | undefined;
  parse(line: string): LineResult;
}

const skipped = (reason: string): LineResult => ({ kind: 'skipped', reason });
const ignored: LineResult = { kind: 'ignored' };

// Bucket owner, bucket, [time], remote IP, requester, request ID, operation, key, "Request-URI", HTTP status.
// The Request-URI may hold unescaped quotes: it ends at the first `" ` followed by a status and an error code.
// Real logs sometimes hold two spaces between fields (DANDI's "hard" lines), so a separator is one or more.
const s3Line =
  /^[0-9a-f]{16,128} +(\S+) +\[([^\]]{26})\] +(\S+) +(\S+) +(\S+) +(\S+) +(\S+) +"(.*?)" +(\d{3}|-) +(\S+) /;
// The User-Agent is the last quoted field: after it come only unquoted fields (version id, host id, signature
// version, cipher suite, authentication type, host header, TLS version, access point ARN, ACL required), or none
// in the oldest layout. The Referer before it may itself hold quotes, so the User-Agent begins at the last `" "`.
const s3Tail = /"([^"]*)"((?: [^ "]+)*) ?$/;

/** A line of an S3 server access log. */
export function parseS3Line(line: string): LineResult {
  const m = s3Line.exec(line);
  if (!m) return skipped('not an S3 server access log line');
  const time = parseClfTime(m[2]);
  if (time === undefined) return skipped(`the time '${m[2]}' is not dd/Mon/yyyy:HH:MM:SS +hhmm`);
  const status = Number(m[9]);
  if (!Number.isInteger(status)) return skipped('no HTTP status');
  const operation = m[6];
  // REST.GET.OBJECT (API) and WEBSITE.GET.OBJECT (static website endpoint) are reads of an object's bytes.
  const method = operation.endsWith('.GET.OBJECT') ? 'GET' : operation.endsWith('.HEAD.OBJECT') ? 'HEAD' : operation;
  return {
    kind: 'request',
    request: {
      time,
      client: m[3],
      userAgent: s3UserAgent(line.slice(m[0].length)),
      method,
      target: m[7] === '-' ? '' : m[7],
      targetKind: 'key',
      status,
    },
  };
}

function s3UserAgent(rest: string): string {
  const tail = s3Tail.exec(rest);
  if (!tail) return '';
  const end = tail.index + 1 + tail[1].length;
  const start = rest.lastIndexOf('" "', tail.index) + 3;
  // `""Mozilla/5.0 ..."`: a stray quote doubled by the client is part of no User-Agent.
  const agent = (start >= 3 && start <= end ? rest.slice(start, end) : tail[1]).replace(/^"+|"+$/g, '');
  return agent === '-' ? '' : agent;
}

// Client, identity, user, [time], "request", status, size, then "Referer" "User-Agent" (nginx escapes a quote
// inside a field as \x22, Apache as \"), then anything (nginx's "$http_x_forwarded_for" and the like).
const quoted = String.raw`"((?:[^"\\]|\\.)*)"`;
const combinedLine = new RegExp(
  String.raw`^(\S+) \S+ (?:\S+|"[^"]*") \[([^\]]{26})\] ${quoted} (\d{3}) (?:\d+|-)(?: "(?:[^"\\]|\\.)*" ${quoted})?`,
);
const requestLine = /^([A-Z]{3,10}) (\S+)(?: HTTP\/\d(?:\.\d)?)?$/;

/** A line of the Apache or nginx combined (or common) log format. */
export function parseCombinedLine(line: string): LineResult {
  const m = combinedLine.exec(line);
  if (!m) return skipped('not a combined log line');
  const time = parseClfTime(m[2]);
  if (time === undefined) return skipped(`the time '${m[2]}' is not dd/Mon/yyyy:HH:MM:SS +hhmm`);
  const request = requestLine.exec(m[3]);
  if (!request) return skipped('the request is not "METHOD target HTTP/x"');
  const agent = (m[5] ?? '').replace(/\\(.)/g, '$1');
  return {
    kind: 'request',
    request: {
      time,
      client: m[1],
      userAgent: agent === '-' ? '' : agent,
      method: request[1],
      target: pathOf(request[2]),
      targetKind: 'path',
      status: Number(m[4]),
    },
  };
}

/** The path of a request target (origin form or absolute form), without the query or fragment. */
function pathOf(target: string): string {
  let path = target;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length) || '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

/** Decodes a W3C log value: CloudFront URL-encodes values, and the User-Agent a second time in some layouts. */
function decodeW3c(value: string, times: number): string {
  let out = value;
  for (let i = 0; i < times && out.includes('%'); i++) {
    try {
      out = decodeURIComponent(out);
    } catch {
      return out;
    }
  }
  return out;
}

/** Reads CloudFront standard log lines; the columns come from the latest `#Fields:` line. */
export function createCloudFrontParser(): (line: string) => LineResult {
  let columns: Map<string, number> | undefined;
  return (line) => {
    if (line.startsWith('#')) {
      if (/^#Fields:/.test(line))
        columns = new Map(
          line
            .slice('#Fields:'.length)
            .trim()
            .split(/\s+/)
            .map((name, i) => [name, i]),
        );
      return ignored;
    }
    if (!columns) return skipped('a CloudFront log line before any #Fields: header');
    const values = line.split('\t');
    const field = (name: string) => {
      const i = columns!.get(name);
      return i === undefined ? undefined : values[i];
    };
    const time = parseW3cTime(field('date') ?? '', field('time') ?? '');
    if (time === undefined) return skipped('no valid date and time columns');
    // CloudFront Developer Guide, "Log file fields", sc-status: an HTTP status, or `000` when the viewer closed the
    // connection before CloudFront could respond. That is a request that transferred nothing: read (status 0),
    // never counted, and not a malformed line.
    const statusText = field('sc-status') ?? '';
    if (!/^(?:000|[1-5]\d\d)$/.test(statusText)) return skipped('no valid sc-status');
    const status = Number(statusText);
    const agent = decodeW3c(field('cs(User-Agent)') ?? '-', 2);
    return {
      kind: 'request',
      request: {
        time,
        client: field('c-ip') ?? '-',
        userAgent: agent === '-' ? '' : agent,
        method: field('cs-method') ?? '-',
        target: field('cs-uri-stem') ?? '',
        targetKind: 'path',
        status,
      },
    };
  };
}

const looksS3 = /^[0-9a-f]{16,128} \S+ \[/;
const looksCombined = /^\S+ \S+ \S+ \[/;

/**
 * A parser for one log file. The format is taken from the first line that belongs to one (a `#Version` or
 * `#Fields` header, an S3 line, a combined line), then held: a line of another format later is skipped.
 */
export function createLogLineParser(): LogLineParser {
  let format: LogFormat | undefined;
  let cloudFront: ((line: string) => LineResult) | undefined;
  const parse = (line: string): LineResult => {
    if (line.trim() === '') return ignored;
    if (format === undefined) {
      if (/^#(Version|Fields):/.test(line)) {
        format = 'cloudfront';
        cloudFront = createCloudFrontParser();
      } else if (line.startsWith('#')) return ignored;
      else if (looksS3.test(line)) format = 's3';
      else if (looksCombined.test(line)) format = 'combined';
      else return skipped('not a line of an S3, CloudFront or combined log');
    }
    if (format === 'cloudfront') return cloudFront!(line);
    // A comment in a combined log (Matomo's test logs have them) is not a request.
    if (line.startsWith('#')) return ignored;
    return format === 's3' ? parseS3Line(line) : parseCombinedLine(line);
  };
  return {
    get format() {
      return format;
    },
    parse,
  };
}
