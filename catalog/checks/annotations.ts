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

/** The manifest paths a reference names: the file itself, or every file below it when it ends with a slash. */
export function resolveManifestPaths(reference: string, paths: readonly string[]): string[] {
  if (reference.endsWith('/')) return paths.filter((path) => path.startsWith(reference));
  return paths.includes(reference) ? [reference] : [];
}

function nearMiss(reference: string, paths: readonly string[], lowerCased: Map<string, string>): string | undefined {
  if (!reference.endsWith('/') && paths.some((path) => path.startsWith(`${reference}/`))) return `${reference}/`;
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
 * ANNOTATION_FILE_UNRESOLVED, ANNOTATION_SOURCE_UNRESOLVED and ANNOTATION_LABELS_SOURCE for an entry whose
 * manifest is known. Paths are compared exactly (manifest paths are case-sensitive), with the case-insensitive or
 * folder spelling offered as the fix.
 */
export function annotationManifestFindings(entry: Entry, manifest: Manifest): Finding[] {
  const annotations = entry.annotations ?? [];
  if (annotations.length === 0) return [];
  const paths = manifest.files.map((file) => file.path);
  const lowerCased = new Map(paths.map((path) => [path.toLowerCase(), path]));
  const out: Finding[] = [];
  annotations.forEach((annotation, i) => {
    const check = (field: 'files' | 'sourceImages', code: string, what: string) =>
      (annotation[field] ?? []).forEach((reference, k) => {
        if (resolveManifestPaths(reference, paths).length > 0) return;
        const meant = nearMiss(reference, paths, lowerCased);
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
      if (!labels || sources.length === 0) return;
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
