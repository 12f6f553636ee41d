// An entry with a DOI, cross-references and MIFA annotations, in Chromium: the related resources link to their
// archives, the annotations read as a section, the page stays accessible (axe-core) and free of console errors,
// and the search filter "Annotation type" finds the entry. Builds and serves its own small site.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { writeEntryDoi } from '../../catalog/doi.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';

const submission = new URL('../catalog/fixtures/submissions/valid/cross-references-annotations/', import.meta.url)
  .pathname;
let work: string;
let server: Awaited<ReturnType<typeof startStaticServer>>;
let base: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  work = await mkdtemp(join(tmpdir(), 'xrefs-e2e-'));
  const catalog = join(work, 'catalogue');
  await cp(submission, join(catalog, 'submissions', 'cross-references-annotations'), { recursive: true });
  await mintAccessions(catalog, { today: '2025-01-01' });
  await writeEntryDoi(catalog, 'BIC0000013', '10.80000/BIC0000013');
  server = await startStaticServer({ root: join(work, 'site'), port: 0 });
  base = server.url.replace('localhost', '127.0.0.1');
  await buildSite({ catalog, out: join(work, 'site'), baseUrl: base, today: '2025-01-01' });
});
test.afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

function watch(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('entry page: related resources, annotations and the DOI; accessible; no console errors', async ({ page }) => {
  const errors = watch(page);
  await page.goto(new URL('entries/BIC0000013/', base).href);
  const related = page.getByRole('region', { name: 'Related resources' });
  await expect(related.getByRole('link', { name: 'empiar:10326' })).toHaveAttribute(
    'href',
    'https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326',
  );
  await expect(related.getByRole('listitem')).toHaveCount(9);
  const annotations = page.getByRole('region', { name: 'Annotations' });
  await expect(annotations.getByRole('heading', { level: 3 })).toHaveText([
    'Nucleus masks for the starvation stacks',
    'Mitochondrial fission sites',
  ]);
  await expect(page.getByRole('link', { name: '10.80000/BIC0000013' })).toHaveAttribute(
    'href',
    'https://doi.org/10.80000/BIC0000013',
  );
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  expect(errors).toEqual([]);
});

test('search: the annotation type filter finds the entry', async ({ page }) => {
  const errors = watch(page);
  await page.goto(new URL('search/?annotation=segmentation+mask', base).href);
  await expect(page.locator('#filters input[name=annotation][value="segmentation mask"]')).toBeChecked();
  await expect(page.locator('#results li')).toHaveCount(1);
  await expect(page.locator('#results li a').first()).toHaveAttribute('href', /\/entries\/BIC0000013\/$/);
  expect(errors).toEqual([]);
});
