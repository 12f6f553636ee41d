// Errors of the storage layer: one base error with a stable `code` and the `cause`; subclasses add plain fields.

/** Base error of storage/: what was asked, what came back. */
export class StorageError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
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
  constructor(code: string, file: string, message: string, line?: number) {
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
    super('CREDENTIALS_MISSING', `mirror '${mirror}': the environment variable ${variable} is not set; storage/mirrors.yaml names it for this mirror's credentials. Set it (export ${variable}=...) and run again.`);
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
