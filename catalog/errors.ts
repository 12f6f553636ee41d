/** Base error of the catalog layer: a stable `code` and the underlying `cause`. */
export class CatalogError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogError';
    this.code = code;
  }
}

/** A file could not be read or parsed; `line` and `column` are 1-based where known, `pointer` (RFC 6901) too. */
export class SourceFileError extends CatalogError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  /** How to fix it, when there is a fix. */
  readonly fix?: string;
  constructor(code: string, file: string, message: string, where: { line?: number; column?: number; pointer?: string; fix?: string } = {}, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'SourceFileError';
    this.file = file;
    this.line = where.line;
    this.column = where.column;
    this.pointer = where.pointer;
    this.fix = where.fix;
  }
}
