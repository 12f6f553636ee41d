// `npm run bench [-- --quick] [-- --only NAME]`: runs bench/*.bench.ts in turn and writes BENCHMARKS.md.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { toIsoDay } from '../catalog/dates.ts';
import { removeAfterRun, removeQueuedFolders, type Benchmark, type BenchRow } from './harness.ts';

const { values } = parseArgs({
  options: { quick: { type: 'boolean' }, only: { type: 'string' }, out: { type: 'string' } },
});
const folder = new URL('./', import.meta.url);
const modules = (await readdir(folder))
  .filter((f) => f.endsWith('.bench.ts') && (!values.only || f.startsWith(values.only)))
  .sort();
const rows: BenchRow[] = [];
for (const file of modules) {
  const workDir = await mkdtemp(join(tmpdir(), `bench-${file.replace(/\W/g, '-')}-`));
  process.stderr.write(`== ${file}\n`);
  try {
    const benchmark = (await import(new URL(file, folder).href)).default as Benchmark;
    rows.push(...(await benchmark({ quick: Boolean(values.quick), workDir })));
  } catch (error) {
    rows.push({
      section: file,
      what: 'benchmark failed',
      result: String((error as Error).message).slice(0, 200),
      verdict: 'missed',
      command: `npm run bench -- --only ${file.split('.')[0]}`,
    });
  } finally {
    removeAfterRun(workDir);
  }
}

await removeQueuedFolders();

const machine =
  `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ` +
  `${process.versions.node}`;
const stamp = `${toIsoDay(new Date())}${values.quick ? ', --quick sizes' : ''}; ${machine}`;
const rendered = new Map<string, string>();
for (const section of new Set(rows.map((r) => r.section))) {
  const lines = rows
    .filter((r) => r.section === section)
    .map((r) => `| ${r.what} | ${r.result} | ${r.target ?? ''} | ${r.verdict ?? ''} | \`${r.command}\` |`);
  rendered.set(
    section,
    `## ${section}\n\nMeasured ${stamp}.\n\n| What | Result | Target | Verdict | Reproduce |\n` +
      `|---|---|---|---|---|\n${lines.join('\n')}\n`,
  );
}

// A run of some benchmarks (--only) replaces their sections and keeps the others, each with the date it was measured.
const target = values.out ?? fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const previous = await readFile(target, 'utf8').catch(() => '');
const kept = previous
  .split(/\n(?=## )/)
  .slice(1)
  .filter((block) => !rendered.has(block.slice(3, block.indexOf('\n'))));
const sections = [...kept.map((b) => b.trimEnd() + '\n'), ...rendered.values()];
const text =
  `# Benchmarks\n\nWritten by \`npm run bench\` (all, or \`-- --only NAME\` for one area, which replaces only ` +
  `its sections). Each\nsection says when and on what machine it was measured; each row's command reproduces it ` +
  `alone.\n\n${sections.join('\n')}`;
await writeFile(target, text);
process.stderr.write(`wrote ${target} (${rows.length} rows)\n`);
