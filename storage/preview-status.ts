// Which images of an entry have previews and which do not, from the manifest alone: pure and free of Node-only
// imports, so that the site can call it while it builds. A missing preview is a fact to show (a placeholder),
// never a reason for the build to fail.
import { checkObjectPath } from '../catalog/checks/paths.ts';
import { hasPreviewFormat, previewPath, previewRecipe, type PreviewKind } from '../images/preview-recipe.ts';
import type { DerivedFile, Manifest, ManifestFile, Mirror } from '../schemas/index.ts';
import { publicMirrors, publicObjectUrl } from './downloads.ts';

/** An image of the entry that a preview can be made of. */
export interface PreviewTarget {
  /** The manifest file the preview is of (for OME-Zarr, the image's root metadata file). */
  file: ManifestFile;
  /** The OME-Zarr image's folder, with its final '/', when the file is its root metadata file. */
  zarrRoot?: string;
}

export interface PreviewPicture {
  path: string;
  size: number;
  sha256: string;
  /** The picture's public URL on the first public mirror (primary first), when a mirror is public. */
  url?: string;
}

export interface ImagePreviewStatus {
  /** The image's manifest path. */
  of: string;
  thumbnail?: PreviewPicture;
  preview?: PreviewPicture;
}

/**
 * The images a preview is made of: files of role image in a format the recipe draws, and of each OME-Zarr image
 * its root metadata file (`zarr.json` of OME-NGFF 0.5, `.zattrs` of 0.4: the top-most one of its folder). Plates
 * are left out (the `image` the manifest records says so), and so are unsafe paths.
 */
export function previewTargets(manifest: Manifest): PreviewTarget[] {
  const targets: PreviewTarget[] = [];
  const zarrRoots = new Map<string, ManifestFile>();
  for (const file of manifest.files) {
    if (!checkObjectPath(file.path).ok || !hasPreviewFormat(file.format) || file.image?.isPlate) continue;
    if (file.format !== 'OME-Zarr') {
      if (file.role === 'image') targets.push({ file });
      continue;
    }
    const slash = file.path.lastIndexOf('/');
    const name = file.path.slice(slash + 1);
    if (name !== '.zattrs' && name !== 'zarr.json') continue;
    const folder = file.path.slice(0, slash + 1);
    const enclosing = [...zarrRoots.keys()].find((root) => folder.startsWith(root) || root.startsWith(folder));
    // The top-most metadata file is the image's root; a label or resolution group below it is part of the image.
    if (enclosing !== undefined && enclosing.length <= folder.length) continue;
    if (enclosing !== undefined) zarrRoots.delete(enclosing);
    zarrRoots.set(folder, file);
  }
  for (const [zarrRoot, file] of zarrRoots) targets.push({ file, zarrRoot });
  return targets.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
}

/**
 * The derived item of a picture of `file` by the current recipe, when the manifest lists it at its address. Two
 * files with the same bytes share their pictures (the address is the sha256): the item names one of them in `of`.
 */
export function findPicture(manifest: Manifest, file: ManifestFile, kind: PreviewKind): DerivedFile | undefined {
  const path = previewPath(file.sha256, kind);
  return (manifest.derived ?? []).find((d) => d.path === path && d.kind === kind && d.recipe === previewRecipe);
}

/**
 * For each image of the manifest, its thumbnail and preview when the manifest lists them (with their public URL
 * when `mirrors` has a public one), and the images that have none yet.
 */
export function previewStatus(
  manifest: Manifest,
  mirrors: readonly Mirror[] = [],
): { ready: ImagePreviewStatus[]; missing: string[] } {
  const mirror = publicMirrors(mirrors)[0];
  const ready: ImagePreviewStatus[] = [];
  const missing: string[] = [];
  for (const { file } of previewTargets(manifest)) {
    const picture = (kind: PreviewKind): PreviewPicture | undefined => {
      const item = findPicture(manifest, file, kind);
      if (!item) return undefined;
      const url = mirror && publicObjectUrl(mirror, manifest.location.prefix, item.path);
      return { path: item.path, size: item.size, sha256: item.sha256, ...(url ? { url } : {}) };
    };
    const [thumbnail, preview] = [picture('thumbnail'), picture('preview')];
    if (thumbnail && preview) ready.push({ of: file.path, thumbnail, preview });
    else missing.push(file.path);
  }
  return { ready, missing };
}
