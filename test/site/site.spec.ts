// The site as a member of the public uses it, in Chromium: search by a rare word and through filters, entry,
// tombstone and harvested pages, JSON-LD, injection attempts, the CSP, accessibility (axe-core) and phone width.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

const base = () => process.env.SITE_TEST_URL!;
const url = (path: string) => new URL(path, base()).href;

/** Console errors, page errors and CSP violations of a page, collected from before its first load. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function search(page: Page, words: string): Promise<void> {
  await page.locator('#q').fill(words);
}

test('home page: counts, newest entries, a search box; accessible; no console errors', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url(''));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bioimage Catalogue');
  await expect(page.getByRole('search')).toBeVisible();
  await expect(page.locator('.counts')).toContainText('39');
  await expect(page.locator('.entry-list li')).toHaveCount(10);
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test('search finds an entry by a rare word of its description', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url('search/'));
  await search(page, 'quokkafluorescence');
  const results = page.locator('#results li');
  await expect(results).toHaveCount(1);
  await expect(results.first().locator('a')).toHaveAttribute('href', /\/entries\/BIC0000013\/$/);
  await expect(results.first()).toContainText('BIC0000013');
  await expect(results.first().locator('.meta')).not.toBeEmpty();
  await expect(page.locator('#status')).toHaveText('1 result for “quokkafluorescence”.');
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test('search through filters: organism and year narrow the results, and the address keeps them', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url('search/?organism=Danio+rerio'));
  await expect(page.locator('#results li').first()).toBeVisible();
  await expect(page.locator('#filters input[name=organism][value="Danio rerio"]')).toBeChecked();
  for (const meta of await page.locator('#results li .meta').allTextContents()) expect(meta).toContain('Danio rerio');
  const total = Number((await page.locator('#status').textContent())!.match(/^(\d+)/)![1]);
  expect(total).toBeGreaterThan(1);
  // Tick a year that some but not all of these entries have: fewer results, all still of that organism.
  const years = page.locator('fieldset', { hasText: 'Year' }).locator('label');
  let chosen = -1;
  let expected = 0;
  for (let i = 0; i < (await years.count()); i++) {
    const n = Number(/\((\d+)\)$/.exec((await years.nth(i).textContent())!.trim())![1]);
    if (n > 0 && n < total) {
      chosen = i;
      expected = n;
      break;
    }
  }
  expect(chosen).toBeGreaterThanOrEqual(0);
  const yearBox = years.nth(chosen).locator('input');
  const year = await yearBox.getAttribute('value');
  await yearBox.check();
  await expect(page).toHaveURL(new RegExp(`organism=Danio\\+rerio&year=${year}`));
  await expect(page.locator('#status')).toHaveText(`${expected} result${expected === 1 ? '' : 's'}.`);
  await expect(page.locator('#results li')).toHaveCount(expected);
  for (const meta of await page.locator('#results li .meta').allTextContents()) expect(meta).toContain(year!);
  const narrowed = expected;
  expect(narrowed).toBeLessThan(total);
  expect(narrowed).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('embargoed and withdrawn entries are not searchable', async ({ page }) => {
  await page.goto(url('search/'));
  // Pagefind falls back to prefix matches, so a word that is nowhere may still list results: none may be the
  // embargoed entry, and no excerpt may hold its words.
  await search(page, 'sequesteredembargoword');
  await expect(page.locator('#status')).toContainText('for “sequesteredembargoword”');
  await expect(page.locator('#results')).not.toContainText('BIC0000037');
  await expect(page.locator('#results')).not.toContainText('sequesteredembargoword');
  await search(page, 'BIC0000037');
  await expect(page.locator('#status')).toContainText('for “BIC0000037”');
  await expect(page.locator('#results')).not.toContainText('BIC0000037');
  const embargoed = await page.request.get(url('entries/BIC0000037/'));
  expect(embargoed.status()).toBe(404);
  expect((await page.request.get(url('entries/BIC0000037.json'))).status()).toBe(404);
});

test('an entry page shows every REMBI section, its files and its citation; downloads work', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url('entries/BIC0000013/'));
  for (const heading of [
    'Study',
    'Study components',
    'Biosamples',
    'Specimens',
    'Image acquisitions',
    'Analysed data',
    'Files',
    'How to cite',
    'Version history',
    'Publications and links',
  ]) {
    await expect(page.getByRole('heading', { level: 2, name: heading, exact: true })).toBeVisible();
  }
  const json = await (await page.request.get(url('entries/BIC0000013.json'))).json();
  const rows = page.locator('table.files tbody tr');
  await expect(rows).toHaveCount(json.manifest.files.length);
  await expect(rows.first()).toContainText(json.manifest.files[0].path);
  await expect(rows.first()).toContainText(json.manifest.files[0].sha256);
  await expect(page.locator('.citation')).toContainText('BIC0000013');
  for (const [label, expected] of [
    ['BibTeX', '@misc{BIC0000013'],
    ['RIS', 'TY  - DATA'],
    ['CSL JSON', '"type": "dataset"'],
    ['DataCite XML', '<resource xmlns="http://datacite.org/schema/kernel-4"'],
  ] as const) {
    const href = await page.getByRole('link', { name: label, exact: true }).getAttribute('href');
    const response = await page.request.get(new URL(href!, page.url()).href);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain(expected);
  }
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test('JSON-LD parses and matches the entry, with what Google Dataset Search asks for', async ({ page }) => {
  await page.goto(url('entries/BIC0000013/'));
  const text = await page.locator('script[type="application/ld+json"]').textContent();
  const ld = JSON.parse(text!);
  const record = (await (await page.request.get(url('entries/BIC0000013.json'))).json()).record;
  expect(ld['@type']).toBe('Dataset');
  expect(ld.name).toBe(record.study.title);
  expect(ld.description).toBe(record.study.description);
  expect(ld.description.length).toBeGreaterThanOrEqual(50);
  expect(ld.url).toBe(url('entries/BIC0000013/'));
  expect(ld.identifier).toBe('BIC0000013');
  expect(ld.creator.map((c: { name: string }) => c.name)).toEqual(
    record.study.authors.map((a: { name: string }) => a.name),
  );
  expect(ld.license).toBe(`https://spdx.org/licenses/${record.study.license}.html`);
  expect(ld.keywords).toEqual(record.study.keywords);
  expect(ld.includedInDataCatalog).toMatchObject({ '@type': 'DataCatalog', name: 'Bioimage Catalogue' });
  expect(ld.datePublished).toBe(record.versions[0].date);
  expect(ld.version).toBe(String(record.version));
});

test('text that tries to inject script stays text: in the page, its title and its JSON-LD', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url('entries/BIC0000021/'));
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  const record = (await (await page.request.get(url('entries/BIC0000021.json'))).json()).record;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(record.study.title);
  await expect(page.locator('section[aria-labelledby=study] p').first()).toContainText(
    '</script><script>window.__pwned = "description"</script>',
  );
  const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(ld.name).toBe(record.study.title);
  expect(ld.description).toBe(record.study.description);
  // No element from the entry's text made it into the DOM.
  expect(await page.locator('main img, main svg[onload], main iframe, main b').count()).toBe(0);
  expect(await page.locator('script').count()).toBe(1);
  // Search results show it as text too.
  await page.goto(url('search/'));
  await search(page, 'injection');
  await expect(page.locator('#results li').first()).toContainText('</script>');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(errors).toEqual([]);
});

test('every page has a CSP without inline script, and no inline event handlers', async ({ page }) => {
  for (const path of ['', 'search/', 'entries/BIC0000013/', 'entries/BIC0000045/', 'stats/', 'browse/']) {
    const response = await page.goto(url(path));
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).not.toContain('unsafe-inline');
    const inline = await page.evaluate(
      () => [...document.scripts].filter((s) => !s.src && s.type !== 'application/ld+json').length,
    );
    expect(inline).toBe(0);
    const handlers = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name),
      ),
    );
    expect(handlers).toEqual([]);
  }
});

test('a withdrawn accession shows its tombstone (status 200), with reason, date and replacement', async ({ page }) => {
  const errors = watch(page);
  const response = await page.goto(url('entries/BIC0000045/'));
  expect(response!.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 2, name: 'This entry has been withdrawn' })).toBeVisible();
  await expect(page.locator('.notice')).toContainText('2024-11-02');
  await expect(page.locator('.notice')).toContainText('files of two specimens were swapped');
  await page.getByRole('link', { name: 'BIC0000013' }).click();
  await expect(page).toHaveURL(/\/entries\/BIC0000013\/$/);
  await page.goto(url('entries/BIC0000045/'));
  await expectAccessible(page);
  expect(errors).toEqual([]);
});

test('a harvested record shows its origin with a link back', async ({ page }) => {
  await page.goto(url('entries/partnerx.rec-0001/'));
  await expect(page.getByRole('heading', { level: 2, name: 'Origin' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'See the record at its origin' })).toHaveAttribute(
    'href',
    'https://partnerx.example.org/records/rec-0001',
  );
});

test(
  'stats page draws SVG charts; ' + 'status pages show the harvest log as text and explain the missing mirror report',
  async ({ page }) => {
    const errors = watch(page);
    await page.goto(url('stats/'));
    await expect(page.locator('figure.chart svg')).toHaveCount(4);
    await expectAccessible(page);
    await page.goto(url('stats/harvest/'));
    await expect(page.locator('main table')).toContainText('partnerx');
    await expect(page.locator('main table')).toContainText('<b>not bold</b>');
    await page.goto(url('stats/mirrors/'));
    await expect(page.locator('.empty-state')).toContainText('mirror-status.json does not exist yet');
    expect(errors).toEqual([]);
  },
);

test('browse pages list filter values with counts and their entries, without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url('browse/'));
  const link = page.locator('section', { hasText: 'Organism' }).locator('.facet-values a').first();
  const name = await link.textContent();
  await link.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Organism: ${name}`);
  expect(await page.locator('.entry-list li').count()).toBeGreaterThan(0);
  await context.close();
});

test('at phone width, search shows its results on the first screen, with the filters folded above them', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const errors = watch(page);
  await page.goto(url('search/?q=quokkafluorescence'));
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page.locator('#results li').first()).toBeInViewport();
  const panel = page.locator('#filters-panel');
  await expect(panel).not.toHaveAttribute('open');
  await expect(panel.locator('summary')).toHaveText('Filters');
  // Opening the panel and choosing a value narrows the results, and the summary says how many are chosen.
  await page.goto(url('search/'));
  await expect(page.locator('#status')).toHaveText('Type a word, or choose a filter.');
  await expect(page.locator('#status')).toBeInViewport();
  await panel.locator('summary').click();
  const zebrafish = page.locator('#filters input[name=organism][value="Danio rerio"]');
  await zebrafish.check();
  await expect(panel.locator('summary')).toHaveText('Filters (1 chosen)');
  await expect(page.locator('#results li').first()).toBeVisible();
  for (const meta of await page.locator('#results li .meta').allTextContents()) expect(meta).toContain('Danio rerio');
  await expectAccessible(page);
  expect(errors).toEqual([]);
  await context.close();
});

test('works at phone width: nothing wider than the screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  for (const path of ['', 'search/?q=quokkafluorescence', 'entries/BIC0000013/', 'entries/BIC0000021/', 'stats/']) {
    await page.goto(url(path));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await context.close();
});
