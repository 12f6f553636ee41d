// The demo's manifests as `--write-manifests` measures them (cli/demo-bucket.ts): `manifest create` over the drawn
// files, then `catalogue previews` into the bucket, listed in the manifests' `derived` at the keys of the preview
// contract, which the site then shows.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { writeDemoData } from '../../catalog/demo/data.ts';
import { validatorFor } from '../../schemas/index.ts';
import { entryImages } from '../../site/lib/images.ts';
import { measureDemoManifest } from '../../cli/demo-bucket.ts';

let bucket: string;
let manifests: Map<string, Manifest>;

beforeAll(async () => {
  bucket = await mkdtemp(join(tmpdir(), 'demo-previews-'));
  await writeDemoData(bucket);
  manifests = new Map();
  for (const accession of ['BIC0000130', 'BIC0000158'])
    manifests.set(accession, await measureDemoManifest(bucket, accession));
}, 180_000);
afterAll(async () => rm(bucket, { recursive: true, force: true }));

describe('writeDemoPreviews', () => {
  it('lists each preview in its manifest at the contract key, with the bytes the bucket holds', async () => {
    const manifest = manifests.get('BIC0000158')!;
    expect(validatorFor('manifest')(manifest), JSON.stringify(validatorFor('manifest').errors)).toBe(true);
    const original = manifest.files.find((f) => f.path === 'reference/cell_quantitative_phase.png')!;
    const thumbnail = manifest.derived!.find((d) => d.of === original.path && d.kind === 'thumbnail')!;
    expect(thumbnail.path).toBe(`.derived/previews/${original.sha256}/preview@1/thumbnail.png`);
    const bytes = await readFile(join(bucket, 'BIC0000158', ...thumbnail.path.split('/')));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(thumbnail.sha256);
    const { width, height } = await sharp(bytes).metadata();
    expect(Math.max(width!, height!)).toBe(256);
  });

  it('gives the site a picture for every image it could draw, and names the rest as missing', () => {
    const mirror = { id: 'local', kind: 'folder', role: 'primary', path: bucket, publicBaseUrl: 'http://127.0.0.1:1/' };
    const cells = entryImages(manifests.get('BIC0000130')!, [mirror as never]);
    expect(cells.representative?.thumbnail?.url).toMatch(/^http:\/\/127\.0\.0\.1:1\/BIC0000130\/\.derived\/previews\//);
    // Every image has its pictures: the OME-TIFFs, the PNG and the OME-Zarr image (drawn from its root).
    expect(cells.missingPreviews).toEqual([]);
    expect(cells.images.find((i) => i.path.endsWith('.zattrs'))?.metadata?.status).toBe('read');
  });
});
