// The demo catalogue (archive/) and its data (catalog/demo/data.ts): the committed manifests are exactly what
// the script produces, the files it writes match them byte for byte and carry their formats' real signatures,
// and the catalogue covers what it is meant to demonstrate.
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, Manifest, Tombstone } from '../../schemas/index.ts';
import { checkCatalogue } from '../../catalog/check.ts';
import { methodFamily } from '../../catalog/checks/known-terms.ts';
import { parseSource } from '../../catalog/source.ts';
import { entryFindings } from '../../catalog/validate.ts';
import { demoManifest, writeDemoData } from '../../catalog/demo/data.ts';
import { demoPlan } from '../../catalog/demo/plan.ts';

const repo = join(import.meta.dirname, '..', '..');
const archive = join(repo, 'archive');
const script = join(repo, 'scripts', 'demo-data.ts');
const today = '2026-11-21';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'demo-data-'));
});
afterAll(async () => rm(work, { recursive: true, force: true }));

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const dirent of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (dirent.isFile()) out.push(relative(dir, join(dirent.parentPath, dirent.name)).split('\\').join('/'));
  }
  return out.sort();
}

const readYaml = async <T>(path: string) => parseSource(path, await readFile(path, 'utf8')).data as T;

describe('demo data script', () => {
  it('reproduces the committed manifests byte for byte', async () => {
    const copy = join(work, 'catalog');
    await cp(archive, copy, { recursive: true });
    const run = await execa(process.execPath, [script, '--write-manifests', '--catalog', copy], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    for (const accession of Object.keys(demoPlan)) {
      const committed = await readFile(join(archive, 'entries', accession, 'manifest.json'), 'utf8');
      const regenerated = await readFile(join(copy, 'entries', accession, 'manifest.json'), 'utf8');
      expect(regenerated, accession).toBe(committed);
    }
  });

  it('writes into the bucket exactly the files the manifests list, with their sizes and SHA-256', async () => {
    const bucket = join(work, 'bucket');
    const run = await execa(process.execPath, [script, '--bucket', bucket], { reject: false });
    expect(run.exitCode, run.stderr).toBe(0);
    const expected: string[] = [];
    for (const accession of Object.keys(demoPlan)) {
      const manifest = JSON.parse(
        await readFile(join(archive, 'entries', accession, 'manifest.json'), 'utf8'),
      ) as Manifest;
      expect(manifest.location).toEqual({ mirror: 'local', prefix: `${accession}/` });
      for (const file of manifest.files) {
        const bytes = await readFile(join(bucket, manifest.location.prefix, file.path));
        expect(bytes.length, file.path).toBe(file.size);
        expect(createHash('sha256').update(bytes).digest('hex'), file.path).toBe(file.sha256);
        expect(file.size).toBeLessThan(8 * 1024 * 1024);
        expectFormat(file.format, file.path, bytes);
        expected.push(manifest.location.prefix + file.path);
      }
    }
    expect(await listFiles(bucket)).toEqual(expected.sort());
  }, 120_000);

  it('is product code: writeDemoData, as `catalogue start` calls it, fills a bucket in-process', async () => {
    const accession = 'BIC0000013';
    const committed = JSON.parse(await readFile(join(archive, 'entries', accession, 'manifest.json'), 'utf8'));
    expect(demoManifest(accession)).toEqual(committed);
    const bucket = join(work, 'in-process');
    const written = await writeDemoData(bucket);
    expect(written.files).toBe((await listFiles(bucket)).length);
    expect(await readFile(join(bucket, accession, 'analysis', 'particles.csv'))).toHaveLength(
      (committed as Manifest).files.find((f) => f.path === 'analysis/particles.csv')!.size,
    );
  }, 120_000);

  it('rejects unknown options with exit code 2', async () => {
    const run = await execa(process.execPath, [script, '--bogus'], { reject: false });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/Usage:/);
  });
});

