// Which images of a manifest get previews, and which have them: pure, from the manifest alone.
import { describe, expect, it } from 'vitest';
import { previewPath } from '../../images/preview-recipe.ts';
import type { Manifest, ManifestFile } from '../../schemas/index.ts';
import { findPicture, previewTargets } from '../../storage/preview-status.ts';

const sha = (n: number) => n.toString(16).padStart(64, '0');
const file = (path: string, format: ManifestFile['format'], n: number, extra: Partial<ManifestFile> = {}) =>
  ({ path, size: 10, sha256: sha(n), format, role: format === 'CSV' ? 'analysis' : 'image', ...extra }) as ManifestFile;

const manifest: Manifest = {
  schemaVersion: 1,
  location: { mirror: 'local', prefix: 'BIC0000013/' },
  files: [
    file('a.ome.tif', 'OME-TIFF', 1),
    file('copy-of-a.ome.tif', 'OME-TIFF', 1),
    file('b.czi', 'CZI', 2),
    file('img.ome.zarr/.zattrs', 'OME-Zarr', 3),
    file('img.ome.zarr/.zgroup', 'OME-Zarr', 4),
    file('img.ome.zarr/0/.zarray', 'OME-Zarr', 5),
    file('img.ome.zarr/labels/.zattrs', 'OME-Zarr', 6),
    file('img.ome.zarr/labels/cells/.zattrs', 'OME-Zarr', 7),
    file('v05.ome.zarr/zarr.json', 'OME-Zarr', 8),
    file('v05.ome.zarr/0/zarr.json', 'OME-Zarr', 9),
    file('plate.ome.zarr/.zattrs', 'OME-Zarr', 10, {
      image: { status: 'read', format: 'OME-Zarr', isPlate: true },
    }),
    file('table.csv', 'CSV', 11),
  ],
};

describe('previewTargets', () => {
  it('takes images in drawable formats and the root metadata file of each OME-Zarr image, not plates', () => {
    expect(previewTargets(manifest).map((t) => [t.file.path, t.zarrRoot])).toEqual([
      ['a.ome.tif', undefined],
      ['copy-of-a.ome.tif', undefined],
      ['img.ome.zarr/.zattrs', 'img.ome.zarr/'],
      ['v05.ome.zarr/zarr.json', 'v05.ome.zarr/'],
    ]);
  });
});

describe('findPicture', () => {
  it('finds the pictures of the current recipe at their address; identical files share theirs', () => {
    const pictures = (of: string, n: number) =>
      (['thumbnail', 'preview'] as const).map((kind) => ({
        path: previewPath(sha(n), kind),
        size: 5,
        sha256: sha(100),
        kind,
        of,
        recipe: 'preview@1',
      }));
    const withPictures = {
      ...manifest,
      derived: [
        ...pictures('a.ome.tif', 1),
        // Another recipe's pictures are not the current recipe's.
        ...pictures('img.ome.zarr/.zattrs', 3).map((d) => ({ ...d, recipe: 'preview@0' })),
        ...pictures('v05.ome.zarr/zarr.json', 8).slice(0, 1),
      ],
    };
    const found = previewTargets(withPictures).filter((t) => findPicture(withPictures, t.file, 'preview'));
    expect(found.map((t) => t.file.path)).toEqual(['a.ome.tif', 'copy-of-a.ome.tif']);
    const copy = withPictures.files.find((f) => f.path === 'copy-of-a.ome.tif')!;
    expect(findPicture(withPictures, copy, 'thumbnail')).toMatchObject({ path: previewPath(sha(1), 'thumbnail') });
    const zarr = withPictures.files.find((f) => f.path === 'img.ome.zarr/.zattrs')!;
    expect(findPicture(withPictures, zarr, 'thumbnail')).toBeUndefined();
  });
});
