// The images of the site fixture's entry BIC0000059: three real PNGs (fixtures/images/, README there), their
// manifest items with the metadata images/ reads, and their thumbnails and previews drawn with sharp as the
// preview recipe preview@1 draws them (about 256 and 1024 px on the long side). make-fixture-catalogue.ts writes
// the manifest; global-setup.ts writes the objects into a bucket folder that a second server publishes.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { DerivedFile, ManifestFile } from '../../schemas/index.ts';

export const imagesAccession = 'BIC0000059';
const imagesDir = join(import.meta.dirname, 'fixtures/images');

const originals: { file: string; image: ManifestFile['image'] }[] = [
  {
    file: 'cell.png',
    image: {
      status: 'read',
      format: 'PNG',
      axes: [
        { name: 'y', type: 'space', size: 660, physicalSize: 0.107, unit: 'micrometer' },
        { name: 'x', type: 'space', size: 550, physicalSize: 0.107, unit: 'micrometer' },
      ],
      dataType: 'uint8',
      channels: [{ name: 'phase' }],
    },
  },
  {
    file: 'ihc.png',
    image: {
      status: 'read',
      format: 'PNG',
      axes: [
        { name: 'y', type: 'space', size: 512 },
        { name: 'x', type: 'space', size: 512 },
        { name: 'c', type: 'channel', size: 3 },
      ],
      dataType: 'rgb8',
      channels: [{ name: 'red' }, { name: 'green' }, { name: 'blue' }],
    },
  },
  {
    file: 'microaneurysms.png',
    image: {
      status: 'read',
      format: 'PNG',
      axes: [
        { name: 'y', type: 'space', size: 102 },
        { name: 'x', type: 'space', size: 102 },
      ],
      dataType: 'uint8',
    },
  },
];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A PNG of `bytes` at most `longSide` px on its long side. */
const drawn = (bytes: Uint8Array, longSide: number) =>
  sharp(bytes).resize(longSide, longSide, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();

export interface FixtureImages {
  files: ManifestFile[];
  derived: DerivedFile[];
  /** Every object to publish, keyed by its path in the entry's prefix. */
  objects: { path: string; bytes: Uint8Array }[];
}

export async function fixtureImages(component: string): Promise<FixtureImages> {
  const out: FixtureImages = { files: [], derived: [], objects: [] };
  for (const original of originals) {
    const bytes = await readFile(join(imagesDir, original.file));
    const path = `images/${original.file}`;
    const hash = sha256(bytes);
    out.files.push({
      path,
      size: bytes.length,
      sha256: hash,
      format: 'PNG',
      component,
      role: 'image',
      image: original.image,
    });
    out.objects.push({ path, bytes });
    for (const [kind, longSide] of [
      ['thumbnail', 256],
      ['preview', 1024],
    ] as const) {
      const picture = await drawn(bytes, longSide);
      const derivedPath = `.derived/previews/${hash}/preview@1/${kind}.png`;
      out.derived.push({
        path: derivedPath,
        size: picture.length,
        sha256: sha256(picture),
        kind,
        of: path,
        recipe: 'preview@1',
      });
      out.objects.push({ path: derivedPath, bytes: picture });
    }
  }
  return out;
}
