// What the catalogue knows of an image, read from the file's own bytes. The shapes are the manifest's
// (schemas/manifest.schema.json, `image` of a file), shared by the readers, the submission checks, the previews
// and the site. Field names follow OME-NGFF 0.5 where it has one (axes with `name`, `type` and `unit`; `omero`
// channels with a colour as six hexadecimal digits).
import type { ImageAxis, ImageChannel, ImageMetadata } from '../schemas/types.ts';

export type { ImageAxis, ImageChannel, ImageMetadata };

/** The element type of the pixel data, named as numpy and zarr name them. */
export type PixelType = NonNullable<ImageMetadata['dataType']>;
