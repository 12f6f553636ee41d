// The site fixture's converted image: a time lapse written by tifffile (write-time-lapse.py), put in the public
// mirror's bucket as an original of entry BIC0000068, converted to OME-Zarr 0.5 by storage/convert.ts (what
// `catalogue convert` runs) and listed in the entry's manifest; the entry's image data is rewritten to describe the
// time lapse, since the catalogue checks it against the file's own metadata (catalog/checks/images.ts). All this
// is made at setup in a copy of the fixture catalogue (global-setup.ts), not committed: the TIFF's bytes, hence
// its sha256 and the path of its conversion, depend on the tifffile that writes it.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { writeJsonFile, writeYamlFile } from '../../catalog/write.ts';
import type { Entry, Manifest } from '../../schemas/index.ts';
import { convertEntry } from '../../storage/convert.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createManifest } from '../../storage/manifest.ts';
import { uploadManifest } from '../../storage/upload.ts';
import { debianPython } from '../images/convert/helpers.ts';

export const convertedAccession = 'BIC0000068';

/**
 * What write-time-lapse.py writes. The chunk is smaller than the converter's default, so that the image spans
 * several chunks (partial ones at the right and bottom edges) and a pyramid of three levels: 149 x 99, 75 x 50 and
 * 38 x 25 pixels.
 */
export const timeLapse = {
  path: 'images/time-lapse.ome.tif',
  /** The viewer page's slug (site/lib/ome-zarr-images.ts): `converted-` and the original's path. */
  slug: 'converted-images-time-lapse-ome-tif',
  t: 2,
  c: 2,
  y: 99,
  x: 149,
  chunk: 64,
  channels: ['nuclei', 'membrane'],
} as const;

/** The value write-time-lapse.py gives channel `c` at time point `t` and pixel (`y`, `x`). */
export function timeLapseValue(t: number, c: number, y: number, x: number): number {
  if (c === 0) return (t === 0) === x < 75 ? 200 : 0;
  return y < 50 ? 100 : 0;
}

/**
 * Writes the time lapse into `bucket` (a folder mirror's root) under the entry's prefix, converts it there and
 * rewrites the entry in `catalogue`: its manifest with the original and its conversion added, its image data.
 */
export async function addConvertedTimeLapse(catalogue: string, bucket: string): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'time-lapse-'));
  try {
    const data = join(work, 'data');
    await mkdir(join(data, 'images'), { recursive: true });
    execFileSync(debianPython, [join(import.meta.dirname, 'write-time-lapse.py'), join(data, timeLapse.path)]);
    const listed = await createManifest(data, { prefix: `${convertedAccession}/` });
    if (listed.problems.length > 0) throw new Error(`time lapse: ${JSON.stringify(listed.problems)}`);
    const folder = join(catalogue, 'entries', convertedAccession);
    const entry = parse(await readFile(join(folder, 'entry.yaml'), 'utf8')) as Entry;
    entry.components[0].imageData = {
      formats: ['OME-TIFF'],
      imageCount: 1,
      dimensionOrder: 'TCZYX',
      size: { x: timeLapse.x, y: timeLapse.y, z: 1, c: timeLapse.c, t: timeLapse.t },
      physicalSize: { x: 0.5, y: 0.5, unit: 'µm' },
    };
    await writeYamlFile(join(folder, 'entry.yaml'), entry);
    const manifestPath = join(folder, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    const original = { ...listed.manifest.files[0], component: manifest.files[0].component };
    const withOriginal: Manifest = { ...manifest, files: [...manifest.files, original] };
    const store = createFolderStore({ id: 'local', root: bucket });
    const upload = await uploadManifest({ ...withOriginal, files: [original] }, { folder: data, store });
    if (upload.problems.length > 0) throw new Error(`time lapse upload: ${JSON.stringify(upload.problems)}`);
    const converted = await convertEntry(withOriginal, {
      originals: { store },
      target: store,
      only: [original.path],
      chunk: timeLapse.chunk,
      save: (next) => writeJsonFile(manifestPath, next),
    });
    if (converted.converted.length !== 1)
      throw new Error(`time lapse not converted: ${JSON.stringify(converted.problems)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
