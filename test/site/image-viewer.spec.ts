// The image viewer pages in Chromium (software rendering, no GPU): the demo's OME-Zarr images, 0.5 and 0.4, are read
// from the mirror served at /files/ and drawn on the canvas; the z slider and the channel switches change the
// picture; nothing is logged as an error and the page's CSP is never violated.
import { expect, test } from '@playwright/test';
import { startDemoViewerSite, type DemoViewerSite } from './demo-viewer-site.ts';
import { canvasStats, settled, varianceFloor, viewer, watch } from './viewer-page.ts';

const accession = 'BIC0000059';
const v05 = `entries/${accession}/images/kidney_02-ome-zarr/`;
const v04 = `entries/${accession}/images/kidney_01-ome-zarr/`;
let site: DemoViewerSite;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => {
  test.setTimeout(180_000);
  site = await startDemoViewerSite([accession]);
});
test.afterAll(async () => site?.close());

test('the OME-Zarr 0.5 image is drawn from the mirror, without errors', async ({ page }, testInfo) => {
  const problems = watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(site.url + v05);
  await settled(page);
  expect((await canvasStats(page)).variance).toBeGreaterThan(varianceFloor);
  await expect(page.locator('[data-status]')).toContainText(/Resolution level \d of 3/);
  await expect(page.getByRole('link', { name: 'Neuroglancer' })).toHaveAttribute(
    'href',
    /^https:\/\/neuroglancer-demo\.appspot\.com\/#!/,
  );
  const imageUrl = `${site.url}files/${accession}/kidney_02.ome.zarr/`;
  await expect(page.getByRole('link', { name: 'OME-NGFF validator' })).toHaveAttribute(
    'href',
    `https://ome.github.io/ome-ngff-validator/?source=${encodeURIComponent(imageUrl)}`,
  );
  // A bundled module script only: no inline script (JSON-LD aside).
  for (const script of await page.locator('script').all()) {
    const type = await script.getAttribute('type');
    if (type === 'application/ld+json') continue;
    expect(await script.getAttribute('src')).toBeTruthy();
  }
  await page.screenshot({ path: testInfo.outputPath('viewer-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await settled(page);
  expect((await canvasStats(page)).variance).toBeGreaterThan(varianceFloor);
  await page.screenshot({ path: testInfo.outputPath('viewer-375.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('the z slider changes the picture', async ({ page }) => {
  const problems = watch(page);
  await page.goto(site.url + v05);
  const count = await settled(page);
  const before = await canvasStats(page);
  const slider = page.locator('input[data-axis="z"]');
  await expect(slider).toHaveAttribute('max', '15');
  await slider.fill('0');
  await settled(page, count);
  const after = await canvasStats(page);
  expect(after.hash).not.toBe(before.hash);
  expect(after.variance).toBeGreaterThan(varianceFloor);
  expect(problems).toEqual([]);
});

test('zooming out reads a coarser resolution level, zooming in the full one; dragging pans', async ({ page }) => {
  const problems = watch(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(site.url + v05);
  let count = await settled(page);
  // The 384 px image fills a canvas larger than itself: full resolution.
  await expect(viewer(page)).toHaveAttribute('data-level', '0');
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom out' }).click();
  count = await settled(page, count);
  await expect(viewer(page)).toHaveAttribute('data-level', '2');
  await expect(page.locator('[data-status]')).toContainText('Resolution level 3 of 3 (96 × 96 px)');
  await page.getByRole('button', { name: 'Fit the image' }).click();
  count = await settled(page, count);
  await expect(viewer(page)).toHaveAttribute('data-level', '0');
  const before = await canvasStats(page);
  const box = (await page.locator('[data-ome-zarr-viewer] canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 60, { steps: 5 });
  await page.mouse.up();
  await settled(page, count);
  expect((await canvasStats(page)).hash).not.toBe(before.hash);
  expect(problems).toEqual([]);
});

test('channels switch on and off', async ({ page }) => {
  const problems = watch(page);
  await page.goto(site.url + v05);
  let count = await settled(page);
  const all = await canvasStats(page);
  // Channel 0 is blue (its omero colour 0000FF): without it, the blue of the picture drops.
  await page.getByRole('checkbox', { name: 'nuclei' }).uncheck();
  count = await settled(page, count);
  const withoutNuclei = await canvasStats(page);
  expect(withoutNuclei.blue).toBeLessThan(all.blue * 0.8);
  await page.getByRole('checkbox', { name: 'podocin' }).uncheck();
  await page.getByRole('checkbox', { name: 'vessels' }).uncheck();
  count = await settled(page, count);
  expect((await canvasStats(page)).variance).toBeLessThan(varianceFloor);
  await page.getByRole('checkbox', { name: 'nuclei' }).check();
  await settled(page, count);
  expect((await canvasStats(page)).blue).toBeGreaterThan(withoutNuclei.blue);
  expect(problems).toEqual([]);
});

test('the OME-Zarr 0.4 image is drawn too, and the entry page links to both viewers', async ({ page }) => {
  const problems = watch(page);
  await page.goto(`${site.url}entries/${accession}/`);
  const links = page.locator('.image-viewer-links a');
  await expect(links).toHaveText(['kidney_01.ome.zarr', 'kidney_02.ome.zarr']);
  await links.first().click();
  await expect(page).toHaveURL(site.url + v04);
  await settled(page);
  expect((await canvasStats(page)).variance).toBeGreaterThan(varianceFloor);
  await expect(page.getByText('Python: zarr 2, standard library only')).toBeVisible();
  expect(problems).toEqual([]);
});
