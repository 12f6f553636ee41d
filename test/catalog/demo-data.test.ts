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
import { demoManifest, renderDemoFiles, writeDemoData } from '../../catalog/demo/data.ts';
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
      // The previews the manifest lists, drawn into the bucket with the same bytes (deterministic PNGs).
      for (const item of manifest.derived ?? []) {
        const bytes = await readFile(join(bucket, manifest.location.prefix, item.path));
        expect(createHash('sha256').update(bytes).digest('hex'), item.path).toBe(item.sha256);
        expected.push(manifest.location.prefix + item.path);
      }
    }
    expect(await listFiles(bucket)).toEqual(expected.sort());
  }, 120_000);

  it('is product code: writeDemoData, as `catalogue start` calls it, fills a bucket in-process', async () => {
    const accession = 'BIC0000013';
    const committed = JSON.parse(await readFile(join(archive, 'entries', accession, 'manifest.json'), 'utf8'));
    // The committed manifest is measured (cli/demo-bucket.ts): the plan's files plus the headers read and previews.
    const { derived, ...measured } = committed as Manifest;
    expect(derived?.length).toBeGreaterThan(0);
    expect(demoManifest(accession)).toEqual({
      ...measured,
      files: measured.files.map(({ image: _image, ...file }) => file),
    });
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

/** The concatenated IDAT chunks of a PNG (PNG 2nd ed. §11.2.4). */
function pngData(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.subarray(at + 4, at + 8).toString('latin1') === 'IDAT')
      parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return Buffer.concat(parts);
}

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
      // Colour type 0 (grey) or 2 (RGB), 8 bits (the real images are RGB); one filter byte per row.
      const samples = bytes[25] === 2 ? 3 : 1;
      // zlib verifies the deflate stream, split over one or more IDAT chunks, and its Adler-32.
      expect(inflateSync(pngData(bytes)).length, path).toBe((width * samples + 1) * height);
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
  it('passes `catalogue check`: no errors, warnings only for components in formats only recognised', async () => {
    const result = await checkCatalogue(archive, { today });
    // BIC0000092 and BIC0000101 hold HDF5 volumes, whose headers the catalogue recognises but does not read.
    expect(result.problems.map((p) => `${p.file} ${p.code} ${p.severity}`)).toEqual([
      'entries/BIC0000092/entry.yaml IMAGE_METADATA_MISSING warning',
      'entries/BIC0000101/entry.yaml IMAGE_METADATA_MISSING warning',
    ]);
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

// ---------------------------------------------------------------------------------------------------------------
// The pixels: the demo's images look like microscopy (catalog/demo/scenes.ts), not like noise.

/** Plane `page` of a baseline TIFF as the demo writes it (uncompressed, one strip per page), scaled to [0, 1]. */
function tiffPlane(bytes: Buffer, page: number): { values: Float64Array; width: number; height: number } {
  let ifd = bytes.readUInt32LE(4);
  for (let p = 0; p < page; p++) ifd = bytes.readUInt32LE(ifd + 2 + bytes.readUInt16LE(ifd) * 12);
  const tags = new Map<number, number>();
  for (let i = 0; i < bytes.readUInt16LE(ifd); i++) {
    const at = ifd + 2 + i * 12;
    const type = bytes.readUInt16LE(at + 2);
    tags.set(bytes.readUInt16LE(at), type === 3 ? bytes.readUInt16LE(at + 8) : bytes.readUInt32LE(at + 8));
  }
  const [width, height, bits, offset, samples] = [256, 257, 258, 273, 277].map((t) => tags.get(t)!);
  const values = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++) {
    // An RGB page is read as its luminance (Rec. 601 weights).
    if (samples === 3)
      values[i] =
        (0.299 * bytes[offset + i * 3] + 0.587 * bytes[offset + i * 3 + 1] + 0.114 * bytes[offset + i * 3 + 2]) / 255;
    else values[i] = bits === 8 ? bytes[offset + i] / 255 : bytes.readUInt16LE(offset + i * 2) / 4095;
  }
  return { values, width, height };
}

/** Slice `z` of an MRC mode-1 file, scaled to [0, 1] by the header's minimum and maximum. */
function mrcSlice(bytes: Buffer, z: number): { values: Float64Array; width: number; height: number } {
  const [width, height] = [bytes.readInt32LE(0), bytes.readInt32LE(4)];
  const [min, max] = [bytes.readFloatLE(76), bytes.readFloatLE(80)];
  const values = new Float64Array(width * height);
  for (let i = 0; i < width * height; i++)
    values[i] = (bytes.readInt16LE(1024 + (z * width * height + i) * 2) - min) / (max - min);
  return { values, width, height };
}

const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: Float64Array) => {
  const m = mean(v);
  return Math.sqrt(mean(v.map((x) => (x - m) ** 2)));
};

/** Correlation of each pixel with its right neighbour: near 0 for noise, near 1 for objects larger than a pixel. */
function neighbourCorrelation({ values, width }: { values: Float64Array; width: number }): number {
  const m = mean(values);
  let covariance = 0;
  let variance = 0;
  for (let i = 0; i < values.length; i++) {
    variance += (values[i] - m) ** 2;
    if ((i + 1) % width !== 0) covariance += (values[i] - m) * (values[i + 1] - m);
  }
  return covariance / variance;
}

/** Sizes of the 4-connected regions of pixels above `threshold`. */
function regionSizes(
  { values, width, height }: { values: Float64Array; width: number; height: number },
  threshold: number,
) {
  const seen = new Uint8Array(values.length);
  const sizes: number[] = [];
  for (let start = 0; start < values.length; start++) {
    if (seen[start] || values[start] <= threshold) continue;
    let size = 0;
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % width;
      for (const j of [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width])
        if (j >= 0 && j < values.length && !seen[j] && values[j] > threshold) {
          seen[j] = 1;
          stack.push(j);
        }
    }
    sizes.push(size);
  }
  void height;
  return sizes;
}

