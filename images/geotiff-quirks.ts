// Two ways geotiff 3.0 misreads TIFF files that libtiff and tifffile read, set right before any pixel is read. Both
// the preview (planes-tiff.ts) and the OME-Zarr converter (convert/tiff-source.ts) read pixels through geotiff, and
// both meet these files: Bio-Formats writes big-endian OME-TIFFs, and one SampleFormat for all samples.
import type { GeoTIFF, GeoTIFFImage } from 'geotiff';

/**
 * geotiff 3.0 reads the arrays of a tag that it loads lazily (StripOffsets, StripByteCounts... past the first
 * kilobyte of the directory) as little-endian whatever the file's byte order (geotiffjs/geotiff.js#535): a
 * big-endian file's strips would be read at the wrong offsets and lengths. Its directories are therefore parsed
 * eagerly, which reads every tag in the file's byte order. Call before the first `getImage`.
 */
export function readTagsInFileByteOrder(tiff: GeoTIFF): void {
  if (!tiff.littleEndian) (tiff.parser as unknown as { eager: boolean }).eager = true;
}

/**
 * TIFF 6.0 gives SampleFormat and BitsPerSample one value per sample, but writers (Bio-Formats among them) often
 * write one value for all; geotiff reads the value of each sample by its index, so the one value is repeated.
 */
export function fillPerSampleTags(image: GeoTIFFImage): void {
  const samples = image.getSamplesPerPixel();
  const fields = (image.fileDirectory as unknown as { actualizedFields: Map<number, unknown> }).actualizedFields;
  for (const tag of [258, 339]) {
    const values = fields.get(tag) as ArrayLike<number> | undefined;
    if (values && values.length > 0 && values.length < samples)
      fields.set(
        tag,
        Uint16Array.from({ length: samples }, () => values[0]),
      );
  }
}
