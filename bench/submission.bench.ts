// Submission by pull request: the check step of .github/workflows/check.yml (`catalogue report` on the files a
// pull request changes, writing annotations, the job summary and the comment body), and the renderers alone.
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../catalog/problems.ts';
import { renderAnnotations } from '../catalog/report/annotations.ts';
import { countProblems, renderComment, renderSummary } from '../catalog/report/markdown.ts';
import { formatBytes, formatSeconds, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const submission = fileURLToPath(new URL('../test/submission/fixtures/valid/ribosome-complex-tem/', import.meta.url));
const section = 'Submission by pull request';

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const size = quick ? 10_000 : 100_000;
  const dir = join(workDir, 'catalogue');
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
  // A pull request that adds 10 submissions.
  const changed: string[] = [];
  for (let i = 0; i < 10; i++) {
    const target = join(dir, 'submissions', `bench-submission-${i}`);
    await mkdir(target, { recursive: true });
    await cp(submission, target, { recursive: true });
    // Each submission has a prefix of its own (a prefix belongs to exactly one record).
    const manifest = join(target, 'manifest.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace(/"prefix": "[^"]*"/, `"prefix": "submissions/bench-submission-${i}/"`),
    );
    changed.push(join(target, 'entry.yaml'), join(target, 'manifest.json'));
  }
  const pathsFile = join(workDir, 'changed.txt');
  await writeFile(pathsFile, changed.join('\n') + '\n');
  const report = await measureCommand(
    process.execPath,
    [
      cli,
      'report',
      '--catalog',
      dir,
      '--paths-from',
      pathsFile,
      '--summary',
      join(workDir, 'summary.md'),
      '--comment',
      join(workDir, 'comment.md'),
    ],
    { cwd: workDir },
  );
  rows.push({
    section,
    what:
      `check.yml's report step: 10 new submissions in a ${size.toLocaleString('en')}-entry catalogue ` +
      `(annotations, summary, comment; process start included)`,
    result:
      `${formatSeconds(report.wallMs)} wall, ${formatBytes(report.peakRssBytes)} peak RSS (exit ` +
      `${report.exitCode})`,
    target: quick ? '' : '<= 3 s',
    verdict: quick ? '' : report.wallMs <= 3000 && report.exitCode === 0 ? 'met' : 'missed',
    command:
      `npx catalogue generate --entries ${size} --out /tmp/c && (copy 10 submissions) && npx catalogue report ` +
      `--catalog /tmp/c --paths-from changed.txt --summary s.md --comment c.md`,
  });

  // The renderers on a pathological pull request: 10,000 problems with text that needs escaping.
  const problems: Problem[] = Array.from({ length: 10_000 }, (_, i) => ({
    file: `archive/submissions/s-${i % 50}/entry.yaml`,
    line: i + 1,
    column: 3,
    pointer: `/study/authors/${i}/orcid`,
    code: 'ORCID_CHECKSUM',
    message: `the ORCID iD '0000-0001-0000-00${i % 100}' fails, 100% sure: <b>|x|</b>\nsecond line`,
    fix: 'copy it from https://orcid.org',
    severity: i % 3 ? 'error' : 'warning',
  }));
  const started = performance.now();
  const counts = countProblems(problems, 50);
  const bytes =
    renderAnnotations(problems).length +
    renderSummary(problems, counts, { limit: problems.length }).length +
    renderComment(problems, counts).length;
  const ms = performance.now() - started;
  rows.push({
    section,
    what: 'renderers: annotations + full summary + comment for 10,000 problems (in process)',
    result: `${formatSeconds(ms)}, ${(bytes / 2 ** 20).toFixed(1)} MiB of output`,
    command: 'npm run bench -- --only submission',
  });
  return rows;
};
export default benchmark;
