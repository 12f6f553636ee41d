// Catalogue check at scale: 10k and 100k generated entries, and a
// pull-request-sized check (10 changed entries in the 100k catalogue), each as a whole CLI process, as CI runs it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAccession } from '../catalog/accession.ts';
import { formatBytes, formatSeconds, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const section = 'Catalogue check';

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const sizes = quick ? [1_000, 10_000] : [10_000, 100_000];
  for (const size of sizes) {
    const dir = join(workDir, `catalogue-${size}`);
    const generated = await measureCommand(process.execPath, [
      cli,
      'generate',
      '--entries',
      String(size),
      '--out',
      dir,
      '--json',
    ]);
    if (generated.exitCode !== 0) throw new Error(`generate ${size} failed`);
    const checked = await measureCommand(process.execPath, [cli, 'check', '--quiet', '--catalog', dir]);
    const large = size === sizes[sizes.length - 1] && !quick;
    rows.push({
      section,
      what: `check of ${size.toLocaleString('en')} generated entries (entry.yaml + manifest.json each)`,
      result:
        `${formatSeconds(checked.wallMs)} wall, ${formatBytes(checked.peakRssBytes)} peak RSS (exit ` +
        `${checked.exitCode}); generating them took ${formatSeconds(generated.wallMs)}`,
      target: large ? '<= 30 s, <= 1.5 GB peak RSS' : '',
      verdict: large
        ? checked.wallMs <= 30_000 && (checked.peakRssBytes ?? 0) <= 1.5 * 2 ** 30 && checked.exitCode === 0
          ? 'met'
          : 'missed'
        : '',
      command:
        `npx catalogue generate --entries ${size} --out /tmp/c${size} && /usr/bin/time -v npx catalogue check ` +
        `--quiet --catalog /tmp/c${size}`,
    });
    if (size === sizes[sizes.length - 1]) {
      // A pull request that changes 10 entries: only they are read, plus the catalogue-wide invariants.
      const changed: string[] = [];
      for (let i = 0; i < 10; i++) {
        const path = join(dir, 'entries', formatAccession(1 + i * Math.floor(size / 10)), 'entry.yaml');
        await writeFile(
          path,
          (await readFile(path, 'utf8')).replace('  keywords:\n', '  keywords:\n    - edited in a pull request\n'),
        );
        changed.push(path);
      }
      const pr = await measureCommand(process.execPath, [cli, 'check', '--quiet', '--catalog', dir, ...changed]);
      rows.push({
        section,
        what:
          `pull-request check: 10 changed entries in a ${size.toLocaleString('en')}-entry catalogue (process ` +
          `start included)`,
        result: `${formatSeconds(pr.wallMs)} wall, ${formatBytes(pr.peakRssBytes)} peak RSS (exit ${pr.exitCode})`,
        target: quick ? '' : '<= 3 s',
        verdict: quick ? '' : pr.wallMs <= 3000 ? 'met' : 'missed',
        command: `npx catalogue check --catalog /tmp/c${size} /tmp/c${size}/entries/BIC0000013 ... (10 entry folders)`,
      });
    }
  }
  return rows;
};
export default benchmark;
