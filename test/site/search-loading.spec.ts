// What the search page fetches (site/public/search.js), counted by the server: Pagefind fetches its index from a
// web worker, which page.on('request') does not see. At 100k entries the filter chunks alone weigh more than the
// first query's budget of 1 MB (the search row of the benchmark table in README.md; their size is in
// docs/site.md), so a word alone must not load them; using a filter must, and the counts shown then are the
// results' own.
import { expect, test, type Page } from '@playwright/test';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';

let server: RunningServer;
const fetched: string[] = [];

test.beforeAll(async () => {
  // The fixture site built by global-setup.ts, served a second time by a server of this file that logs paths.
  server = await startStaticServer({ root: process.env.SITE_TEST_DIR!, port: 0 });
  server.server.on('request', (request: { url?: string }) =>
    fetched.push(new URL(request.url ?? '/', 'http://x').pathname),
  );
});
test.afterAll(async () => server.close());
test.beforeEach(() => {
  fetched.length = 0;
});

const kinds = () => ({
  filter: fetched.filter((p) => p.endsWith('.pf_filter')).length,
  index: fetched.filter((p) => p.endsWith('.pf_index')).length,
  fragment: fetched.filter((p) => p.endsWith('.pf_fragment')).length,
});

/** Counts of the filter panel's year values, as shown ("2024 (3)"). */
async function yearCounts(page: Page): Promise<Record<string, number>> {
  const labels = await page.locator('fieldset', { hasText: 'Year' }).locator('label').allTextContents();
  return Object.fromEntries(labels.map((l) => /^(\S+) \((\d+)\)$/.exec(l.trim())!).map((m) => [m[1], Number(m[2])]));
}

test("a word alone loads index and fragments, no filter chunks; the panel says its counts are the catalogue's", async ({
  page,
}) => {
  await page.goto(`${server.url}search/`);
  await expect(page.locator('#status')).toHaveText('Type a word, or choose a filter.');
  const catalogueYears = await yearCounts(page);
  expect(Object.keys(catalogueYears).length).toBeGreaterThan(1);
  await page.locator('#q').pressSequentially('quokkafluorescence', { delay: 20 });
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page.locator('#status')).toHaveText('1 result for “quokkafluorescence”.');
  const loaded = kinds();
  expect(loaded.index).toBeGreaterThan(0);
  expect(loaded.fragment).toBe(1);
  expect(loaded.filter).toBe(0);
  await expect(page.locator('#filters .filters-note')).toHaveText(
    'Counts are for the whole catalogue until you choose a value.',
  );
  expect(await yearCounts(page)).toEqual(catalogueYears);
});

test('pointing at the filter panel loads the filter chunks and counts the results per filter', async ({ page }) => {
  await page.goto(`${server.url}search/`);
  await page.locator('#q').fill('quokkafluorescence');
  await expect(page.locator('#results li')).toHaveCount(1);
  expect(kinds().filter).toBe(0);
  await page.locator('#filters').hover();
  await expect(page.locator('#filters .filters-note')).toHaveCount(0);
  expect(kinds().filter).toBeGreaterThan(0);
  // One result: its year counts 1, every other year 0.
  const counts = Object.values(await yearCounts(page));
  expect(counts.filter((n) => n === 1)).toHaveLength(1);
  expect(counts.filter((n) => n !== 0 && n !== 1)).toEqual([]);
});

test('a filter in the address loads the filter chunks before the first search', async ({ page }) => {
  await page.goto(`${server.url}search/?organism=Danio+rerio`);
  await expect(page.locator('#results li').first()).toBeVisible();
  expect(kinds().filter).toBeGreaterThan(0);
  await expect(page.locator('#filters .filters-note')).toHaveCount(0);
});

test('typing does not touch the address (and so the favicon) at every keystroke, only once searched', async ({
  page,
}) => {
  await page.goto(`${server.url}search/`);
  await expect(page.locator('#status')).toHaveText('Type a word, or choose a filter.');
  const before = fetched.length;
  await page.locator('#q').pressSequentially('quokkafluorescence', { delay: 20 });
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page).toHaveURL(/\?q=quokkafluorescence$/);
  // The index chunks, one fragment, and at most one favicon request for the one address change.
  expect(fetched.slice(before).filter((p) => p.endsWith('favicon.svg')).length).toBeLessThanOrEqual(1);
});

test('an accession is matched exactly: its entry alone, and one that is nowhere lists nothing', async ({ page }) => {
  await page.goto(`${server.url}search/`);
  await page.locator('#q').fill('BIC0000013');
  await expect(page.locator('#status')).toHaveText('1 result for “BIC0000013”.');
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page.locator('#results li .accession')).toHaveText('BIC0000013');
  // Without the exact match, Pagefind falls back to words that share a shorter prefix ("bic"): every entry.
  await page.locator('#q').fill('BIC9999999');
  await expect(page.locator('#status')).toHaveText('0 results for “BIC9999999”.');
  await expect(page.locator('#results li')).toHaveCount(0);
});
