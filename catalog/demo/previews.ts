// The demo's preview step: thumbnails and previews of every demo entry's image files, drawn into the bucket under
// `.derived/` and listed in each manifest's `derived` (schemas/manifest.schema.json). What draws them is passed in
// (the preview maker of storage/, wired by the command line), since catalog/ never imports storage/.
import type { DerivedFile, Manifest } from '../../schemas/index.ts';
import { demoManifest } from './data.ts';
import { demoPlan } from './plan.ts';

/**
 * Draws the previews of one entry's image files (its files are in `bucket` under `manifest.location.prefix`),
 * writes them into the bucket at their `.derived/` keys and returns their `derived` items. An image it cannot
 * draw is left out: the site shows such a file without a picture.
 */
export type DemoPreviewMaker = (entry: {
  bucket: string;
  accession: string;
  manifest: Manifest;
}) => Promise<DerivedFile[]>;

/**
 * Draws the previews of every demo entry with `makePreviews` and returns each entry's manifest with its `derived`
 * list. Run after writeDemoData, on the same bucket.
 */
export async function writeDemoPreviews(
  bucket: string,
  makePreviews: DemoPreviewMaker,
): Promise<Map<string, Manifest>> {
  const manifests = new Map<string, Manifest>();
  for (const accession of Object.keys(demoPlan)) {
    const manifest = demoManifest(accession);
    const derived = await makePreviews({ bucket, accession, manifest });
    manifests.set(accession, derived.length ? { ...manifest, derived } : manifest);
  }
  return manifests;
}
