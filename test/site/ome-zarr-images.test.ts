// Which files of a manifest are OME-Zarr images with a viewer page, their slugs and their public URLs
// (site/lib/ome-zarr-images.ts, rules in docs/image-viewer.md). Slugs are checked for any paths a manifest may hold:
// always URL-safe, never two alike in an entry, the same for the same manifest.
import { fc, it as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Manifest, Mirror } from '../../schemas/index.ts';
import { demoManifest } from '../../catalog/demo/data.ts';
import { viewerContentSecurityPolicy } from '../../site/lib/csp.ts';
import { mirrorOrigins, omeZarrImages, slugOf } from '../../site/lib/ome-zarr-images.ts';

const mirrors: Mirror[] = [
  {
    id: 'backup',
    kind: 's3',
    role: 'mirror',
    endpoint: 'https://s3.example',
    bucket: 'b',
    publicBaseUrl: 'https://backup.example/b/',
  },
  { id: 'local', kind: 'folder', role: 'primary', path: 'x', publicBaseUrl: 'https://data.example/files' },
  { id: 'private', kind: 's3', role: 'mirror', endpoint: 'https://s3.example', bucket: 'p' },
];
const sha = (n: number) => n.toString(16).padStart(64, '0');
const file = (path: string, extra: Partial<Manifest['files'][number]> = {}): Manifest['files'][number] => ({
  path,
  size: 1,
  sha256: sha(1),
  format: 'OME-Zarr',
  role: 'image',
  ...extra,
});

/** The demo entry with both image versions, rendered once (it writes every pixel to hash it). */
let demo: Manifest | undefined;
const demoEntry = () => (demo ??= demoManifest('BIC0000059'));

describe('omeZarrImages', () => {
  it('finds the demo entry’s 0.4 and 0.5 images, with their metadata files, on the primary public mirror', () => {
    const images = omeZarrImages(demoEntry(), mirrors);
    expect(images.map((i) => [i.slug, i.root, i.zarrVersion, i.source])).toEqual([
      ['kidney_01-ome-zarr', 'kidney_01.ome.zarr', 2, 'submitted'],
      ['kidney_02-ome-zarr', 'kidney_02.ome.zarr', 3, 'submitted'],
    ]);
    expect(images[1].url).toBe('https://data.example/files/BIC0000059/kidney_02.ome.zarr/');
    expect(images[0].metadataKeys).toEqual(['.zgroup', '.zattrs', '0/.zarray', '1/.zarray']);
    expect(images[1].metadataKeys).toEqual(['zarr.json', '0/zarr.json', '1/zarr.json', '2/zarr.json']);
  });

  it('takes converted images from `derived`, leaves out plates, arrays and other formats; slugs unique', () => {
    const manifest: Manifest = {
      schemaVersion: 1,
      location: { mirror: 'local', prefix: 'BIC0000013/' },
      files: [
        file('a/b.zarr/.zattrs'),
        file('a-b.zarr/.zattrs'),
        file('a/b.zarr/0/.zarray'),
        file('plate.zarr/.zattrs', { image: { status: 'read', format: 'OME-Zarr', isPlate: true } }),
        file('notes.zarr/zarr.json', { format: 'other' }),
        file('images/cell 01.tif', { format: 'TIFF' }),
      ],
      derived: [
        {
          path: `.derived/ome-zarr/${sha(2)}/ome-zarr@1/cell 01.ome.zarr/zarr.json`,
          size: 1,
          sha256: sha(3),
          kind: 'ome-zarr',
          of: 'images/cell 01.tif',
          recipe: 'ome-zarr@1',
        },
        {
          path: `.derived/ome-zarr/${sha(2)}/ome-zarr@1/cell 01.ome.zarr/0/zarr.json`,
          size: 1,
          sha256: sha(4),
          kind: 'ome-zarr',
          of: 'images/cell 01.tif',
          recipe: 'ome-zarr@1',
        },
        {
          path: `.derived/previews/${sha(2)}/preview@1/thumbnail.png`,
          size: 1,
          sha256: sha(5),
          kind: 'thumbnail',
          of: 'images/cell 01.tif',
          recipe: 'preview@1',
        },
      ],
    };
    const images = omeZarrImages(manifest, mirrors);
    expect(images.map((i) => [i.slug, i.source, i.zarrVersion])).toEqual([
      ['a-b-zarr', 'submitted', 2],
      ['a-b-zarr-2', 'submitted', 2],
      ['converted-images-cell-01-tif', 'converted', 3],
    ]);
    expect(images[2].url).toBe(
      `https://data.example/files/BIC0000013/.derived/ome-zarr/${sha(2)}/ome-zarr%401/cell%2001.ome.zarr/`,
    );
    expect(images[2].metadataKeys).toEqual(['zarr.json', '0/zarr.json']);
  });

  it('gives no URL without a public mirror, and no images without a manifest', () => {
    const images = omeZarrImages(demoEntry(), [mirrors[2]]);
    expect(images).toHaveLength(2);
    expect(images.every((i) => i.url === undefined)).toBe(true);
    expect(omeZarrImages(undefined, mirrors)).toEqual([]);
  });

  it('names the public mirrors’ origins in the viewer’s connect-src, and nothing else changes', () => {
    const origins = mirrorOrigins(mirrors);
    expect(origins).toEqual(['https://data.example', 'https://backup.example']);
    const policy = viewerContentSecurityPolicy(origins);
    expect(policy).toContain("connect-src 'self' https://data.example https://backup.example;");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain('unsafe-inline');
  });

  // Path segments the manifest path rule allows (no control characters, no < > : " | ? * \ /, no edge spaces).
  const pathSegment = fc
    .string({ unit: fc.constantFrom(...'aZ09_-. é漢@#%+'.split('')), minLength: 1, maxLength: 12 })
    .filter((s) => !/^\.+$|^ | $|\.$/.test(s));
  const imagePath = fc
    .tuple(fc.array(pathSegment, { maxLength: 3 }), pathSegment, fc.constantFrom('.zattrs', 'zarr.json'))
    .map(([folders, name, metadata]) => [...folders, `${name}.zarr`, metadata].join('/'));

  property.prop([fc.uniqueArray(imagePath, { maxLength: 12, selector: (p) => p.toLowerCase() })])(
    'any image paths get URL-safe, unique, stable slugs',
    (paths) => {
      const manifest: Manifest = {
        schemaVersion: 1,
        location: { mirror: 'local', prefix: 'BIC0000013/' },
        files: paths.map((path) => file(path)),
      };
      const slugs = omeZarrImages(manifest, mirrors).map((i) => i.slug);
      for (const slug of slugs) expect(slug).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(new Set(slugs).size).toBe(slugs.length);
      expect(omeZarrImages(manifest, mirrors).map((i) => i.slug)).toEqual(slugs);
    },
  );

  it('slugOf keeps letters, digits and _, and never returns an empty slug', () => {
    expect(slugOf('live/explant_01.ome.zarr')).toBe('live-explant_01-ome-zarr');
    expect(slugOf('Zellkern über.zarr')).toBe('Zellkern-ber-zarr');
    expect(slugOf('...')).toBe('image');
  });
});
