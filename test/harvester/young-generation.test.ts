// The harvest keeps V8's young generation at a fixed size (harvester/young-generation.ts), so that peak RSS stays flat
// however many records arrive. Measured in a fresh process each time: allocation with survivors, as a harvest makes.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
const module = fileURLToPath(new URL('../../harvester/young-generation.ts', import.meta.url));

/** Young generation size (MiB) after churning pages of objects, some of which survive, with or without a hold. */
function youngAfterChurn(hold: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { holdYoungGeneration } from ${JSON.stringify(module)};
    const held = ${hold} ? holdYoungGeneration(8 * 1024 * 1024) : undefined;
    const pages = [];
    for (let page = 0; page < 400; page++) {
      held?.check();
      pages.push(Array.from({ length: 20000 }, (_, i) => ({ i, text: 'record ' + page + '/' + i })));
      if (pages.length > 3) pages.shift();
    }
    held?.release();
    console.log(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576);`;
  return Number(execFileSync(node, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim());
}

describe('holdYoungGeneration', () => {
  it('stops the young generation at its size (one doubling at most), where V8 alone grows it further', () => {
    const held = youngAfterChurn(true);
    const free = youngAfterChurn(false);
    expect(held).toBeLessThanOrEqual(16);
    expect(free).toBeGreaterThan(held);
  });
});
