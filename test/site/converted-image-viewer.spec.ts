// The viewer page of an image the catalogue converted, in Chromium: the fixture's time lapse (fixture-conversion.ts:
// written by tifffile, converted to OME-Zarr 0.5 by storage/convert.ts into the public mirror at setup) is linked
// from its entry page and drawn as the TIFF's pixels say; the t slider, the contrast windows and zooming out to a
// coarser level change the picture as those pixels say; nothing is logged as an error and the CSP holds.
import { expect, test, type Page } from '@playwright/test';
import { convertedAccession, timeLapse, timeLapseValue } from './fixture-conversion.ts';
import { canvasStats, settled, varianceFloor, viewer, watch } from './viewer-page.ts';

const url = (path: string) => new URL(path, process.env.SITE_TEST_URL!).href;
const entryPage = `entries/${convertedAccession}/`;
const viewerPage = `${entryPage}images/${timeLapse.slug}/`;

/** Pixels (y, x) at the centres of a 4 x 4 grid over the image: in every chunk, away from the pattern's edges. */
const grid: [number, number][] = [0, 1, 2, 3].flatMap((i) =>
  [0, 1, 2, 3].map((j): [number, number] => [
    Math.floor(((i + 0.5) * timeLapse.y) / 4),
    Math.floor(((j + 0.5) * timeLapse.x) / 4),
  ]),
);

/** Each channel's contrast window as the converter sets it: the smallest and largest value of the channel. */
const dataWindows: [number, number][] = [
  [0, 200],
  [0, 100],
];

/**
 * The colour of each grid pixel at time point `t` with these windows: channel 0 red, channel 1 green (their OME-XML
 * colours), each value mapped linearly from black at the window's start to full colour at its end, as ome-zarr.js
 * renders (a fraction of 255, rounded down).
 */
function expectedColours(t: number, windows: [number, number][]): number[][] {
  return grid.map(([y, x]) => {
    const [red, green] = windows.map(([start, end], c) => {
      const fraction = (timeLapseValue(t, c, y, x) - start) / (end - start);
      return Math.floor(Math.min(1, Math.max(0, fraction)) * 255);
    });
    return [red, green, 0];
  });
}

/** The canvas's colour (R, G, B) over each grid pixel, the image fitted to the canvas as the viewer opens it. */
async function gridColours(page: Page): Promise<number[][]> {
  return page.locator('[data-ome-zarr-viewer] canvas').evaluate(
    (canvas: HTMLCanvasElement, { points, width, height }) => {
      const context = canvas.getContext('2d')!;
      const ratio = canvas.width / canvas.clientWidth;
      const scale = Math.min(canvas.clientWidth / width, canvas.clientHeight / height);
      return points.map(([y, x]) => {
        const left = canvas.clientWidth / 2 + (x + 0.5 - width / 2) * scale;
        const top = canvas.clientHeight / 2 + (y + 0.5 - height / 2) * scale;
        const { data } = context.getImageData(Math.floor(left * ratio), Math.floor(top * ratio), 1, 1);
        return [data[0], data[1], data[2]];
      });
    },
    { points: grid, width: timeLapse.x, height: timeLapse.y },
  );
}

test('the entry page links to the converted image, whose viewer draws the TIFF as written', async ({ page }) => {
  const problems = watch(page);
  await page.goto(url(entryPage));
  const link = page.locator('.image-viewer-links li');
  await expect(link).toHaveText(`time-lapse.ome.zarr (OME-NGFF 0.5, converted from ${timeLapse.path})`);
  await link.getByRole('link').click();
  await expect(page).toHaveURL(url(viewerPage));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('time-lapse.ome.zarr');
  await expect(page.locator('.image-facts')).toContainText(`converted by the catalogue from ${timeLapse.path}`);
  await settled(page);
  await expect(page.locator('[data-status]')).toHaveText(
    `Resolution level 1 of 3 (${timeLapse.x} × ${timeLapse.y} px) · t 1 of ${timeLapse.t}`,
  );
  for (const name of timeLapse.channels) await expect(page.getByRole('checkbox', { name })).toBeChecked();
  expect((await canvasStats(page)).variance).toBeGreaterThan(varianceFloor);
  expect(await gridColours(page)).toEqual(expectedColours(0, dataWindows));
  expect(problems).toEqual([]);
});

test('the t slider shows the other time point', async ({ page }) => {
  const problems = watch(page);
  await page.goto(url(viewerPage));
  const count = await settled(page);
  const slider = page.locator('input[data-axis="t"]');
  await expect(slider).toHaveAttribute('max', String(timeLapse.t - 1));
  await slider.fill('1');
  await settled(page, count);
  await expect(page.locator('[data-status]')).toContainText(`t 2 of ${timeLapse.t}`);
  expect(await gridColours(page)).toEqual(expectedColours(1, dataWindows));
  expect(problems).toEqual([]);
});

test("a channel's contrast window changes its brightness as its values say", async ({ page }) => {
  const problems = watch(page);
  await page.goto(url(viewerPage));
  let count = await settled(page);
  const [nuclei, membrane] = timeLapse.channels;
  // The sliders cover the uint8 range and start at the window the converter wrote.
  const membraneWhite = page.getByRole('slider', { name: `${membrane}: contrast white point` });
  await expect(membraneWhite).toHaveAttribute('min', '0');
  await expect(membraneWhite).toHaveAttribute('max', '255');
  await expect(membraneWhite).toHaveValue('100');
  await membraneWhite.fill('200');
  count = await settled(page, count);
  expect(await gridColours(page)).toEqual(expectedColours(0, [dataWindows[0], [0, 200]]));
  await page.getByRole('slider', { name: `${nuclei}: contrast white point` }).fill('250');
  count = await settled(page, count);
  expect(await gridColours(page)).toEqual(
    expectedColours(0, [
      [0, 250],
      [0, 200],
    ]),
  );
  // At or below the black point, black.
  await page.getByRole('slider', { name: `${nuclei}: contrast black point` }).fill('200');
  await settled(page, count);
  expect(await gridColours(page)).toEqual(
    expectedColours(0, [
      [200, 250],
      [0, 200],
    ]),
  );
  expect(problems).toEqual([]);
});

test('zoomed out on a phone, the viewer reads the next level, whose size is that of its array', async ({ page }) => {
  const problems = watch(page);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto(url(viewerPage));
  let count = await settled(page);
  await expect(viewer(page)).toHaveAttribute('data-level', '0');
  for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom out' }).click();
  count = await settled(page, count);
  // The converter rounds each level's size up (149 -> 75, 99 -> 50), which the scales alone do not say.
  await expect(viewer(page)).toHaveAttribute('data-level', '1');
  await expect(page.locator('[data-status]')).toHaveText('Resolution level 2 of 3 (75 × 50 px) · t 1 of 2');
  expect((await canvasStats(page)).variance).toBeGreaterThan(varianceFloor);
  await page.getByRole('button', { name: 'Fit the image' }).click();
  await settled(page, count);
  expect(await gridColours(page)).toEqual(expectedColours(0, dataWindows));
  expect(problems).toEqual([]);
});
