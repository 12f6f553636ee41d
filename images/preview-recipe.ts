// The name, sizes and keys of the preview recipe, apart from the rendering (preview.ts, which needs sharp) so that
// the site can say which images have previews without loading any image library.

export const previewRecipe = 'preview@1';

/** Long side of each picture, in pixels. */
export const previewSizes = { thumbnail: 256, preview: 1024 } as const;

export type PreviewKind = keyof typeof previewSizes;

/** Formats (the manifest's `format`) that have previews. */
export const previewFormats = ['TIFF', 'OME-TIFF', 'OME-Zarr', 'MRC', 'PNG', 'JPEG'] as const;

export type PreviewFormat = (typeof previewFormats)[number];

export function hasPreviewFormat(format: string): format is PreviewFormat {
  return (previewFormats as readonly string[]).includes(format);
}

/**
 * Path of a picture relative to the entry's prefix, addressed by the original's sha256 and the recipe: the same
 * original with the same recipe is the same object, whatever its name or entry.
 */
export function previewPath(originalSha256: string, kind: PreviewKind, recipe = previewRecipe): string {
  return `.derived/previews/${originalSha256}/${recipe}/${kind}.png`;
}
