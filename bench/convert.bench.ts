// OME-Zarr conversion (`catalogue convert`): throughput (MB/s of input) and peak RSS on a 3D uint16 stack of
// 64 x 4096 x 4096 (2.1 GB; --quick: 8 x 2048 x 2048, 67 MB) and on 500 TIFFs of 512 x 512 (--quick: 100), against
// the hashing limit (`sha256sum` over the same files in the same run) and a peer: Debian's tifffile reading and
// zarr 2.13 writing the same pyramid with the same chunks and zstd level (bench/convert-peer.py). Inputs are written
// once by tifffile (bench/convert-inputs.py).
import { execFileSync } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const inputsScript = fileURLToPath(new URL('./convert-inputs.py', import.meta.url));
const peerScript = fileURLToPath(new URL('./convert-peer.py', import.meta.url));
const python = '/usr/bin/python3';
const section = 'OME-Zarr conversion';

const mbps = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
const rss = (bytes: number | null) => (bytes === null ? 'RSS unknown' : `${formatBytes(bytes)} peak RSS`);

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const [planes, size, small] = quick ? [8, 2048, 100] : [64, 4096, 500];
  execFileSync(python, [inputsScript, workDir, String(planes), String(size), String(small)], { stdio: 'inherit' });
  const mirrors = join(workDir, 'mirrors.yaml');
  await writeFile(
    mirrors,
    `mirrors:\n  - id: local\n    kind: folder\n    role: primary\n    path: ${workDir}/bucket\n`,
  );
  for (const [name, label] of [
    ['stack', `${planes} x ${size} x ${size} uint16 TIFF stack`],
    ['small', `${small} TIFFs of 512 x 512 uint8`],
  ]) {
    const data = join(workDir, name);
    const files = (await readdir(join(data, 'images'))).map((f) => join(data, 'images', f));
    let bytes = 0;
    for (const file of files) bytes += (await stat(file)).size;
    const manifest = join(workDir, `${name}-manifest.json`);
    execFileSync(process.execPath, [cli, 'manifest', 'create', data, '--prefix', `${name}/`, '--out', manifest]);
    const list = join(workDir, `${name}-files.txt`);
    await writeFile(list, files.join('\n') + '\n');
    const hashing = await measureCommand('sh', ['-c', `xargs sha256sum < '${list}' > /dev/null`]);
    const ours = await measureCommand(process.execPath, [
      cli,
      'convert',
      manifest,
      '--files',
      data,
      '--mirrors',
      mirrors,
    ]);
    if (ours.exitCode !== 0) throw new Error(`catalogue convert failed on ${label}`);
    const peer = await measureCommand(python, [peerScript, join(workDir, `${name}-peer.zarr`), ...files]);
    if (peer.exitCode !== 0) throw new Error(`the peer failed on ${label}`);
    const size = formatBytes(bytes);
    rows.push(
      {
        section,
        what: `catalogue convert (OME-NGFF 0.5, zstd), ${label} (${size})`,
        result: `${mbps(bytes, ours.wallMs)} (${(ours.wallMs / 1000).toFixed(1)} s), ${rss(ours.peakRssBytes)}`,
        target: 'peak RSS independent of the input size',
        verdict: '',
        command: 'npm run bench -- --only convert',
      },
      {
        section,
        what: `peer: tifffile + zarr 2.13 (OME-NGFF 0.4, zstd), same pyramid and chunks, ${label}`,
        result: `${mbps(bytes, peer.wallMs)} (${(peer.wallMs / 1000).toFixed(1)} s), ${rss(peer.peakRssBytes)}`,
        command: 'npm run bench -- --only convert',
      },
      {
        section,
        what: `hashing limit: sha256sum on one core, ${label}`,
        result: `${mbps(bytes, hashing.wallMs)} (${(hashing.wallMs / 1000).toFixed(1)} s)`,
        command: 'npm run bench -- --only convert',
      },
    );
  }
  return rows;
};

export default benchmark;
