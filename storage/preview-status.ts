// Which images of an entry get previews, and where the manifest lists each picture, from the manifest alone: pure
// and free of Node-only imports, so that the site (site/lib/images.ts) finds the pictures by the same rule. A
// missing preview is a fact to show (a placeholder), never a reason for the build to fail.
import { checkObjectPath } from '../catalog/checks/paths.ts';
import { hasPreviewFormat, previewPath, previewRecipe, type PreviewKind } from '../images/preview-recipe.ts';
import type { DerivedFile, Manifest, ManifestFile } from '../schemas/index.ts';

/** An image of the entry that a preview can be made of. */
export interface PreviewTarget {
  /** The manifest file the preview is of (for OME-Zarr, the image's root metadata file). */
  file: ManifestFile;
  /** The OME-Zarr image's folder, with its final '/', when the file is its root metadata file. */
  zarrRoot?: string;
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
