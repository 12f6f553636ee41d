// The annotation checks on their own: OME-Zarr label images recognised by their place in the image
// (OME-NGFF 0.5 "labels"), folder references, and the warnings about a labels group and the annotated image.
import { describe, expect, it } from 'vitest';
import { annotationManifestFindings, ManifestPaths, omeZarrLabelsOf } from '../../catalog/checks/annotations.ts';
import type { Entry, Manifest } from '../../schemas/index.ts';

const manifestOf = (...paths: string[]) => ({ files: paths.map((path) => ({ path })) }) as unknown as Manifest;
const entryWith = (files: string[], sourceImages?: string[]) =>
  ({
    annotations: [
      { id: 'a', title: 'Masks', overview: 'Nucleus masks', types: ['segmentation_mask'], files, sourceImages },
    ],
  }) as unknown as Entry;
const codes = (entry: Entry, manifest: Manifest) =>
  annotationManifestFindings(entry, manifest).map((f) => `${f.code} ${f.pointer}`);

describe('omeZarrLabelsOf', () => {
  it.each([
    ['cells.zarr/labels/nuclei/0/0/0', { image: 'cells.zarr/', name: 'nuclei' }],
    ['plate/A1.ome.zarr/labels/cells/', { image: 'plate/A1.ome.zarr/', name: 'cells' }],
    ['cells.zarr/0/0/0', undefined],
    ['labels/nuclei.tif', undefined],
  ])('%s', (path, expected) => expect(omeZarrLabelsOf(path)).toEqual(expected));
});

describe('ManifestPaths', () => {
  const paths = new ManifestPaths(['b/x', 'a/one', 'a/two', 'ab']);
  it('resolves a file exactly and a folder by any file below it', () => {
    expect(paths.resolves('a/one')).toBe(true);
    expect(paths.resolves('a/')).toBe(true);
    expect(paths.resolves('a')).toBe(false);
    expect(paths.resolves('c/')).toBe(false);
    expect(paths.resolves('b/x/')).toBe(false);
  });
});

describe('annotationManifestFindings', () => {
  const zarr = ['cells.zarr/zarr.json', 'cells.zarr/labels/zarr.json', 'cells.zarr/labels/nuclei/zarr.json'];

  it('accepts labels in a labels group that has its metadata, with their image among the sources', () => {
    expect(codes(entryWith(['cells.zarr/labels/nuclei/'], ['cells.zarr/']), manifestOf(...zarr))).toEqual([]);
  });

  it('warns when the labels group has no metadata of its own', () => {
    const manifest = manifestOf('cells.zarr/zarr.json', 'cells.zarr/labels/nuclei/zarr.json');
    expect(codes(entryWith(['cells.zarr/labels/nuclei/']), manifest)).toEqual([
      'ANNOTATION_LABELS_GROUP /annotations/0/files/0',
    ]);
  });

  it('warns when the sources leave out the image the labels belong to', () => {
    const manifest = manifestOf(...zarr, 'other.tif');
    expect(codes(entryWith(['cells.zarr/labels/nuclei/'], ['other.tif']), manifest)).toEqual([
      'ANNOTATION_LABELS_SOURCE /annotations/0/files/0',
    ]);
  });
});
