// The one entry point of the readers: a file's image metadata from its own bytes, or undefined when it is not
// an image. Formats the catalogue reads get `status: read`; formats it only recognises (DM3, DM4, CZI, ND2, LIF,
// HDF5: no maintained JavaScript reader of their metadata exists) get `status: recognised` (docs/images.md).
import { boundedSource, type ByteBudget, type ByteSource } from './byte-source.ts';
import { fitMetadata } from './fit-metadata.ts';
import { detectImageFormat, detectionBytes, type ImageFormat } from './detect.ts';
import { readMrc } from './mrc.ts';
import { readRaster } from './raster.ts';
import { readTiff } from './tiff.ts';
import type { ImageMetadata } from './types.ts';

const recognisedOnly = new Set<ImageFormat>(['DM3', 'DM4', 'CZI', 'ND2', 'LIF', 'HDF5']);

/**
 * Detects the format of `source` and reads its header. Throws an ImageReadError when the bytes are not what the
 * format says; returns undefined when the file is no image format the catalogue knows.
 */
export async function readImageMetadata(source: ByteSource, budget?: ByteBudget): Promise<ImageMetadata | undefined> {
  const metadata = await readDetected(source, budget);
  return metadata && fitMetadata(metadata);
}

async function readDetected(source: ByteSource, budget?: ByteBudget): Promise<ImageMetadata | undefined> {
  const bounded = boundedSource(source, budget);
  const head = await bounded.read(0, detectionBytes);
  const format = detectImageFormat(source.name, head);
  if (format === undefined) return undefined;
  if (recognisedOnly.has(format)) return { status: 'recognised', format };
  if (format === 'TIFF') return readTiff(bounded);
  if (format === 'MRC') return readMrc(bounded);
  if (format === 'PNG' || format === 'JPEG') return readRaster(bounded, format);
  return { status: 'recognised', format };
}
