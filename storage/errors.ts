// Errors of the storage layer: one base error with a stable `code` and the `cause`; subclasses add plain fields.
// Callers decide what an error means by its `code` (errorCode, hasCode), never by its message.
import type { SourceFileErrorCode } from '../catalog/errors.ts';

/** The codes of mirrors.yaml problems; the file's own read and parse codes come from catalog/source.ts. */
export type MirrorConfigCode = 'MIRRORS_FILE_MISSING' | 'MIRRORS_INVALID' | 'MIRROR_UNKNOWN' | SourceFileErrorCode;

/**
 * Every `code` a storage error carries. `HTTP_<status>` and `S3_<name>` keep what the server answered; a code
 * starting with E is the operating system's or Node's (ENOENT, ECONNRESET, ERR_INVALID_URL), passed on by the
 * hash workers.
 */
export type StorageErrorCode =
  | MirrorConfigCode
  | 'UNSAFE_KEY'
  | 'CREDENTIALS_MISSING'
  | 'MIRROR_UNAVAILABLE'
  | 'RCLONE_FAILED'
  | 'NOT_FOUND'
  | 'LIST_UNSUPPORTED'
  | 'READ_ONLY'
  | 'SIZE_MISMATCH'
  | 'SOURCE_CORRUPT'
  | 'PARTNER_FILES_MISSING'
  | 'BAD_URL'
  | 'BAD_REDIRECT'
  | 'TOO_MANY_REDIRECTS'
  | 'PRIVATE_ADDRESS'
  | 'NO_LENGTH'
  | 'NO_ENDPOINT'
  | 'ACCESS_DENIED'
  | 'BAD_RESPONSE'
  | 'TRUNCATED'
  | 'READ_FAILED'
  | 'NOT_A_FILE'
  | 'SYMLINK'
  | 'POOL_CLOSED'
  | 'SHARD_REPORT_INVALID'
  | 'SHARD_REPORTS_MISSING'
  | 'SHARD_SPLITS_DIFFER'
  | 'SHARD_REPORTS_INCOMPLETE'
  | 'LOGS_NOT_FOUND'
  | 'USAGE_STATE_INVALID'
  | 'ROBOTS_LIST_INVALID'
  | `HTTP_${number}`
  | `S3_${string}`
  | `E${string}`;

/** The `code` of a storage error or a Node system error; undefined for anything without one. */
export function errorCode(error: unknown): StorageErrorCode | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? (code as StorageErrorCode) : undefined;
}

/** Does `error` carry one of `codes`? */
export function hasCode(error: unknown, ...codes: StorageErrorCode[]): boolean {
  const code = errorCode(error);
  return code !== undefined && codes.includes(code);
}

/**
 * Is this the end of a run over one mirror? A mirror that stopped answering fails every later request the same
 * way, so the loops over its objects stop (run-tasks.ts) rather than report each object.
 */
export const isMirrorDown = (error: unknown): boolean => hasCode(error, 'MIRROR_UNAVAILABLE');

/** The message of anything thrown. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Base error of storage/: what was asked, what came back. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** An object key or manifest path that could reach outside its bucket, prefix or folder. */
export class UnsafeKeyError extends StorageError {
  readonly key: string;
  readonly rule: string;
  constructor(key: string, rule: string, message: string) {
    super('UNSAFE_KEY', message);
    this.name = 'UnsafeKeyError';
    this.key = key;
    this.rule = rule;
  }
}

/** storage/mirrors.yaml is invalid or names a mirror that does not exist. */
export class MirrorConfigError extends StorageError {
  readonly file: string;
  readonly line?: number;
  constructor(code: MirrorConfigCode, file: string, message: string, line?: number) {
    super(code, message);
    this.name = 'MirrorConfigError';
    this.file = file;
    this.line = line;
  }
}

/** An environment variable that mirrors.yaml names for a credential is not set. */
export class MissingCredentialsError extends StorageError {
  readonly mirror: string;
  readonly variable: string;
  constructor(mirror: string, variable: string) {
    super(
      'CREDENTIALS_MISSING',
      `mirror '${mirror}': the environment variable ${variable} is not set; ` +
        "storage/mirrors.yaml names it for this mirror's credentials. " +
        `Set it (export ${variable}=...) and run again.`,
    );
    this.name = 'MissingCredentialsError';
    this.mirror = mirror;
    this.variable = variable;
  }
}

/** A mirror did not answer or refused a request. */
export class MirrorUnavailableError extends StorageError {
  readonly mirror: string;
  constructor(mirror: string, message: string, options?: { cause?: unknown }) {
    super('MIRROR_UNAVAILABLE', message, options);
    this.name = 'MirrorUnavailableError';
    this.mirror = mirror;
  }
}

/** rclone failed: the command, its exit code and the tail of its stderr. */
export class RcloneError extends StorageError {
  readonly command: string;
  readonly exitCode: number | undefined;
  readonly stderrTail: string;
  constructor(command: string, exitCode: number | undefined, stderrTail: string, options?: { cause?: unknown }) {
    super('RCLONE_FAILED', `\`${command}\` failed (exit ${exitCode ?? 'signal'}): ${stderrTail}`, options);
    this.name = 'RcloneError';
    this.command = command;
    this.exitCode = exitCode;
    this.stderrTail = stderrTail;
  }
}

/**
 * A source's copy does not match the manifest (more or fewer bytes, or another sha256): the copy is not kept, so a
 * corrupt source is never replicated. `actual` holds what was read, as far as it is known.
 */
export class SourceCorruptError extends StorageError {
  readonly key: string;
  readonly expected: { size: number; sha256: string };
  readonly actual: { sha256?: string };
  constructor(
    key: string,
    expected: { size: number; sha256: string },
    actual: { sha256?: string },
    message: string,
    options?: { cause?: unknown },
  ) {
    super('SOURCE_CORRUPT', message, options);
    this.name = 'SourceCorruptError';
    this.key = key;
    this.expected = expected;
    this.actual = actual;
  }
}
