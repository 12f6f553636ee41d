// The demo catalogue's data: small, deterministic files in real formats for every entry of archive/, written
// into the embedded local bucket (data/buckets/local/<ACCESSION>/<path>, git-ignored) by `catalogue start` or
// scripts/demo-data.ts, and the manifests in archive/entries/<ACCESSION>/manifest.json that list exactly those
// files with their sizes and SHA-256.
//
// The same plan (plan.ts) makes both, so the manifests and the bucket cannot drift apart;
// test/catalog/demo-data.test.ts checks that the committed manifests are reproduced byte for byte.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, ManifestFile } from '../../schemas/index.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { createRandom } from '../random.ts';
import {
  omeXml,
  renderCsv,
  renderHdf5Placeholder,
  renderMrc,
  renderOmeZarr,
  renderPng,
  renderTiff,
  seedOf,
} from './formats.ts';
import { channelsOf, planesOf } from './pictures.ts';
import { demoPlan, type FileSpec, type Role } from './plan.ts';

/** Real images the demo carries (their sources and licences are in the folder's README). */
const realImages = new URL('./real-images/', import.meta.url);

const formatOf: Record<FileSpec['kind'], ManifestFile['format']> = {
  tiff: 'TIFF',
  'ome-tiff': 'OME-TIFF',
  png: 'PNG',
  mrc: 'MRC',
  hdf5: 'HDF5',
  csv: 'CSV',
  'ome-zarr': 'OME-Zarr',
  real: 'PNG',
};

export interface DemoFile {
  path: string;
  bytes: Uint8Array;
  format: ManifestFile['format'];
  component: string;
  role: Role;
}

/** The files of one entry, in manifest order. Deterministic: each file's generator is seeded by accession and path. */
export function renderDemoFiles(accession: string): DemoFile[] {
  const specs = demoPlan[accession];
  if (!specs) throw new Error(`no demo data is planned for ${accession}`);
  const out: DemoFile[] = [];
  for (const spec of specs) {
    const random = createRandom(seedOf(`${accession}/${spec.path}`));
    const meta = { format: formatOf[spec.kind], component: spec.component, role: spec.role ?? 'image' };
    switch (spec.kind) {
      case 'tiff':
        out.push({
          path: spec.path,
          bytes: renderTiff(planesOf(random, spec), {
            width: spec.width,
            height: spec.height,
            pages: spec.pages,
            bits: spec.bits,
            samples: spec.rgb ? 3 : 1,
          }),
          ...meta,
        });
        break;
      case 'ome-tiff': {
        const name = spec.path.split('/').pop()!;
        const xml = omeXml({
          name,
          width: spec.width,
          height: spec.height,
          z: spec.z,
          c: spec.c,
          t: 1,
          bits: spec.bits,
          pixelUm: spec.pixelUm,
          zUm: spec.zUm,
          channels: channelsOf(spec.c),
        });
        out.push({
          path: spec.path,
          bytes: renderTiff(planesOf(random, spec), {
            width: spec.width,
            height: spec.height,
            pages: spec.z * spec.c,
            bits: spec.bits,
            omeXml: xml,
          }),
          ...meta,
        });
        break;
      }
      case 'png':
        out.push({ path: spec.path, bytes: renderPng(planesOf(random, spec)(0), spec.width, spec.height), ...meta });
        break;
      case 'mrc':
        out.push({
          path: spec.path,
          bytes: renderMrc(planesOf(random, spec), {
            nx: spec.nx,
            ny: spec.ny,
            nz: spec.nz,
            pixelA: spec.pixelA,
            volume: spec.volume ?? false,
            label: `bioimage-catalogue demo data ${accession}/${spec.path}`,
          }),
          ...meta,
        });
        break;
      case 'hdf5':
        out.push({ path: spec.path, bytes: renderHdf5Placeholder(random, spec.bytes), ...meta });
        break;
      case 'csv':
        out.push({ path: spec.path, bytes: renderCsv(random, spec.columns, spec.rows), ...meta });
        break;
      case 'ome-zarr':
        for (const file of renderOmeZarr(planesOf(random, spec), {
          name: spec.path.replace(/\.ome\.zarr$/, ''),
          shape: spec.shape,
          chunks: spec.chunks,
          scaleUm: spec.scaleUm,
          version: spec.version,
          levels: spec.levels,
          channels: spec.channels?.map((c) => ({ name: c.label, color: c.color })) ?? channelsOf(spec.shape[0]),
        })) {
          out.push({ path: `${spec.path}/${file.path}`, bytes: file.bytes, ...meta });
        }
        break;
      case 'real':
        out.push({ path: spec.path, bytes: readFileSync(new URL(spec.source, realImages)), ...meta });
        break;
    }
  }
  return out;
}

/** The manifest of one entry: location {mirror: local, prefix: <ACCESSION>/} and every file with size and SHA-256. */
export function demoManifest(accession: string, files: readonly DemoFile[] = renderDemoFiles(accession)): Manifest {
  return {
    schemaVersion: 1,
    location: { mirror: 'local', prefix: `${accession}/` },
    files: files.map((f) => ({
      path: f.path,
      size: f.bytes.length,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
      format: f.format,
      component: f.component,
      role: f.role,
    })),
  };
}

/**
 * Writes every planned file of `accessions` (default all) under `bucket`/<ACCESSION>/; returns the number of files
 * and bytes written.
 */
export async function writeDemoData(
  bucket: string,
  accessions: readonly string[] = Object.keys(demoPlan),
): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const accession of accessions) {
    for (const file of renderDemoFiles(accession)) {
      // Temp file then rename: a reader never sees half a file (catalog/atomic-write.ts). Not flushed to disk one
      // by one: demo data can always be made again from the plan.
      await writeFileAtomic(join(bucket, accession, ...file.path.split('/')), file.bytes, { durable: false });
      files++;
      bytes += file.bytes.length;
    }
  }
  return { files, bytes };
}
