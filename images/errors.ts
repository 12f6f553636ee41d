// The base error of the images layer, ImageError, with a stable `code`; three kinds extend it: a header reader given
// bytes that are not what their format says (ImageReadError, here), a preview that cannot be drawn (PreviewError,
// preview-error.ts) and a conversion that cannot be made (ImageConvertError, convert/errors.ts). Anything else
// the layer throws is a bug.
import type { ImageConvertErrorCode } from './convert/errors.ts';
import type { PreviewErrorCode } from './preview-error.ts';

export type ImageReadErrorCode =
  /** The file ends before the header or metadata it announces. */
  | 'TRUNCATED'
  /** The header is not what the format requires (a bad magic number, offset or size). */
  | 'MALFORMED'
  /** The metadata announces more than a reader reads (bytes, pages, nesting): see the bounds in byte-source.ts. */
  | 'TOO_LARGE'
  /** The range reader failed (the file vanished, a permission, the network). */
  | 'READ_FAILED';

export type ImageErrorCode = ImageReadErrorCode | PreviewErrorCode | ImageConvertErrorCode;

export class ImageError extends Error {
  readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

export class ImageReadError extends ImageError {
  declare readonly code: ImageReadErrorCode;

  constructor(code: ImageReadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ImageReadError';
  }
}
