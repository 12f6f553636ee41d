// A preview maker for the demo's tests and screenshots (catalog/demo/previews.ts DemoPreviewMaker), drawn with sharp
// straight from the files sharp can read (PNG, and the first page of a TIFF), at the keys and sizes of the preview
// contract: .derived/previews/<sha256 of the original>/preview@1/thumbnail.png (256 px on the long side) and
// preview.png (1024 px). Other formats get none, as an image the catalogue cannot draw.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import type { DerivedFile } from '../../schemas/index.ts';
import type { DemoPreviewMaker } from '../../catalog/demo/previews.ts';

const drawable = new Set(['PNG', 'TIFF', 'OME-TIFF']);

/**
 * The plane a viewer opens first, stretched for display: the middle z-plane of the first channel (OME-TIFF,
 * XYZCT: page SizeZ / 2), else the first page; 16-bit values mapped from their 0.5th to 99.5th percentile to 0-255.
 */
async function displayed(bytes: Buffer, format: string): Promise<Sharp> {
  const sizeZ = format === 'OME-TIFF' ? Number(/SizeZ="(\d+)"/.exec(bytes.toString('latin1', 0, 4096))?.[1] ?? 1) : 1;
  const page = Math.floor(sizeZ / 2);
  if ((await sharp(bytes).metadata()).channels !== 1) return sharp(bytes, { page });
  // As 16-bit grey: without it sharp converts to 8-bit sRGB first, and a 12-bit range comes out nearly black.
  const { data, info } = await sharp(bytes, { page })
    .toColourspace('grey16')
    .raw({ depth: 'ushort' })
    .toBuffer({ resolveWithObject: true });
  const values = new Uint16Array(data.buffer, data.byteOffset, data.length / 2);
  const sorted = [...values].sort((a, b) => a - b);
  const low = sorted[Math.floor(sorted.length * 0.005)];
  const high = Math.max(low + 1, sorted[Math.floor(sorted.length * 0.995)]);
  const grey = Buffer.from(Array.from(values, (v) => Math.max(0, Math.min(255, ((v - low) / (high - low)) * 255))));
  return sharp(grey, { raw: { width: info.width, height: info.height, channels: 1 } });
}

export const sharpPreviews: DemoPreviewMaker = async ({ bucket, manifest }) => {
  const derived: DerivedFile[] = [];
  for (const file of manifest.files) {
    if (file.role !== 'image' || !drawable.has(file.format)) continue;
    const bytes = await readFile(join(bucket, manifest.location.prefix, ...file.path.split('/')));
    for (const [kind, side] of [
      ['thumbnail', 256],
      ['preview', 1024],
    ] as const) {
      const picture = await (await displayed(bytes, file.format))
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
