// Images on the site, in Chromium: the representative image and the gallery of the fixture entry with real PNGs
// (fixture-images.ts), served from a public mirror on another origin; thumbnails in lists and search results;
// Open Graph and JSON-LD pictures; and axe-core on the entry page.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { imagesAccession } from './fixture-images.ts';

const url = (path: string) => new URL(path, process.env.SITE_TEST_URL!).href;
const mirror = () => process.env.SITE_TEST_MIRROR_URL!;

/** Console errors (a CSP violation is one), collected from before the first load. */
function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The picture decoded: a broken or blocked image has naturalWidth 0. */
async function expectDecoded(image: Locator): Promise<void> {
  await image.scrollIntoViewIfNeeded();
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
}

test('an entry page shows its representative image and a gallery of every image, from the public mirror', async ({
  page,
}) => {
  const errors = watch(page);
  await page.goto(url(`entries/${imagesAccession}/`));
  const top = page.locator('.representative-image img');
  await expect(top).toBeVisible();
  await expectDecoded(top);
  expect(await top.getAttribute('src')).toMatch(new RegExp(`^${mirror()}${imagesAccession}/\\.derived/previews/`));
  expect(await top.getAttribute('loading')).toBeNull();
  expect(await top.getAttribute('width')).toBe('550');
  expect(await top.getAttribute('height')).toBe('660');
  expect(await top.getAttribute('alt')).toBe(
    'Light sheet fluorescence microscopy image, channel phase, 550 × 660 px, 0.107 µm per pixel',
  );
  expect(await page.locator('.representative-image a').getAttribute('href')).toBe(
    `${mirror()}${imagesAccession}/images/cell.png`,
  );

  const json = await (await page.request.get(url(`entries/${imagesAccession}.json`))).json();
  const imageFiles = json.manifest.files.filter((f: { role: string }) => f.role === 'image');
  const items = page.locator('.gallery > li');
  await expect(items).toHaveCount(Math.min(24, imageFiles.length));
  const thumbnails = page.locator('.gallery img');
  await expect(thumbnails).toHaveCount(3);
  for (const thumbnail of await thumbnails.all()) {
    expect(await thumbnail.getAttribute('loading')).toBe('lazy');
    expect(Number(await thumbnail.getAttribute('width'))).toBeGreaterThan(0);
    expect(Number(await thumbnail.getAttribute('height'))).toBeGreaterThan(0);
    await expectDecoded(thumbnail);
  }
  await expect(items.nth(1)).toContainText('512 × 512 px');
  await expect(items.nth(1)).toContainText('red, green, blue');
  await expect(items.nth(0)).toContainText('0.107 µm');
  await expect(items.nth(3)).toContainText('No preview');
  await expect(page.locator('#images').locator('..')).toContainText(`${imageFiles.length - 3} have no preview yet`);
  const download = await items
    .nth(2)
    .getByRole('link', { name: /Download/ })
    .getAttribute('href');
  expect((await page.request.get(download!)).status()).toBe(200);

  expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(/preview\.png$/);
  expect(await page.locator('meta[property="og:image:alt"]').getAttribute('content')).toContain('550 × 660 px');
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(jsonLd.thumbnailUrl).toMatch(/thumbnail\.png$/);
  expect(jsonLd.image).toMatch(/preview\.png$/);

  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  expect(errors).toEqual([]);
});

test('search results show the representative image as a thumbnail', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url(`search/?q=${imagesAccession}`));
  const result = page.locator('#results li', { hasText: imagesAccession });
  await expect(result).toHaveCount(1);
  const thumbnail = result.locator('img.thumbnail');
  await expectDecoded(thumbnail);
  expect(await thumbnail.getAttribute('src')).toMatch(/thumbnail\.png$/);
  expect(await thumbnail.getAttribute('alt')).toBe('');
  expect(errors).toEqual([]);
});

test('browse pages show the representative image as a thumbnail', async ({ page }) => {
  const errors = watch(page);
  await page.goto(url('browse/licence/cc0-1-0/'));
  const item = page.locator('.entry-list li', { hasText: imagesAccession });
  await expectDecoded(item.locator('img.thumbnail'));
  expect(errors).toEqual([]);
});
