// The images of an entry as the site shows them (site/lib/images.ts): public URLs of previews, alt text from the
// metadata, the representative image, and image files without a preview.
import { fc, it as fcIt } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Manifest, Mirror } from '../../schemas/index.ts';
import { contentSecurityPolicyFor, imageOriginsOf } from '../../site/lib/csp.ts';
import { entryImages, previewSummaryLine, countPreviews } from '../../site/lib/images.ts';
import type { PublishedRecord } from '../../site/lib/published.ts';

const sha = (c: string) => c.repeat(64);
const mirrors: Mirror[] = [
  { id: 'eu', kind: 's3', role: 'mirror', bucket: 'b', publicBaseUrl: 'https://eu.example.org/pub' } as Mirror,
  { id: 'main', kind: 'folder', role: 'primary', path: 'x', publicBaseUrl: 'https://data.example.org/bucket/' },
];

const manifest: Manifest = {
  schemaVersion: 1,
  location: { mirror: 'main', prefix: 'BIC0000099/' },
  files: [
    {
      path: 'images/cells plate 1.ome.tiff',
      size: 2_000_000,
      sha256: sha('a'),
      format: 'OME-TIFF',
      role: 'image',
      component: 'c1',
      image: {
        status: 'read',
        format: 'OME-TIFF',
        axes: [
          { name: 'c', type: 'channel', size: 3 },
          { name: 'y', type: 'space', size: 1024, physicalSize: 0.65, unit: 'micrometer' },
          { name: 'x', type: 'space', size: 2048, physicalSize: 0.65, unit: 'micrometer' },
        ],
        dataType: 'uint16',
        channels: [
          { name: 'DAPI', color: '0000FF' },
          { name: 'GFP', color: '00FF00' },
          { name: 'mCherry', color: 'FF0000' },
        ],
      },
    },
    { path: 'tables/counts.csv', size: 10, sha256: sha('b'), format: 'CSV', role: 'analysis' },
    { path: 'em/slice.mrc', size: 5000, sha256: sha('c'), format: 'MRC', role: 'image' },
    { path: 'cells.zarr/.zattrs', size: 300, sha256: sha('d'), format: 'OME-Zarr', role: 'image' },
    { path: 'cells.zarr/0/0.0.0.0', size: 3000, sha256: sha('e'), format: 'OME-Zarr', role: 'image' },
  ],
  derived: [
    {
      path: `.derived/previews/${sha('a')}/preview@1/thumbnail.png`,
      size: 100,
      sha256: sha('1'),
      kind: 'thumbnail',
      of: 'images/cells plate 1.ome.tiff',
      recipe: 'preview@1',
    },
    {
      path: `.derived/previews/${sha('a')}/preview@1/preview.png`,
      size: 1000,
      sha256: sha('2'),
      kind: 'preview',
      of: 'images/cells plate 1.ome.tiff',
      recipe: 'preview@1',
    },
    {
      path: `.derived/previews/${sha('d')}/preview@1/thumbnail.png`,
      size: 100,
      sha256: sha('3'),
      kind: 'thumbnail',
      of: 'cells.zarr/.zattrs',
      recipe: 'preview@1',
    },
  ],
};

