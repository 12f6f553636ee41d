// The demo catalogue's bucket as a real submission would have it: the files drawn from the plan (catalog/demo), the
// image headers read from them as `manifest create` reads them, and the previews drawn by `catalogue previews`
// under `.derived/`. Kept at the edge: it joins catalog/demo with storage/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoManifest, writeDemoData } from '../catalog/demo/data.ts';
import { demoPlan } from '../catalog/demo/plan.ts';
import { entriesDir, manifestFile } from '../catalog/layout.ts';
import { writeJsonFile } from '../catalog/write.ts';
import type { Manifest } from '../schemas/index.ts';
import { createFolderStore } from '../storage/folder-store.ts';
import { readManifestImages } from '../storage/image-metadata.ts';
import { readManifestFile } from '../storage/manifest-file.ts';
import { makePreviews } from '../storage/previews.ts';

/** `catalogue previews` on the demo's folder bucket: the pictures drawn there, and the manifest's `derived`. */
async function previewsInBucket(bucket: string, manifest: Manifest): Promise<{ made: number; manifest: Manifest }> {
  const run = await makePreviews(manifest, { store: createFolderStore({ id: 'local', root: bucket }) });
  return { made: run.made, manifest: run.manifest };
}

/**
 * Draws into `bucket` (filled by writeDemoData) the previews the committed manifests of `catalog` list, so that the
 * demo site's pictures are there; the manifests are not changed. Returns the number of images drawn.
 */
export async function drawDemoPreviews(
  bucket: string,
  catalog: string,
  accessions: readonly string[] = Object.keys(demoPlan),
): Promise<number> {
  let drawn = 0;
  for (const accession of accessions) {
    const { manifest } = await readManifestFile(join(catalog, entriesDir, accession, manifestFile));
    if (!manifest?.derived?.length) continue;
    drawn += (await previewsInBucket(bucket, manifest)).made;
  }
  return drawn;
}

/**
 * The manifest of one demo entry: the plan's files (their components and roles, which no measurement can know),
 * each image's header read from its bytes in `bucket` as `manifest create` reads it, and its previews drawn there.
 */
export async function measureDemoManifest(bucket: string, accession: string): Promise<Manifest> {
  const planned = demoManifest(accession);
  const files = planned.files.map((file) => ({ ...file }));
  const candidates = files.map((file) => {
    const zarrRoot = /^(.*?\.zarr\/)/.exec(file.path)?.[1];
    return { file, disk: file.path, ...(zarrRoot ? { zarrRoot } : {}) };
  });
  const warnings = await readManifestImages(join(bucket, accession), candidates);
  if (warnings.length > 0) throw new Error(`${accession}: ${warnings.map((w) => w.message).join('; ')}`);
  return (await previewsInBucket(bucket, { ...planned, files })).manifest;
}

/** Rewrites <catalog>/entries/<ACCESSION>/manifest.json of every planned entry, measured as above. */
export async function writeMeasuredDemoManifests(catalog: string): Promise<string[]> {
  const bucket = await mkdtemp(join(tmpdir(), 'demo-manifests-'));
  try {
    await writeDemoData(bucket);
    const written: string[] = [];
    for (const accession of Object.keys(demoPlan)) {
      await writeJsonFile(
        join(catalog, entriesDir, accession, manifestFile),
        await measureDemoManifest(bucket, accession),
      );
      written.push(accession);
    }
    return written;
  } finally {
    await rm(bucket, { recursive: true, force: true });
  }
}