function expectFormat(format: string, path: string, bytes: Buffer): void {
  switch (format) {
    case 'TIFF':
    case 'OME-TIFF': {
      expect(bytes.subarray(0, 4), path).toEqual(Buffer.from([0x49, 0x49, 0x2a, 0x00]));
      const ifd = bytes.readUInt32LE(4);
      const tags = new Map<number, number>();
      for (let i = 0; i < bytes.readUInt16LE(ifd); i++)
        tags.set(bytes.readUInt16LE(ifd + 2 + i * 12), bytes.readUInt32LE(ifd + 2 + i * 12 + 8));
      // StripOffsets + StripByteCounts inside the file; OME-TIFF carries OME-XML in ImageDescription.
      expect(tags.get(273)! + tags.get(279)!, path).toBeLessThanOrEqual(bytes.length);
      if (format === 'OME-TIFF')
        expect(bytes.subarray(tags.get(270)!, tags.get(270)! + 200).toString('utf8'), path).toContain(
          '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"',
        );
      break;
    }
    case 'PNG': {
      expect(bytes.subarray(0, 8), path).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const width = bytes.readUInt32BE(16);
      const height = bytes.readUInt32BE(20);
      const idatLength = bytes.readUInt32BE(33);
      expect(bytes.subarray(37, 41).toString('latin1')).toBe('IDAT');
      // zlib verifies the stored blocks and the Adler-32; one filter byte per row.
      expect(inflateSync(bytes.subarray(41, 41 + idatLength)).length, path).toBe((width + 1) * height);
      break;
    }
    case 'MRC': {
      const [nx, ny, nz, mode] = [0, 4, 8, 12].map((at) => bytes.readInt32LE(at));
      expect(bytes.subarray(208, 212).toString('latin1'), path).toBe('MAP ');
      expect(mode).toBe(1);
      expect(bytes.length, path).toBe(1024 + nx * ny * nz * 2);
      break;
    }
    case 'HDF5':
      expect(bytes.subarray(0, 8), path).toEqual(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]));
      break;
    case 'CSV': {
      const lines = bytes.toString('utf8').trimEnd().split('\r\n');
      const columns = lines[0].split(',').length;
      expect(lines.length, path).toBeGreaterThan(1);
      expect(
        lines.every((l) => l.split(',').length === columns),
        path,
      ).toBe(true);
      break;
    }
    case 'OME-Zarr':
      if (path.endsWith('.zattrs')) expect(JSON.parse(bytes.toString('utf8')).multiscales[0].version).toBe('0.4');
      else if (/\.zarr\/zarr\.json$/.test(path))
        expect(JSON.parse(bytes.toString('utf8')).attributes.ome.version).toBe('0.5');
      else if (path.endsWith('zarr.json')) expect(JSON.parse(bytes.toString('utf8')).node_type).toBe('array');
      else if (path.endsWith('.zgroup')) expect(JSON.parse(bytes.toString('utf8'))).toEqual({ zarr_format: 2 });
      else if (!path.endsWith('.zarray')) expect(bytes.length % 2, path).toBe(0);
      break;
    default:
      throw new Error(`unexpected format ${format} for ${path}`);
  }
}

describe('demo catalogue', () => {
  it('passes `catalogue check` with no errors and no warnings', async () => {
    const result = await checkCatalogue(archive, { today });
    expect(result.problems).toEqual([]);
    expect(result.checked).toBeGreaterThanOrEqual(25);
  });

  it('has two embargoed entries, one withdrawn entry that names its replacement, and the rest live', async () => {
    const { summaries } = await checkCatalogue(archive, { today });
    const by = (status: string) => summaries.filter((s) => s.status === status).map((s) => s.accession);
    expect(by('embargoed')).toEqual(['BIC0000232', 'BIC0000241']);
    expect(by('withdrawn')).toEqual(['BIC0000229']);
    expect(by('live')).toHaveLength(22);
    const tombstone = await readYaml<Tombstone>(join(archive, 'entries', 'BIC0000229', 'tombstone.yaml'));
    expect(tombstone.withdrawn.replacedBy).toBe('BIC0000068');
    expect(tombstone.withdrawn.reason.length).toBeGreaterThan(10);
  });

  it('keeps old versions addressable and valid', async () => {
    const current = await readYaml<Entry>(join(archive, 'entries', 'BIC0000037', 'entry.yaml'));
    expect(current.version).toBe(2);
    expect(current.versions?.map((v) => v.version)).toEqual([1, 2]);
    for (const [accession, version] of [
      ['BIC0000037', 1],
      ['BIC0000229', 1],
    ] as const) {
      const old = await readYaml<Entry>(join(archive, 'entries', accession, 'versions', `${version}.yaml`));
      expect(old.version).toBe(version);
      expect(entryFindings(old, { submission: false, folderName: accession })).toEqual([]);
    }
  });

  it(
    'spans the scales and the light, electron and X-ray methods, ' + 'with a correlative and a multi-component entry',
    async () => {
      const entries: Entry[] = [];
      for (const name of await readdir(join(archive, 'entries'))) {
        if (name === 'BIC0000229') continue;
        entries.push(await readYaml<Entry>(join(archive, 'entries', name, 'entry.yaml')));
      }
      expect(entries).toHaveLength(24);
      expect(new Set(entries.flatMap((e) => e.study.scales))).toEqual(
        new Set(['molecule', 'cell', 'tissue', 'organism']),
      );
      expect(new Set(entries.flatMap((e) => e.acquisitions.map((a) => methodFamily(a.imagingMethod.id))))).toEqual(
        new Set(['light', 'electron', 'X-ray']),
      );
      const clem = entries.filter((e) => (e.correlations?.length ?? 0) > 0);
      expect(clem.map((e) => e.accession)).toEqual(['BIC0000084']);
      expect(new Set(clem[0].acquisitions.map((a) => methodFamily(a.imagingMethod.id)))).toEqual(
        new Set(['light', 'electron']),
      );
      expect(entries.some((e) => e.components.length >= 3)).toBe(true);
      expect(new Set(entries.map((e) => e.study.license))).toEqual(new Set(['CC0-1.0', 'CC-BY-4.0']));
      expect(entries.flatMap((e) => e.study.publications ?? []).every((p) => p.doi?.startsWith('10.5555/'))).toBe(true);
    },
  );
});
