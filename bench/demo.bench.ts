// The demo catalogue: filling the embedded bucket from scripts/demo-data.ts, regenerating the manifests, and
// importing a real BioImage Archive study with `catalogue import-pagetab`. These rows have no targets.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, formatSeconds, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const script = fileURLToPath(new URL('../scripts/demo-data.ts', import.meta.url));
const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const archive = fileURLToPath(new URL('../archive', import.meta.url));
const study = fileURLToPath(
  new URL(
    '../test/catalog/fixtures/pagetab/invalid/untitled-publication-and-dangling-association/S-BIAD2225.json',
    import.meta.url,
  ),
);
const section = 'Demo catalogue';

const benchmark: Benchmark = async ({ workDir }) => {
  const rows: BenchRow[] = [];
  const data = await measureCommand(process.execPath, [script, '--bucket', join(workDir, 'bucket')]);
  if (data.exitCode !== 0) throw new Error('demo-data failed');
  rows.push({
    section,
    what: 'write the demo data and draw its previews into the local bucket (196 files, 59.2 MiB)',
    result: `${formatSeconds(data.wallMs)} wall, ${formatBytes(data.peakRssBytes)} peak RSS`,
    target: '',
    verdict: '',
    command: 'npx node scripts/demo-data.ts --bucket /tmp/bucket',
  });
  // On a copy: others work in the same tree, and the bench must not touch committed files.
  await cp(archive, join(workDir, 'archive'), { recursive: true });
  const manifests = await measureCommand(process.execPath, [
    script,
    '--write-manifests',
    '--catalog',
    join(workDir, 'archive'),
  ]);
  rows.push({
    section,
    what: 'regenerate the 24 demo manifests (render every file, read its headers, draw its previews)',
    result:
      `${formatSeconds(manifests.wallMs)} wall, ${formatBytes(manifests.peakRssBytes)} peak RSS (exit ` +
      `${manifests.exitCode})`,
    target: '',
    verdict: '',
    command: 'npx node scripts/demo-data.ts --write-manifests',
  });
  const imported = await measureCommand(process.execPath, [
    cli,
    'import-pagetab',
    study,
    '--out',
    join(workDir, 'submissions', 'imported-study'),
    '--scale',
    'cell',
    '--json',
  ]);
  rows.push({
    section,
    what: 'import-pagetab of S-BIAD2225 (43 KB, 5 study components, BioImages.v5); process start included',
    result:
      `${formatSeconds(imported.wallMs)} wall, ${formatBytes(imported.peakRssBytes)} peak RSS (exit ` +
      `${imported.exitCode}: the study has problems)`,
    target: '',
    verdict: '',
    command:
      'npx catalogue import-pagetab test/catalog/fixtures/pagetab/invalid/untitled-publication-and-dangling-ass' +
      'ociation/S-BIAD2225.json --out /tmp/s/submissions/x --scale cell',
  });
  return rows;
};
export default benchmark;
