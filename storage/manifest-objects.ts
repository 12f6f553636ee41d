// Every object a manifest stands for: the submitted files (`files`) and the files the catalogue made from them
// (`derived`: previews, OME-Zarr conversions, under `.derived/`). Replication, fixity audits, repair, the object
// check of a pull request and federation all iterate this one list, so a derived file is copied, audited and
// repaired exactly like a submitted one.
import type { DerivedFile, Manifest, ManifestFile } from '../schemas/index.ts';

export interface ManifestObject {
  /** Path relative to the entry's prefix. */
  path: string;
  size: number;
  sha256: string;
  /** JSON pointer of the item in the manifest (`/files/3`, `/derived/0`), for problem lines. */
  pointer: string;
  /** The manifest item itself. */
  item: ManifestFile | DerivedFile;
}

/** The files, then the derived files, in manifest order. */
export function manifestObjects(manifest: Manifest): ManifestObject[] {
  const files = manifest.files.map((file, index) => ({
    path: file.path,
    size: file.size,
    sha256: file.sha256,
    pointer: `/files/${index}`,
    item: file,
  }));
  const derived = (manifest.derived ?? []).map((file, index) => ({
    path: file.path,
    size: file.size,
    sha256: file.sha256,
    pointer: `/derived/${index}`,
    item: file,
  }));
  return [...files, ...derived];
}
