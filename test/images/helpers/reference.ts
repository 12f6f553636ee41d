// The reference writers and readers of the image tests: Debian's /usr/bin/python3 with tifffile, zarr and numpy.
// When they are missing the tests that need them are skipped with this message.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../../../images/byte-source-fs.ts';
import { readOmeZarr } from '../../../images/ome-zarr.ts';
import { readImageMetadata } from '../../../images/read-image.ts';

export const python = '/usr/bin/python3';
const helpers = new URL('./', import.meta.url).pathname;

/** Why the reference writers cannot run here, or undefined when they can. */
export const referenceMissing = (() => {
  try {
    execFileSync(python, ['-c', 'import tifffile, zarr, numpy'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${python} with tifffile, zarr and numpy is needed to write the reference images (Debian: python3-tifffile)`;
  }
})();

/** Writes the reference images into `folder` (write-images.py). */
export function writeReferenceImages(folder: string): void {
  execFileSync(python, [join(helpers, 'write-images.py'), folder], { stdio: 'pipe' });
}

/** A Zarr v2 layout for write-zarr-groups.py: groups by path ('' is the root) and other files by path. */
export interface ZarrGroupsSpec {
  groups: Record<string, { attributes?: object; arrays?: Record<string, { shape: number[]; dtype: string }> }>;
  files?: Record<string, string>;
}

/** Writes the groups and arrays of `spec` under `folder` with zarr 2 (write-zarr-groups.py). */
export function writeZarrGroups(folder: string, spec: ZarrGroupsSpec): void {
  execFileSync(python, [join(helpers, 'write-zarr-groups.py'), folder], { input: JSON.stringify(spec), stdio: 'pipe' });
}

export interface OmeReference {
  pixels: Record<string, string>;
  channels: Array<Record<string, string>>;
  images: number;
}

/** What tifffile and ElementTree read from the OME-XML of each path (ome_reference.py). */
export function omeReference(paths: string[]): Record<string, OmeReference | null> {
  return JSON.parse(execFileSync(python, [join(helpers, 'ome_reference.py'), ...paths], { encoding: 'utf8' }));
}

/** The metadata the catalogue reads from a local file. */
export async function readFileMetadata(path: string) {
  const source = await openFileSource(path);
  try {
    return await readImageMetadata(source);
  } finally {
    await source.close();
  }
}

/** The OME-Zarr reader over a local folder. */
export function readZarrFolder(folder: string) {
  return readOmeZarr(async (path) => {
    const file = join(folder, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  });
}
