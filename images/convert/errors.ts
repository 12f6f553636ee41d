// Errors of the OME-Zarr conversion: one base error with a stable `code`; the message names the file and what to do.

import { ImageError } from '../errors.ts';

export type ImageConvertErrorCode =
  | 'FORMAT_UNSUPPORTED'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TRUNCATED'
  | 'IMAGE_INVALID'
  | 'PIXEL_TYPE_UNSUPPORTED';

export class ImageConvertError extends ImageError {
  declare readonly code: ImageConvertErrorCode;
  /** The file being converted, as the caller named it. */
  readonly file: string;
  constructor(code: ImageConvertErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(code, `${file}: ${message}`, options);
    this.name = 'ImageConvertError';
    this.file = file;
  }
}
