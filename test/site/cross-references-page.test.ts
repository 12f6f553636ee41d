// The entry page of an entry with a DOI, cross-references and MIFA annotations, in a real site build: links to
// each resource's own page, the annotations section, the DOI; browse pages per related archive and per annotation
// type; the search filters; and the exports that carry the DOI.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEntryDoi } from '../../catalog/doi.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { buildSite } from '../../site/lib/build-site.ts';

const submission = new URL('../catalog/fixtures/submissions/valid/cross-references-annotations/', import.meta.url)
  .pathname;
let work: string;
let site: string;
let page: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xrefs-site-'));
  const catalog = join(work, 'catalogue');
  await cp(submission, join(catalog, 'submissions', 'cross-references-annotations'), { recursive: true });
  await mintAccessions(catalog, { today: '2025-01-01' });
  await writeEntryDoi(catalog, 'BIC0000013', '10.80000/BIC0000013');
  site = join(work, 'site');
  await buildSite({ catalog, out: site, baseUrl: 'https://data.example.org/', today: '2025-01-01' });
  page = await readFile(join(site, 'entries', 'BIC0000013', 'index.html'), 'utf8');
}, 300_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('an entry with cross-references, annotations and a DOI', () => {
  it("links each cross-reference to the resource's own page, with its relation", () => {
    expect(page).toContain('<h2 id="related">Related resources</h2>');
    expect(page).toContain('href="https://www.ebi.ac.uk/pdbe/entry/emdb/EMD-1234"');
    expect(page).toContain('href="https://www.ebi.ac.uk/pdbe/emdb/empiar/entry/10326"');
    expect(page).toMatch(/This dataset is supplement to<\/span>\s*<a[^>]*>emdb:EMD-1234<\/a>/);
  });

  it('shows the annotations with their MIFA fields', () => {
    expect(page).toContain('<h2 id="annotations">Annotations</h2>');
    expect(page).toContain('Nucleus masks for the starvation stacks');
    expect(page).toContain('<dd>segmentation mask</dd>');
    expect(page).toContain('<code>images/hela_0h.zarr/labels/nuclei/</code>');
  });

  it('shows the DOI, and the JSON-LD and citations carry it', async () => {
    expect(page).toContain('href="https://doi.org/10.80000/BIC0000013"');
    expect(page).toContain('"identifier":["https://doi.org/10.80000/BIC0000013","BIC0000013"]');
    const folder = join(site, 'entries', 'BIC0000013');
    expect(await readFile(join(folder, 'citation.bib'), 'utf8')).toContain('doi = {10.80000/BIC0000013}');
    expect(await readFile(join(folder, 'datacite.xml'), 'utf8')).toContain(
      '<identifier identifierType="DOI">10.80000/BIC0000013</identifier>',
    );
  });

  it('has a browse page per related archive and per annotation type, and both as search filters', async () => {
    expect(existsSync(join(site, 'browse', 'archive', 'electron-microscopy-data-bank', 'index.html'))).toBe(true);
    expect(existsSync(join(site, 'browse', 'annotation', 'segmentation-mask', 'index.html'))).toBe(true);
    const search = await readFile(join(site, 'search', 'index.html'), 'utf8');
    expect(search).toContain('Annotation type');
    expect(search).toContain('Related archive');
  });
});
