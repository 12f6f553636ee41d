// The labels in the browser: the search page's "Label" filter finds the reference dataset and the highly used
// entry, each result with its badge. A site of its own: the fixture catalogue with a curation record and usage
// counts (the shared fixture site has neither).
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';

let work: string;
let server: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  work = await mkdtemp(join(tmpdir(), 'labels-site-'));
  const catalog = join(work, 'catalogue');
  await cp(join(import.meta.dirname, 'fixtures/valid/catalogue'), catalog, { recursive: true });
  await mkdir(join(catalog, 'curation'), { recursive: true });
  await mkdir(join(catalog, 'usage'), { recursive: true });
  const curation = join(import.meta.dirname, '../../archive/curation');
  await cp(join(curation, 'criteria.yaml'), join(catalog, 'curation', 'criteria.yaml'));
  await cp(join(curation, 'BIC0000013.yaml'), join(catalog, 'curation', 'BIC0000013.yaml'));
  await writeFile(
    join(catalog, 'usage', 'c.json'),
    JSON.stringify({
      version: 1,
      mirror: 'c',
      updated: '2026-11-01T00:00:00.000Z',
      logs: {},
      counts: { BIC0000021: { '2026-10': { regular: [60, 50, 60, 50] } } },
    }),
  );
  server = await startStaticServer({ root: join(work, 'site'), port: 0 });
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  await buildSite({ catalog, out: join(work, 'site'), baseUrl, today: '2026-12-07' });
});
test.afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

test('the Label filter finds the reference dataset, shown with its badge', async ({ page }) => {
  await page.goto(`${server.url}search/?label=${encodeURIComponent('Reference dataset')}`);
  await expect(page.locator('#results li')).toHaveCount(1);
  const result = page.locator('#results li').first();
  await expect(result.locator('.accession')).toHaveText('BIC0000013');
  await expect(result.locator('.badge-reference')).toHaveText('Reference dataset');
});

test('the Label filter lists both labels with their counts, and finds the highly used entry', async ({ page }) => {
  await page.goto(`${server.url}search/`);
  const labels = page.locator('fieldset', { hasText: 'Label' }).locator('label');
  // Values of equal count come in alphabetical order.
  await expect(labels).toHaveText([/Highly used \(1\)/, /Reference dataset \(1\)/]);
  await page.goto(`${server.url}search/?label=${encodeURIComponent('Highly used')}`);
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page.locator('#results li .accession')).toHaveText('BIC0000021');
  await expect(page.locator('#results li .badge-highly-used')).toHaveText('Highly used');
});