const percentile = (values: Float64Array, share: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(share * (values.length - 1))];

describe('demo images', () => {
  const file = (accession: string, path: string) =>
    Buffer.from(renderDemoFiles(accession).find((f) => f.path === path)!.bytes);

  it('show a nuclear stain as round bright nuclei on a dark background: a bimodal histogram, large regions', () => {
    // BIC0000037's OME-TIFF: XYZCT, 6 planes per channel, channel 0 (DAPI); plane 3 is in the middle of the stack.
    const plane = tiffPlane(file('BIC0000037', 'images/t0h_rep1.ome.tiff'), 3);
    const max = Math.max(...plane.values);
    const share = (test: (v: number) => boolean) => plane.values.filter(test).length / plane.values.length;
    expect(share((v) => v < 0.2 * max)).toBeGreaterThan(0.5);
    expect(share((v) => v > 0.5 * max)).toBeGreaterThan(0.05);
    expect(share((v) => v >= 0.2 * max && v <= 0.5 * max)).toBeLessThan(0.2);
    const nuclei = regionSizes(plane, 0.5 * max).filter((size) => size >= 30);
    expect(nuclei.length).toBeGreaterThanOrEqual(5);
  });

  it('focus a z-stack in its middle planes: defocused above and below, nuclei are dimmer and fewer stand out', () => {
    const bytes = file('BIC0000037', 'images/t0h_rep1.ome.tiff');
    const [top, middle, bottom] = [0, 3, 5].map((z) => tiffPlane(bytes, z));
    // Out of focus, a nucleus's light spreads over a larger disc: its brightest pixels are dimmer.
    expect(percentile(middle.values, 0.99)).toBeGreaterThan(percentile(top.values, 0.99) * 1.3);
    expect(percentile(middle.values, 0.99)).toBeGreaterThan(percentile(bottom.values, 0.99) * 1.3);
    const threshold = 0.5 * percentile(middle.values, 0.99);
    const large = (plane: typeof middle) => regionSizes(plane, threshold).filter((size) => size >= 30).length;
    expect(large(middle)).toBeGreaterThan(large(top));
  });

  it('are not noise: neighbouring pixels correlate and the contrast is above a floor, in every format', () => {
    const planes: [string, { values: Float64Array; width: number; height: number }][] = [
      ['nuclei', tiffPlane(file('BIC0000037', 'images/t0h_rep1.ome.tiff'), 3)],
      ['cytoplasm', tiffPlane(file('BIC0000037', 'images/t0h_rep1.ome.tiff'), 9)],
      ['spots', tiffPlane(file('BIC0000130', 'fixed/disc_72h.ome.tiff'), 12)],
      ['time-lapse', tiffPlane(file('BIC0000045', 'movies/glucose_field01.tif'), 0)],
      ['x-ray', tiffPlane(file('BIC0000076', 'volumes/wt_root_01.tif'), 0)],
      ['slide', tiffPlane(file('BIC0000163', 'slides/tonsil_01.tif'), 0)],
      ['micrograph', mrcSlice(file('BIC0000013', 'movies/movie_0001.mrc'), 0)],
      ['map', mrcSlice(file('BIC0000013', 'maps/half_map_1.mrc'), 32)],
    ];
    for (const [what, plane] of planes) {
      expect(neighbourCorrelation(plane), what).toBeGreaterThan(0.5);
      expect(sd(plane.values), what).toBeGreaterThan(0.05);
    }
  });

  it('give channel names and colours in their OME-XML and OME-NGFF metadata', () => {
    const tiff = file('BIC0000130', 'fixed/disc_72h.ome.tiff').toString('utf8');
    expect(tiff).toMatch(/<Channel ID="Channel:0:0" Name="DAPI" Color="65535"/);
    expect(tiff).toMatch(/<Channel ID="Channel:0:1" Name="GFP" Color="16711935"/);
    expect(tiff).toContain('PhysicalSizeXUnit="µm"');
    const attrs = JSON.parse(file('BIC0000059', 'kidney_01.ome.zarr/.zattrs').toString('utf8'));
    expect(attrs.omero.channels.map((c: { label: string; color: string }) => [c.label, c.color])).toEqual([
      ['DAPI', '0000FF'],
      ['GFP', '00FF00'],
    ]);
  });

  it('are the same bytes on every run', () => {
    const hash = (accession: string) =>
      renderDemoFiles(accession).map((f) => createHash('sha256').update(f.bytes).digest('hex'));
    expect(hash('BIC0000130')).toEqual(hash('BIC0000130'));
  });

  it('include real images, copied byte for byte, whose licence the entry states', async () => {
    for (const [accession, path, source, licence] of [
      ['BIC0000158', 'reference/cell_quantitative_phase.png', 'cell.png', 'CC0-1.0'],
      ['BIC0000163', 'slides/colon_ihc_fhl2.png', 'ihc.png', 'no known copyright restrictions'],
    ] as const) {
      expect(file(accession, path)).toEqual(await readFile(join(repo, 'catalog/demo/real-images', source)));
      const entry = await readYaml<Entry>(join(archive, 'entries', accession, 'entry.yaml'));
      expect(entry.study.acknowledgements).toContain(path);
      expect(entry.study.acknowledgements).toContain(licence);
    }
  });
});
