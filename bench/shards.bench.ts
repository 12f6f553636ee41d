// `manifest create` in N jobs against one run, on the same folder in the same run: 20 000 files of 4 KiB in 200
// folders and 8 files of 32 MiB (--quick: 2 000 files and 4 files of 8 MiB). The N shards run one after the other
// here, so their sum is what splitting costs in machine time (each job walks the whole folder) and the longest is
// the wall time N machines would take; the merge is timed on its own, and its output checked against one run's.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSeconds, measureCommand, removeAfterRun, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const section = 'Work in N jobs (--shard)';
const shards = 4;

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const [small, large, largeSize] = quick ? [2_000, 4, 8 << 20] : [20_000, 8, 32 << 20];
  const data = join(workDir, 'shards-data');
  removeAfterRun(data);
  for (let i = 0; i < small; i++) {
    const folder = join(data, `plate-${String(i % 200).padStart(3, '0')}`);
    if (i < 200) await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `well-${i}.csv`), randomBytes(4096));
  }
  for (let i = 0; i < large; i++) await writeFile(join(data, `stack-${i}.bin`), randomBytes(largeSize));
  const label = `${small} files of 4 KiB and ${large} of ${largeSize >> 20} MiB`;
  const create = (...args: string[]) =>
    measureCommand(process.execPath, [cli, 'manifest', 'create', data, '--prefix', 'BENCH/', ...args]);
  // Once to fill the page cache, then timed.
  await create('--out', join(workDir, 'warm.json'));
  const whole = join(workDir, 'shards-whole.json');
  const one = await create('--out', whole);
  const parts: string[] = [];
  const times: number[] = [];
  for (let k = 1; k <= shards; k++) {
    const out = join(workDir, `shards-part-${k}.json`);
    times.push((await create('--shard', `${k}/${shards}`, '--out', out)).wallMs);
    parts.push(out);
  }
  const mergedFile = join(workDir, 'shards-merged.json');
  const merge = await measureCommand(process.execPath, [
    cli,
    'manifest',
    'create',
    '--merge',
    ...parts,
    '--out',
    mergedFile,
  ]);
  const identical = (await readFile(mergedFile, 'utf8')) === (await readFile(whole, 'utf8'));
  const sum = times.reduce((a, b) => a + b, 0);
  const command = 'npm run bench -- --only shards';
  const rows: BenchRow[] = [
    {
      section,
      what: `manifest create, one run, ${label}`,
      result: formatSeconds(one.wallMs),
      command,
    },
    {
      section,
      what: `manifest create --shard K/${shards}, the ${shards} jobs one after the other, same folder`,
      result:
        `sum ${formatSeconds(sum)} (${((sum / one.wallMs - 1) * 100).toFixed(0)}% over one run), longest job ` +
        `${formatSeconds(Math.max(...times))}`,
      command,
    },
    {
      section,
      what: `manifest create --merge of the ${shards} parts`,
      result: `${formatSeconds(merge.wallMs)}; ${identical ? 'byte-identical' : 'DIFFERENT'} to one run's manifest`,
      target: 'byte-identical',
      verdict: identical ? 'met' : 'missed',
      command,
    },
  ];
  return rows;
};

export default benchmark;
