// The `image` of each image file of a manifest, read from the file's header by images/ (never its pixels). For
// an OME-Zarr image it sits on the image's root metadata file (`zarr.json` for 0.5, `.zattrs` for 0.4; manifest
// schema, `image`). A file whose header cannot be read, or whose OME-NGFF metadata breaks the official schema, is
// a warning: the manifest is still written, and the pull-request check says what the entry claims against what
// could be read.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '../images/byte-source-fs.ts';
import { ImageReadError } from '../images/errors.ts';
import { readOmeZarr } from '../images/ome-zarr.ts';
import { readImageMetadata } from '../images/read-image.ts';
import type { ManifestFile } from '../schemas/index.ts';
import type { ManifestProblem } from './manifest.ts';
import { runTasks } from './run-tasks.ts';

/** One manifest file with where it is on disk and, inside an OME-Zarr image, the image's folder. */
export interface ImageCandidate {
  file: ManifestFile;
  /** The path relative to the folder as the disk spells it. */
  disk: string;
  /** For files inside an OME-Zarr image: the manifest path of the image's folder, ending with '/'. */
  zarrRoot?: string;
}

/** Files read at once: header reads are small, so more than the cores keeps the disk busy. */
const concurrency = 8;

/** Largest metadata file of an OME-Zarr read (a multiscales document is a few kilobytes). */
const maxZarrJsonBytes = 4 * 1024 * 1024;

const fix = 'check that the file is complete and opens in Fiji or napari; re-export it if not';

/**
 * Sets `image` on each image file of `candidates` (in place) and returns the warnings. Files of formats the
 * catalogue only recognises get `status: recognised`.
 */
export async function readManifestImages(folder: string, candidates: ImageCandidate[]): Promise<ManifestProblem[]> {
  const warnings: ManifestProblem[] = [];
  const byPath = new Map(candidates.map((c) => [c.file.path, c]));
  const roots = new Set(candidates.flatMap((c) => (c.zarrRoot ? [c.zarrRoot] : [])));
  const tasks: Array<() => Promise<void>> = [];
  for (const candidate of candidates) {
    if (candidate.file.role !== 'image' || candidate.zarrRoot) continue;
    tasks.push(() => readOne(folder, candidate, warnings));
  }
  for (const root of roots) {
    // The image's root metadata file: zarr.json (0.5) when it has one, else .zattrs (0.4).
    const rootFile = byPath.get(`${root}zarr.json`) ?? byPath.get(`${root}.zattrs`);
    if (rootFile) tasks.push(() => readZarr(folder, root, rootFile, byPath, warnings));
  }
  const run = await runTasks(tasks, (task) => task(), { concurrency });
  if (run.fatal) throw run.fatal;
  return warnings;
}

async function readOne(folder: string, candidate: ImageCandidate, warnings: ManifestProblem[]): Promise<void> {
  try {
    const source = await openFileSource(join(folder, ...candidate.disk.split('/')), candidate.file.path);
    try {
      const image = await readImageMetadata(source);
      if (image) candidate.file.image = image;
    } finally {
      await source.close();
    }
  } catch (error) {
    if (!(error instanceof ImageReadError) && !isSystemError(error)) throw error;
    const code = error instanceof ImageReadError ? error.code : (error as NodeJS.ErrnoException).code;
    warnings.push({
      path: candidate.file.path,
      code: 'IMAGE_UNREADABLE',
      message: `its image header cannot be read (${code}): ${(error as Error).message}`,
      fix,
    });
  }
}

/** An error of the operating system (the file vanished or cannot be opened), not a bug. */
const isSystemError = (error: unknown) => /^E[A-Z]+$/u.test(String((error as { code?: unknown })?.code));

async function readZarr(
  folder: string,
  root: string,
  rootFile: ImageCandidate,
  byPath: Map<string, ImageCandidate>,
  warnings: ManifestProblem[],
): Promise<void> {
  // Only files listed in the manifest are read: the walk has already refused links and unsafe names.
  const read = async (path: string) => {
    const listed = byPath.get(root + path);
    if (!listed || listed.file.size > maxZarrJsonBytes) return undefined;
    return readFile(join(folder, ...listed.disk.split('/')), 'utf8');
  };
  try {
    const { metadata, problems } = await readOmeZarr(read);
    rootFile.file.image = metadata;
    for (const problem of problems)
      warnings.push({
        path: `${root}${problem.file}#${problem.pointer}`,
        code: 'OME_NGFF_INVALID',
        message: problem.message,
        fix: problem.fix,
      });
  } catch (error) {
    if (!(error instanceof ImageReadError) && !isSystemError(error)) throw error;
    warnings.push({
      path: rootFile.file.path,
      code: 'IMAGE_UNREADABLE',
      message: `its OME-Zarr metadata cannot be read: ${(error as Error).message}`,
      fix: 'write the image with an OME-Zarr writer (ome-zarr-py, bioformats2raw, ngff-zarr)',
    });
  }
}
