// The image viewer page of the demo's largest OME-Zarr image (BIC0000059 kidney_02.ome.zarr: OME-NGFF 0.5, 3
// channels, 16 z, 384 × 384, 3 levels) in Debian's Chromium without a GPU: time from opening the page to the first
// drawn region (the viewer's performance mark), and the bytes the page and the image's chunks cost. Each run is a
// fresh browser context (nothing cached). No target.
import { chromium } from 'playwright-core';
import { startDemoViewerSite } from '../test/site/demo-viewer-site.ts';
import type { Benchmark, BenchRow } from './harness.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const accession = 'BIC0000059';
const page = `entries/${accession}/images/kidney_02-ome-zarr/`;
const section = 'Image viewer';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const benchmark: Benchmark = async ({ quick }) => {
  const site = await startDemoViewerSite([accession]);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  const runs = quick ? 3 : 7;
  const firstRender: number[] = [];
  const imageBytes: number[] = [];
  const pageBytes: number[] = [];
  const chunkCounts: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      await tab.goto(site.url + page);
      await tab.waitForSelector('[data-ome-zarr-viewer][data-renders]', { timeout: 60_000 });
      // Resource Timing: every request of the page, same-origin so sizes are exposed.
      const measured = await tab.evaluate(() => {
        const mark = performance.getEntriesByName('ome-zarr-viewer:first-render')[0];
        const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        const files = resources.filter((r) => r.name.includes('/files/'));
        return {
          firstRenderMs: mark.startTime,
          imageBytes: files.reduce((sum, r) => sum + r.encodedBodySize, 0),
          chunks: files.length,
          pageBytes:
            navigation.encodedBodySize +
            resources.filter((r) => !r.name.includes('/files/')).reduce((sum, r) => sum + r.encodedBodySize, 0),
        };
      });
      firstRender.push(measured.firstRenderMs);
      imageBytes.push(measured.imageBytes);
      pageBytes.push(measured.pageBytes);
      chunkCounts.push(measured.chunks);
      await context.close();
    }
  } finally {
    await browser.close();
    await site.close();
  }
  const rows: BenchRow[] = [
    {
      section,
      what:
        `open the viewer page of the largest demo OME-Zarr image (${accession} kidney_02.ome.zarr, 0.5, ` +
        `3 × 16 × 384 × 384 uint16), 1280 × 900, until the first region is drawn; median of ${runs} cold runs`,
      result:
        `${Math.round(median(firstRender))} ms from navigation start (min ${Math.round(Math.min(...firstRender))}, ` +
        `max ${Math.round(Math.max(...firstRender))})`,
      target: '',
      verdict: '',
      command: 'npm run bench -- --only viewer',
    },
    {
      section,
      what: 'bytes transferred for that first view',
      result:
        `image ${kib(median(imageBytes))} in ${median(chunkCounts)} requests (metadata, then the full-` +
        `resolution chunks under the view: 8 z planes each, three channels); ` +
        `page, stylesheets and scripts ${kib(median(pageBytes))}`,
      target: '',
      verdict: '',
      command: 'npm run bench -- --only viewer',
    },
  ];
  return rows;
};

export default benchmark;
