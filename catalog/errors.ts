// Errors of the catalog layer: one base with a stable `code` and the `cause`; subclasses add plain readonly fields
// so that they serialise (JSON.stringify copies own fields, never a getter).
import type { LayoutIssueCode } from './layout.ts';
import type { PrefixProblemCode } from './prefixes.ts';

/** What went wrong reading a file: the codes a SourceFileError carries. */
export type SourceFileErrorCode =
  | 'FILE_TOO_LARGE'
  | 'FILE_UNREADABLE'
  | 'ENCODING_INVALID'
  | 'TOO_DEEP'
  | 'NOT_A_FILE'
  | 'NOT_A_FOLDER'
  | 'SPECIAL_FILE'
  | 'SYMLINK_REFUSED'
  | 'PATH_OUTSIDE'
  | 'JSON_SYNTAX'
  | 'YAML_SYNTAX'
  | 'YAML_ALIAS'
  | 'ENTRY_NOT_A_MAPPING'
  | 'PAGETAB_NOT_A_STUDY';

/**
 * Every code a CatalogError carries. `mint` refuses a catalogue with a layout issue or a shared prefix under the
 * code `check` reports for it.
 */
export type CatalogErrorCode =
  | SourceFileErrorCode
  | LayoutIssueCode
  | PrefixProblemCode
  | 'CHECK_REPORT_INVALID'
  | 'ACCESSIONS_EXHAUSTED'
  | 'ACCESSION_INVALID'
  | 'DUPLICATE_ACCESSION'
  | 'ENTRY_NOT_FOUND'
  | 'LEDGER_INVALID'
  | 'PARTNERS_INVALID'
  | 'PARTNERS_UNREADABLE'
  | 'REASON_TOO_SHORT'
  | 'SUBMISSION_INVALID';

/** Base error of the catalog layer: a stable `code` and the underlying `cause`. */
export class CatalogError extends Error {
  readonly code: CatalogErrorCode;
  constructor(code: CatalogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CatalogError';
    this.code = code;
  }
}

/** A file could not be read or parsed; `line` and `column` are 1-based where known, `pointer` (RFC 6901) too. */
export class SourceFileError extends CatalogError {
  declare readonly code: SourceFileErrorCode;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly pointer?: string;
  /** How to fix it, when there is a fix. */
  readonly fix?: string;
  constructor(
    code: SourceFileErrorCode,
    file: string,
    message: string,
    where: { line?: number; column?: number; pointer?: string; fix?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'SourceFileError';
    this.file = file;
    this.line = where.line;
    this.column = where.column;
    this.pointer = where.pointer;
    this.fix = where.fix;
  }
}
