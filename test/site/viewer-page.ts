// What the viewer's browser tests watch on a viewer page (site/src/scripts/ome-zarr-viewer.ts): the problems the page
// reports, when the viewer has finished drawing, and what its canvas shows.
import { expect, type Page } from '@playwright/test';

/** Console errors, uncaught exceptions and CSP violations of the page, collected from the start. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  void page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  return problems;
}

export const viewer = (page: Page) => page.locator('[data-ome-zarr-viewer]');

/** Waits until the viewer has drawn and drawn nothing more for a moment; returns how many times it has drawn. */
export async function settled(page: Page, moreThan = 0): Promise<number> {
  let last = -1;
  for (;;) {
    await expect
      .poll(async () => Number((await viewer(page).getAttribute('data-renders')) ?? 0), { timeout: 20_000 })
      .toBeGreaterThan(moreThan);
    const count = Number(await viewer(page).getAttribute('data-renders'));
    if (count === last) return count;
    last = count;
    await page.waitForTimeout(400);
  }
}

/** The canvas's pixels as the variance of the grey value, the sum of each of R, G and B, and a hash of them all. */
export async function canvasStats(
  page: Page,
): Promise<{ variance: number; red: number; green: number; blue: number; hash: number }> {
  return page.locator('[data-ome-zarr-viewer] canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let sum = 0;
    let squares = 0;
    let red = 0;
    let green = 0;
    let blue = 0;
    let hash = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
      sum += grey;
      squares += grey * grey;
      red += data[i];
      green += data[i + 1];
      blue += data[i + 2];
      hash = (Math.imul(hash, 31) + data[i] + data[i + 1] * 7 + data[i + 2] * 13) | 0;
    }
    const mean = sum / n;
    return { variance: squares / n - mean * mean, red, green, blue, hash };
  });
}

/** Below this grey-value variance a canvas is taken for blank (a uniform fill has 0; the demo images have > 50). */
export const varianceFloor = 5;
