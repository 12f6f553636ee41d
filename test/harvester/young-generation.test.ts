// A harvest runs with V8's young generation capped at process start (harvester/young-generation.ts), so that peak
// RSS stays flat however many records arrive. Measured in a fresh process each time: allocation with survivors, as a
// harvest makes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { youngGenerationFlag } from '../../harvester/young-generation.ts';

const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const module = fileURLToPath(new URL('../../harvester/young-generation.ts', import.meta.url));
const cli = fileURLToPath(new URL('../../cli/catalogue.mjs', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'young-generation-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

// Churns pages of objects, some of which survive; prints the options it ran with and its largest young generation.
// V8 counts pages on their way to the old generation in new_space for a moment, so the largest size seen is up to
// about twice the cap, now and then more: the bounds allow three times the cap, against 128 MiB left to grow.
const churn = join(folder, 'churn.mjs');
writeFileSync(
  churn,
  `
  import { getHeapSpaceStatistics } from 'node:v8';
  import { restartWithYoungGenerationLimit } from ${JSON.stringify(module)};
  if (process.argv[2] === 'restart') restartWithYoungGenerationLimit(8 * 1024 * 1024);
  const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  let largest = young();
  const pages = [];
  for (let page = 0; page < 400; page++) {
    pages.push(Array.from({ length: 20000 }, (_, i) => ({ i, text: 'record ' + page + '/' + i })));
    if (pages.length > 3) pages.shift();
    largest = Math.max(largest, young());
  }
  console.log(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(2), mib: largest / 1048576 }));`,
);

function run(nodeArgs: string[], args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const out = execFileSync(node, [...nodeArgs, churn, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return JSON.parse(out.trim()) as { execArgv: string[]; argv: string[]; mib: number };
}

describe('youngGenerationFlag', () => {
  it('gives two semi-spaces of half the size, in MiB', () => {
    expect(youngGenerationFlag()).toBe('--max-semi-space-size=16');
    expect(youngGenerationFlag(8 * 1024 * 1024)).toBe('--max-semi-space-size=4');
  });
  it('keeps the young generation at its size, where V8 alone grows it further', () => {
    const capped = run([youngGenerationFlag(8 * 1024 * 1024)]);
    const free = run([]);
    expect(capped.mib).toBeLessThanOrEqual(24);
    expect(free.mib).toBeGreaterThan(2 * capped.mib);
  });
});

describe('restartWithYoungGenerationLimit', () => {
  it('starts the same command again with the flag, its arguments unchanged', () => {
    const restarted = run(['--no-warnings'], ['restart', 'a b']);
    expect(restarted.execArgv).toEqual(['--no-warnings', '--max-semi-space-size=4']);
    expect(restarted.argv).toEqual(['restart', 'a b']);
    expect(restarted.mib).toBeLessThanOrEqual(24);
  });
  it('leaves a semi-space size given on the command line or in NODE_OPTIONS alone', () => {
    expect(run(['--max-semi-space-size=4'], ['restart']).execArgv).toEqual(['--max-semi-space-size=4']);
    // NODE_OPTIONS gives 2 MiB semi-spaces: the script is not restarted, and runs capped all the same.
    const fromEnv = run([], ['restart'], { NODE_OPTIONS: '--max-semi-space-size=2' });
    expect(fromEnv.execArgv).toEqual([]);
    expect(fromEnv.mib).toBeLessThanOrEqual(24);
  });
  it('lets `catalogue harvest` start as before', () => {
    const usage = execFileSync(node, [cli, '--catalog', folder, 'harvest', '--help'], { encoding: 'utf8' });
    expect(usage).toMatch(/harvest/);
  });
});