describe('entryImages', () => {
  const methodOf = (component?: string) => (component === 'c1' ? 'Fluorescence' : undefined);
  const result = entryImages(manifest, mirrors, { methodOf });

  it('lists the image files, one per OME-Zarr image (its root metadata file), and no tables', () => {
    expect(result.images.map((i) => i.path)).toEqual([
      'images/cells plate 1.ome.tiff',
      'em/slice.mrc',
      'cells.zarr/.zattrs',
    ]);
    expect(result.images[2].name).toBe('cells.zarr');
    expect(result.images[2].downloadUrl).toBeUndefined();
  });

  it('links previews on the primary public mirror, the key URL-encoded', () => {
    const [cells] = result.images;
    expect(cells.thumbnail?.url).toBe(
      `https://data.example.org/bucket/BIC0000099/.derived/previews/${sha('a')}/preview%401/thumbnail.png`,
    );
    expect(cells.preview?.url).toBe(
      `https://data.example.org/bucket/BIC0000099/.derived/previews/${sha('a')}/preview%401/preview.png`,
    );
    expect(cells.downloadUrl).toBe('https://data.example.org/bucket/BIC0000099/images/cells%20plate%201.ome.tiff');
  });

  it('sizes the pictures to the original aspect ratio at 256 and 1024 px on the long side', () => {
    const [cells] = result.images;
    expect(cells.thumbnail).toMatchObject({ width: 256, height: 128 });
    expect(cells.preview).toMatchObject({ width: 1024, height: 512 });
  });

  it('writes the alt text from the metadata', () => {
    expect(result.images[0].alt).toBe(
      'Fluorescence image, 3 channels (DAPI, GFP, mCherry), 2048 × 1024 px, 0.65 µm per pixel',
    );
    expect(result.images[1].alt).toBe('MRC image');
  });

  it('lists image files without a thumbnail, and shows them without one', () => {
    expect(result.missingPreviews).toEqual(['em/slice.mrc']);
    expect(result.images[1].thumbnail).toBeUndefined();
  });

  it('takes the named representative image, else the first', () => {
    expect(result.representative?.path).toBe('images/cells plate 1.ome.tiff');
    expect(entryImages(manifest, mirrors, { representativeImage: 'cells.zarr/.zattrs' }).representative?.path).toBe(
      'cells.zarr/.zattrs',
    );
    expect(entryImages(manifest, mirrors, { representativeImage: 'nope.tif' }).representative?.path).toBe(
      'images/cells plate 1.ome.tiff',
    );
  });

  it('gives no URLs without a public mirror, and no link for a derived path outside .derived/', () => {
    const none = entryImages(manifest, [{ id: 'main', kind: 'folder', role: 'primary', path: 'x' }]);
    expect(none.images[0].thumbnail).toBeUndefined();
    expect(none.images[0].downloadUrl).toBeUndefined();
    const outside = entryImages(
      { ...manifest, derived: [{ ...manifest.derived![0], path: '../BIC0000001/secret.png' }] },
      mirrors,
    );
    expect(outside.images[0].thumbnail).toBeUndefined();
    expect(outside.missingPreviews).toContain('images/cells plate 1.ome.tiff');
  });

  it('summarises missing previews in one line', () => {
    const record = {
      kind: 'entry',
      accession: 'BIC0000099',
      status: 'live',
      data: { components: [] },
      manifest,
    } as unknown as PublishedRecord;
    const count = countPreviews([record], mirrors);
    expect(count).toEqual({ images: 3, withPreview: 2, examples: ['BIC0000099/em/slice.mrc'] });
    expect(previewSummaryLine(count)).toMatch(/^previews: 1 of 3 image file\(s\) have no thumbnail .*slice\.mrc/);
  });
});

describe('the Content-Security-Policy for images', () => {
  it('allows the public mirrors by origin only', () => {
    const origins = imageOriginsOf([
      ...mirrors,
      { id: 'odd', kind: 'folder', role: 'mirror', path: 'y', publicBaseUrl: "https://x.example.org/a; script-src *'" },
    ]);
    expect(origins).toEqual(['https://data.example.org', 'https://eu.example.org', 'https://x.example.org']);
    const policy = contentSecurityPolicyFor(origins);
    expect(policy).toContain(
      "img-src 'self' data: https://data.example.org https://eu.example.org https://x.example.org;",
    );
    expect(policy).not.toContain('script-src *');
  });
});

describe('entryImages on any manifest', () => {
  // A harvested record's manifest is a partner's, checked against the schema only: whatever its paths, every URL
  // stays under the mirror's base and the entry's prefix, and nothing throws.
  const text = fc.string({ unit: 'binary', maxLength: 40 });
  const file = fc.record({
    path: text,
    size: fc.nat(),
    sha256: fc.constant(sha('a')),
    format: fc.constantFrom('PNG', 'OME-TIFF', 'OME-Zarr', 'CSV', 'other'),
    role: fc.constantFrom('image', 'annotation', 'other'),
  });
  const derived = fc.record({
    path: fc.oneof(
      text,
      text.map((t) => `.derived/${t}`),
    ),
    size: fc.nat(),
    sha256: fc.constant(sha('b')),
    kind: fc.constantFrom('thumbnail', 'preview', 'ome-zarr'),
    of: text,
    recipe: fc.constant('preview@1'),
  });
  fcIt.prop([fc.array(file, { maxLength: 8 }), fc.array(derived, { maxLength: 8 }), text])(
    'links only under the mirror and the prefix',
    (files, derivedFiles, representativeImage) => {
      const images = entryImages(
        {
          schemaVersion: 1,
          location: { mirror: 'main', prefix: 'BIC0000099/' },
          files,
          derived: derivedFiles,
        } as Manifest,
        mirrors,
        { representativeImage },
      );
      for (const image of images.images)
        for (const url of [image.thumbnail?.url, image.preview?.url, image.downloadUrl].filter(Boolean) as string[]) {
          expect(url.startsWith('https://data.example.org/bucket/BIC0000099/')).toBe(true);
          expect(new URL(url).pathname.startsWith('/bucket/BIC0000099/')).toBe(true);
        }
      expect(images.missingPreviews.length).toBeLessThanOrEqual(images.images.length);
    },
  );
});
