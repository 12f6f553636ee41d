// The one error of preview making: an image whose pixels cannot be drawn (an unsupported layout, a plane too large
// to read within the memory bound, bytes that are not what their format says). The storage layer turns it into a
// line of its report; the image simply has no preview.

import { ImageError } from './errors.ts';

export type PreviewErrorCode = 'PREVIEW_UNSUPPORTED' | 'PREVIEW_TOO_LARGE' | 'PREVIEW_UNREADABLE';

export class PreviewError extends ImageError {
  declare readonly code: PreviewErrorCode;

  constructor(code: PreviewErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'PreviewError';
  }
}

/** Runs a reader and turns whatever a library throws on hostile bytes into PREVIEW_UNREADABLE. */
export async function asPreviewError<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PreviewError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new PreviewError('PREVIEW_UNREADABLE', `cannot read the pixels of ${what}: ${reason}`, { cause: error });
  }
}
