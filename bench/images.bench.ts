// Image headers in manifest creation: `manifest create` with and without reading each image's header, on a
// dataset of realistic images (OME-TIFFs, PNGs, MRC movie stacks and an OME-Zarr image of many chunks), against
// the hashing limit measured in the same run (`openssl dgst -sha256` on every core over the same files). The
// dataset is written by reference writers (bench/images-dataset.py: tifffile, zarr, numpy; PNGs by sharp).
import { execFileSync } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createManifest } from '../storage/manifest.ts';
import { createHashPool } from '../storage/hash-pool.ts';
import { measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const section = 'Image metadata';
const writer = fileURLToPath(new URL('./images-dataset.py', import.meta.url));

const gbps = (bytes: number, ms: number) => bytes / 1e9 / (ms / 1000);
const fmt = (bytes: number, ms: number) => `${gbps(bytes, ms).toFixed(2)} GB/s (${(ms / 1000).toFixed(2)} s)`;

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const data = join(workDir, 'dataset');
  execFileSync('/usr/bin/python3', [writer, data, quick ? '0.25' : '1'], { stdio: 'inherit' });
  await mkdir(join(data, 'png'), { recursive: true });
  const pngs = quick ? 25 : 100;
  for (let i = 0; i < pngs; i++) {
    const pixels = Buffer.alloc(512 * 512 * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = (p * 31 + i * 7) % 251;
    await sharp(pixels, { raw: { width: 512, height: 512, channels: 3 } })
      .png()
      .toFile(join(data, 'png', `tile_${String(i).padStart(3, '0')}.png`));
  }
  const files = (await readdir(data, { recursive: true, withFileTypes: true })).filter((d) => d.isFile());
  const cores = cpus().length;
  // In the page cache, as the storage benchmark measures: read once before timing.
  execFileSync('sh', ['-c', `find ${data} -type f -exec cat {} + > /dev/null`]);
  const limit = await measureCommand('sh', [
    '-c',
    `find ${data} -type f -print0 | xargs -0 -P${cores} -n64 openssl dgst -sha256 > /dev/null`,
  ]);
  const pool = createHashPool();
  const timed = async (readImages: boolean) => {
    const started = performance.now();
    const { manifest, problems, warnings } = await createManifest(data, { prefix: 'bench/', pool, readImages });
    if (problems.length > 0 || warnings.length > 0) throw new Error(`manifest create: ${problems[0] ?? warnings[0]}`);
    return { ms: performance.now() - started, manifest };
  };
  try {
    // One warm-up each, then the better of three: the machine is shared, and the slower runs measure the others.
    await timed(false);
    await timed(true);
    let without = Infinity;
    let withImages = Infinity;
    let manifest;
    for (let run = 0; run < 3; run++) {
      without = Math.min(without, (await timed(false)).ms);
      const read = await timed(true);
      withImages = Math.min(withImages, read.ms);
      manifest = read.manifest;
    }
    const total = manifest!.files.reduce((sum, f) => sum + f.size, 0);
    const images = manifest!.files.filter((f) => f.image).length;
    const limitRate = total / limit.wallMs;
    const rate = total / withImages;
    const label = `${(total / 1e6).toFixed(0)} MB in ${files.length} files (${images} images read)`;
    const rows: BenchRow[] = [
      {
        section,
        what: `manifest create reading image headers, ${label}, in the page cache`,
        result:
          `${fmt(total, withImages)}, without reading ${fmt(total, without)} (reading costs ` +
          `${(((withImages - without) / without) * 100).toFixed(0)}%); ${((rate / limitRate) * 100).toFixed(0)}% of ` +
          `the hashing limit measured in this run (openssl dgst on ${cores} cores: ${fmt(total, limit.wallMs)})`,
        target: '>= 70% of the hashing limit',
        verdict: rate >= 0.7 * limitRate ? 'met' : 'missed',
        command: 'npm run bench -- --only images',
      },
    ];
    return rows;
  } finally {
    await pool.close();
  }
};

export default benchmark;
