// The preview recipe `preview@1`: for an image, a thumbnail (256 px on the long side) and a preview (1024 px) as
// PNG, drawn from one plane (the middle z section of the first time point, every channel up to eight) read at
// the smallest resolution level that covers 1024 px. Changing anything that changes the bytes changes the version,
// so that previews made by another recipe are stored beside these, never mistaken for them.
import sharp from 'sharp';
import { maxPlanePixels, type Plane } from './plane.ts';
import { readMrcPlane } from './planes-mrc.ts';
import { readTiffPlane } from './planes-tiff.ts';
import { readZarrPlane, type ZarrSource } from './planes-zarr.ts';
import { asPreviewError, PreviewError } from './preview-error.ts';
import { previewSizes, type PreviewFormat } from './preview-recipe.ts';
import { compositeRgb, toPng } from './render.ts';

export * from './preview-recipe.ts';

/** The image to draw: a file on disk, or the files of an OME-Zarr image. */
export type PreviewSource =
  | { format: Exclude<PreviewFormat, 'OME-Zarr'>; file: string }
  | { format: 'OME-Zarr'; zarr: ZarrSource };

export interface Previews {
  thumbnail: Buffer;
  preview: Buffer;
}

export interface RenderOptions {
  /** Largest plane read (pixels), default maxPlanePixels (256 Mi). */
  maxPixels?: number;
}

/** Both pictures of the recipe for one image; throws PreviewError when it cannot be drawn. */
export async function renderPreviews(source: PreviewSource, options: RenderOptions = {}): Promise<Previews> {
  const maxPixels = options.maxPixels ?? maxPlanePixels;
  if (source.format === 'PNG' || source.format === 'JPEG') return renderPicture(source.file, maxPixels);
  const target = previewSizes.preview;
  const plane: Plane =
    source.format === 'OME-Zarr'
      ? await readZarrPlane(source.zarr, { target, maxPixels })
      : source.format === 'MRC'
        ? await readMrcPlane(source.file, { maxPixels })
        : await readTiffPlane(source.file, { target, maxPixels });
  const rgb = compositeRgb(plane);
  return {
    thumbnail: await toPng(rgb, plane.width, plane.height, previewSizes.thumbnail),
    preview: await toPng(rgb, plane.width, plane.height, previewSizes.preview),
  };
}

/** PNG and JPEG are drawn by sharp as they are: colours kept, EXIF orientation applied, 16-bit made 8-bit. */
async function renderPicture(file: string, maxPixels: number): Promise<Previews> {
  return asPreviewError('the picture', async () => {
    const input = sharp(file, { limitInputPixels: maxPixels, failOn: 'error' });
    const metadata = await input.metadata();
    if (!metadata.width || !metadata.height) throw new PreviewError('PREVIEW_UNREADABLE', 'the picture has no size');
    const { data, info } = await input
      .rotate()
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new PreviewError('PREVIEW_UNSUPPORTED', `the picture has ${info.channels} channels after conversion`);
    return {
      thumbnail: await toPng(data, info.width, info.height, previewSizes.thumbnail),
      preview: await toPng(data, info.width, info.height, previewSizes.preview),
    };
  });
}
