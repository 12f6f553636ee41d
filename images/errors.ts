// The one error of the images layer. A reader given bytes that are not what their format says throws an
// ImageReadError with a stable `code`; anything else a reader throws is a bug.

export type ImageReadErrorCode =
  /** The file ends before the header or metadata it announces. */
  | 'TRUNCATED'
  /** The header is not what the format requires (a bad magic number, offset or size). */
  | 'MALFORMED'
  /** The metadata announces more than a reader reads (bytes, pages, nesting): see the bounds in byte-source.ts. */
  | 'TOO_LARGE'
  /** The range reader failed (the file vanished, a permission, the network). */
  | 'READ_FAILED';

export class ImageReadError extends Error {
  override readonly name = 'ImageReadError';
  readonly code: ImageReadErrorCode;

  constructor(code: ImageReadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
