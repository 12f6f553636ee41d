// The linked data of an entry as the page and the data files get it: the extras a record may carry (DOI,
// thumbnail, related identifiers) reach the RO-Crate, the signposts and the linkset alike.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toDatasetView, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { downloadsFor } from '../../site/lib/downloads.ts';
import { entryLinkedData } from '../../site/lib/linked-data.ts';
import { asCatalogueRecord, toPublished, type PublishedRecord } from '../../site/lib/published.ts';
import { roCrateProblems } from '../catalog/ro-crate-rules.ts';

const catalogue = join(import.meta.dirname, 'fixtures/valid/catalogue');
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
let record: PublishedRecord;

beforeAll(async () => {
  const { records } = await loadPublishedCatalogue(catalogue, { today: '2025-01-01' });
  record = toPublished(records.find((r) => r.summary.accession === 'BIC0000013')!);
}, 60_000);

describe('entryLinkedData', () => {
  const linkedData = (extras?: Parameters<typeof entryLinkedData>[4]) =>
    entryLinkedData(
      record,
      toDatasetView(asCatalogueRecord(record), info),
      info,
      downloadsFor(record.manifest, [], record.accession),
      extras,
    );

  it('cites the page, and links the three metadata documents beside it', () => {
    const { signposts, roCrate, linkset } = linkedData();
    const page = 'https://data.example.org/bic/entries/BIC0000013/';
    expect(signposts.find((s) => s.rel === 'cite-as')!.href).toBe(page);
    expect(signposts.filter((s) => s.rel === 'describedby').map((s) => s.href)).toEqual([
      `${page}dataset.jsonld`,
      `${page}ro-crate-metadata.json`,
      `${page}datacite.xml`,
    ]);
    expect(roCrateProblems(roCrate)).toEqual([]);
    expect(linkset.linkset[0].anchor).toBe(page);
  });

  it('carries a DOI, a thumbnail and related identifiers into the crate and the signposts', () => {
    const { signposts, roCrate, linkset } = linkedData({
      doi: '10.5555/bic.13',
      thumbnailUrls: ['https://data.example.org/thumb.png'],
      relatedIdentifiers: [{ relationType: 'IsPartOf', url: 'https://doi.org/10.5555/collection' }],
    });
    expect(signposts.find((s) => s.rel === 'cite-as')!.href).toBe('https://doi.org/10.5555/bic.13');
    expect(linkset.linkset[0]['cite-as']).toEqual([{ href: 'https://doi.org/10.5555/bic.13' }]);
    const root = roCrate['@graph'][1];
    expect(root['cite-as']).toBe('https://doi.org/10.5555/bic.13');
    expect(root.thumbnailUrl).toEqual(['https://data.example.org/thumb.png']);
    expect(root.isPartOf).toEqual([{ '@id': 'https://doi.org/10.5555/collection' }]);
    expect(roCrateProblems(roCrate)).toEqual([]);
  });
});
