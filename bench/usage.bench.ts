// Usage statistics: `catalogue usage ingest` on a large synthetic combined log (2 million lines; --quick: 200,000),
// against GoAccess (Debian's `goaccess`, a log analyser in C) on the same file in the same run. The goal: at least
// half GoAccess's rate in lines per second while doing COUNTER's robots, double-clicks and sessions, and a peak RSS
// that stays flat as the log grows (the log at a quarter of the size is measured too).
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAccession } from '../catalog/accession.ts';
import { formatBytes, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const section = 'Usage statistics';

const agents = [
  'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'python-requests/2.31.0',
  'curl/8.5.0',
  'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A deterministic pseudo-random sequence (mulberry32), so that every run reads the same log. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clf(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/**
 * Writes `lines` combined-log lines: 5,000 users over 30 days, entry pages, JSON, file downloads, robots, noise,
 * repeated requests.
 */
export async function writeSyntheticLog(file: string, lines: number): Promise<void> {
  const next = random(42);
  const accessions = Array.from({ length: 500 }, (_, i) => formatAccession(i + 1));
  const out = createWriteStream(file);
  const start = Date.UTC(2026, 9, 1);
  const step = (30 * 86_400_000) / lines;
  let batch = '';
  let previous = '';
  for (let i = 0; i < lines; i++) {
    // One line in ten repeats the line before (a reload, a range request of the same file): double-clicks.
    if (previous && next() < 0.1) {
      batch += previous.replace(/\[[^\]]+\]/, `[${clf(start + i * step)}]`);
      continue;
    }
    const user = Math.floor(next() * 5000);
    const ip = `10.${(user >> 8) & 255}.${user & 255}.${(user * 7) & 255}`;
    const agent = agents[user % agents.length];
    const accession = accessions[Math.floor(next() ** 2 * accessions.length)];
    const pick = next();
    const path =
      pick < 0.35
        ? `/entries/${accession}/`
        : pick < 0.45
          ? `/entries/${accession}.json`
          : pick < 0.8
            ? `/${accession}/images/plate-${Math.floor(next() * 20)}.ome.tiff`
            : pick < 0.9
              ? `/search/?q=term${Math.floor(next() * 100)}`
              : '/';
    const status = next() < 0.05 ? 404 : pick > 0.6 && pick < 0.8 && next() < 0.3 ? 206 : 200;
    previous =
      `${ip} - - [${clf(start + i * step)}] "GET ${path} HTTP/1.1" ${status} ${Math.floor(next() * 1e6)} ` +
      `"https://catalogue.example.org/" "${agent}"\n`;
    batch += previous;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      batch = '';
    }
  }
  out.end(batch);
  await new Promise<void>((resolve, reject) => out.on('finish', () => resolve()).on('error', reject));
}

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const sizes = quick ? [50_000, 200_000] : [500_000, 2_000_000];
  const folder = join(workDir, 'usage');
  await mkdir(folder, { recursive: true });
  const mirrors = join(folder, 'mirrors.yaml');
  await writeFile(mirrors, 'mirrors:\n  - id: bench\n    kind: folder\n    role: primary\n    path: bucket\n');
  let haveGoAccess = true;
  try {
    execFileSync('goaccess', ['--version'], { stdio: 'ignore' });
  } catch {
    haveGoAccess = false;
  }
  for (const lines of sizes) {
    const logs = join(folder, `logs-${lines}`);
    await mkdir(logs, { recursive: true });
    const log = join(logs, 'access.log');
    await writeSyntheticLog(log, lines);
    const catalog = join(folder, `catalog-${lines}`);
    const ours = await measureCommand(process.execPath, [
      cli,
      '--catalog',
      catalog,
      'usage',
      'ingest',
      '--mirror',
      'bench',
      '--mirrors',
      mirrors,
      '--logs',
      logs,
    ]);
    if (ours.exitCode !== 0) throw new Error(`usage ingest exited ${ours.exitCode}`);
    const rate = (ms: number) => Math.round(lines / (ms / 1000));
    let goRate: number | undefined;
    let goResult = 'goaccess not installed';
    if (haveGoAccess) {
      const report = join(folder, `goaccess-${lines}.json`);
      const go = await measureCommand('goaccess', [log, '--log-format=COMBINED', '--no-progress', '-o', report]);
      if (go.exitCode !== 0) throw new Error(`goaccess exited ${go.exitCode}`);
      goRate = rate(go.wallMs);
      goResult = `${goRate.toLocaleString('en')} lines/s, ${formatBytes(go.peakRssBytes)} peak RSS`;
      await rm(report, { force: true });
    }
    const ourRate = rate(ours.wallMs);
    const command = `npm run bench -- --only usage${quick ? ' --quick' : ''}`;
    rows.push({
      section,
      what: `usage ingest, ${lines.toLocaleString('en')}-line combined log (COUNTER robots, double-clicks, sessions)`,
      result:
        `${ourRate.toLocaleString('en')} lines/s (${(ours.wallMs / 1000).toFixed(1)} s), ` +
        `${formatBytes(ours.peakRssBytes)} peak RSS`,
      target: goRate ? `>= ${Math.round(goRate / 2).toLocaleString('en')} lines/s (half of GoAccess)` : '',
      verdict: goRate ? (ourRate >= goRate / 2 ? 'met' : 'missed') : '',
      command,
    });
    rows.push({
      section,
      what: `GoAccess ${lines.toLocaleString('en')}-line combined log, same file (--log-format=COMBINED, JSON report)`,
      result: goResult,
      command,
    });
    await rm(logs, { recursive: true, force: true });
    await rm(catalog, { recursive: true, force: true });
  }
  return rows;
};

export default benchmark;
