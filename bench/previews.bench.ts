// Previews: `catalogue previews` over an entry on a folder mirror, the images written by the test writers
// (test/images/write-test-images.py: OME-TIFF of 8/16/32-bit and float data, a 2048 x 2048 tiled pyramid, an
// ImageJ hyperstack, an RGB TIFF, an OME-Zarr 0.4 pyramid, an MRC volume), several sets of them with different noise
// so that every image is distinct; and one 8192 x 8192 uint16 plane without a pyramid (the full plane is read).
// Each original is copied from the mirror and verified before it is drawn, as in production.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, measureCommand, removeAfterRun, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const writer = fileURLToPath(new URL('../test/images/write-test-images.py', import.meta.url));
const section = 'Previews';

const bigPlane = `
import sys, numpy as np, tifffile
y, x = np.mgrid[0:8192, 0:8192]
plane = ((x + y) % 4096 * 16).astype(np.uint16)
tifffile.imwrite(sys.argv[1], plane, ome=True, tile=(512, 512), compression='zlib')
`;

async function previewsRow(workDir: string, name: string, what: string, write: (data: string) => void) {
  const root = join(workDir, name);
  const data = join(root, 'data');
  await mkdir(data, { recursive: true });
  removeAfterRun(root);
  write(data);
  const mirrors = join(root, 'mirrors.yaml');
  await writeFile(mirrors, `mirrors:\n  - { id: local, kind: folder, role: primary, path: ${join(root, 'bucket')} }\n`);
  const manifest = join(root, 'manifest.json');
  const run = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
  run('manifest', 'create', data, '--prefix', 'BIC0000013/', '--out', manifest);
  run('upload', data, '--manifest', manifest, '--mirror', 'local', '--mirrors', mirrors, '--no-previews');
  const measured = await measureCommand(process.execPath, [cli, 'previews', manifest, '--mirrors', mirrors]);
  const made = Number(/previews made for (\d+) image/.exec(measured.stdout)?.[1] ?? 0);
  const seconds = measured.wallMs / 1000;
  const row: BenchRow = {
    section,
    what,
    result:
      `${(made / seconds).toFixed(1)} images/s (${made} images, ${seconds.toFixed(1)} s), ` +
      `${formatBytes(measured.peakRssBytes)} peak RSS`,
    command: 'npm run bench -- --only previews',
  };
  return row;
}

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const sets = quick ? 1 : 4;
  const rows = [
    await previewsRow(workDir, 'previews-set', `catalogue previews, ${sets} set(s) of 11 test images`, (data) => {
      for (let seed = 0; seed < sets; seed++)
        execFileSync('/usr/bin/python3', [writer, join(data, `set-${seed}`), String(seed + 1)], { stdio: 'ignore' });
    }),
  ];
  if (!quick)
    rows.push(
      await previewsRow(
        workDir,
        'previews-large',
        'catalogue previews, one 8192 x 8192 uint16 plane, no pyramid',
        (d) => execFileSync('/usr/bin/python3', ['-c', bigPlane, join(d, 'large.ome.tif')], { stdio: 'ignore' }),
      ),
    );
  return rows;
};

export default benchmark;
