// Checks of the annotations module (MIFA) against the entry's manifest: every annotation file and every source
// image names files the manifest lists, and OME-Zarr label images (OME-NGFF 0.5 "labels") are recognised with the
// image they belong to.
import type { Entry, Manifest } from '../../schemas/index.ts';
import { joinPointer } from '../problems.ts';
import type { Finding } from '../validate.ts';

/**
 * An OME-Zarr label image: OME-NGFF 0.5 §"labels" puts label images in a `labels` group inside the image's group,
 * `<image>.zarr/labels/<name>/`, so the annotated image is the group that holds `labels/`.
 */
export interface OmeZarrLabels {
  /** The image group the labels annotate, ending with a slash: `cells.zarr/`. */
  image: string;
  /** The label image's name: `nuclei`. */
  name: string;
}

const labelsPath = /^(.*?\.(?:ome\.)?zarr\/)labels\/([^/]+)(?:\/|$)/i;

/** The OME-Zarr label image a path lies in, when it lies in one. */
export function omeZarrLabelsOf(path: string): OmeZarrLabels | undefined {
  const match = labelsPath.exec(path);
  return match ? { image: match[1], name: match[2] } : undefined;
}

/**
 * The manifest's paths, for finding what a reference names: a set for a file, and the paths in code-unit order
 * for a folder, whose files then sit together after the first one found by binary search.
 */
export class ManifestPaths {
  readonly #set: ReadonlySet<string>;
  readonly #sorted: readonly string[];
  constructor(paths: readonly string[]) {
    this.#set = new Set(paths);
    this.#sorted = [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Whether the reference names a file, or (ending with a slash) a folder holding at least one. */
  resolves(reference: string): boolean {
    if (!reference.endsWith('/')) return this.#set.has(reference);
    let low = 0;
    let high = this.#sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#sorted[middle] < reference) low = middle + 1;
      else high = middle;
    }
    return low < this.#sorted.length && this.#sorted[low].startsWith(reference);
  }
}

function nearMiss(
  reference: string,
  paths: readonly string[],
  index: ManifestPaths,
  lowerCased: Map<string, string>,
): string | undefined {
  if (!reference.endsWith('/') && index.resolves(`${reference}/`)) return `${reference}/`;
  const lower = reference.toLowerCase();
  const sameButCase = lowerCased.get(lower);
  if (sameButCase) return sameButCase;
  if (lower.endsWith('/')) {
    const folder = paths.find((path) => path.toLowerCase().startsWith(lower));
    if (folder) return folder.slice(0, reference.length);
  }
  return undefined;
}

/**
 * ANNOTATION_FILE_UNRESOLVED, ANNOTATION_SOURCE_UNRESOLVED, ANNOTATION_LABELS_GROUP and ANNOTATION_LABELS_SOURCE
 * for an entry whose manifest is known. Paths are compared exactly (manifest paths are case-sensitive), with the
 * case-insensitive or folder spelling offered as the fix.
 */
export function annotationManifestFindings(entry: Entry, manifest: Manifest): Finding[] {
  const annotations = entry.annotations ?? [];
  if (annotations.length === 0) return [];
  const paths = manifest.files.map((file) => file.path);
  const index = new ManifestPaths(paths);
  const lowerCased = new Map(paths.map((path) => [path.toLowerCase(), path]));
  const out: Finding[] = [];
  annotations.forEach((annotation, i) => {
    const check = (field: 'files' | 'sourceImages', code: string, what: string) =>
      (annotation[field] ?? []).forEach((reference, k) => {
        if (index.resolves(reference)) return;
        const meant = nearMiss(reference, paths, index, lowerCased);
        out.push({
          pointer: joinPointer('annotations', i, field, k),
          code,
          message: `'${reference}' (${what}) is not a file of the manifest`,
          fix: meant
            ? `did you mean '${meant}'?`
            : 'write a path as listed in manifest.json, or a folder path ending with /',
          severity: 'error',
        });
      });
    check('files', 'ANNOTATION_FILE_UNRESOLVED', 'an annotation file');
    check('sourceImages', 'ANNOTATION_SOURCE_UNRESOLVED', 'a source image');
    const sources = annotation.sourceImages ?? [];
    annotation.files.forEach((reference, k) => {
      const labels = omeZarrLabelsOf(reference);
      if (!labels) return;
      // OME-NGFF 0.5 §"labels": the labels group lists its label images in its metadata (zarr.json; .zattrs in 0.4).
      const group = `${labels.image}labels/`;
      if (index.resolves(reference) && !index.resolves(`${group}zarr.json`) && !index.resolves(`${group}.zattrs`)) {
        out.push({
          pointer: joinPointer('annotations', i, 'files', k),
          code: 'ANNOTATION_LABELS_GROUP',
          message: `'${group}' has no zarr.json (or .zattrs) in the manifest, so readers will not find its labels`,
          fix: `add ${group}zarr.json, whose "labels" list names '${labels.name}'`,
          severity: 'warning',
        });
      }
      if (sources.length === 0) return;
      if (sources.some((source) => labels.image.startsWith(source) || source.startsWith(labels.image))) return;
      out.push({
        pointer: joinPointer('annotations', i, 'files', k),
        code: 'ANNOTATION_LABELS_SOURCE',
        message: `'${reference}' are OME-Zarr labels of '${labels.image}', which sourceImages does not list`,
        fix: `add '${labels.image}' to sourceImages`,
        severity: 'warning',
      });
    });
  });
  return out;
}

/** Duplicate annotation ids, found without the manifest. */
export function annotationFindings(annotations: unknown): Finding[] {
  if (!Array.isArray(annotations)) return [];
  const seen = new Set<string>();
  const out: Finding[] = [];
  annotations.forEach((annotation, i) => {
    const id = (annotation as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id))
      out.push({
        pointer: joinPointer('annotations', i, 'id'),
        code: 'DUPLICATE_ID',
        message: `the id '${id}' is used twice in annotations`,
        fix: 'give each annotation its own id',
        severity: 'error',
      });
    seen.add(id);
  });
  return out;
}
