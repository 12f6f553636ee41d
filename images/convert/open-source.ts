// The reader of an original image, chosen from its first bytes (and the MRC extension, whose magic is optional
// in older files).
import { open } from 'node:fs/promises';
import { ImageConvertError } from './errors.ts';
import { openMrc } from './mrc-source.ts';
import type { PixelSource } from './pixel-source.ts';
import { openRaster } from './raster-source.ts';
import { openTiff } from './tiff-source.ts';

/** Opens `path`; `name` is how messages name the file (its manifest path). */
export async function openPixelSource(path: string, name: string): Promise<PixelSource> {
  const head = Buffer.alloc(212);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const tiff = head.subarray(0, 4).toString('latin1');
  if (['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(tiff)) return openTiff(path, name);
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return openRaster(path, name);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return openRaster(path, name);
  if (head.subarray(208, 212).toString('latin1') === 'MAP ' || /\.(mrc|mrcs|map|rec|st)$/i.test(name))
    return openMrc(path, name);
  throw new ImageConvertError(
    'FORMAT_UNSUPPORTED',
    name,
    'is not TIFF, OME-TIFF, PNG, JPEG or MRC; only those formats are converted to OME-Zarr',
  );
}
