// A preview maker for the demo's tests and screenshots (catalog/demo/previews.ts DemoPreviewMaker), drawn with sharp
// straight from the files sharp can read (PNG, and the first page of a TIFF), at the keys and sizes of the preview
// contract: .derived/previews/<sha256 of the original>/preview@1/thumbnail.png (256 px on the long side) and
// preview.png (1024 px). Other formats get none, as an image the catalogue cannot draw.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { DerivedFile } from '../../schemas/index.ts';
import type { DemoPreviewMaker } from '../../catalog/demo/previews.ts';

const drawable = new Set(['PNG', 'TIFF', 'OME-TIFF']);

export const sharpPreviews: DemoPreviewMaker = async ({ bucket, manifest }) => {
  const derived: DerivedFile[] = [];
  for (const file of manifest.files) {
    if (file.role !== 'image' || !drawable.has(file.format)) continue;
    const bytes = await readFile(join(bucket, manifest.location.prefix, ...file.path.split('/')));
    for (const [kind, side] of [
      ['thumbnail', 256],
      ['preview', 1024],
    ] as const) {
      // 16-bit pages hold a 12-bit camera range: stretched to the full range, as a viewer's auto-contrast does.
      const picture = await sharp(bytes, { page: 0 })
        .normalise()
        .resize(side, side, { fit: 'inside', withoutEnlargement: true })
        .png()
        .toBuffer();
      const path = `.derived/previews/${file.sha256}/preview@1/${kind}.png`;
      const target = join(bucket, manifest.location.prefix, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, picture);
      const sha256 = createHash('sha256').update(picture).digest('hex');
      derived.push({ path, size: picture.length, sha256, kind, of: file.path, recipe: 'preview@1' });
    }
  }
  return derived;
};
