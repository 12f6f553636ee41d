// FAIR Signposting of an entry: the links (signposting.org/FAIR levels 1 and 2), the Link header read back by
// a parser that is not ours (http-link-header), the linkset document's shape (RFC 9264 §4.2), and the reader of
// a linkset file, which gives the links back or nothing, whatever the file holds.
import fc from 'fast-check';
import LinkHeader from 'http-link-header';
import { describe, expect, it } from 'vitest';
import type { CatalogueInfo, DatasetView } from '../../catalog/exports/dataset-view.ts';
import {
  entrySignposts,
  inlineItemLimit,
  inlineSignposts,
  pageSignposts,
  renderLinkHeader,
  toLinkset,
  type Signpost,
} from '../../catalog/exports/linkset.ts';

const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
const page = 'https://data.example.org/bic/entries/BIC0000013/';
const view: DatasetView = {
  accession: 'BIC0000013',
  title: 'A title',
  description: 'A description',
  authors: [
    { name: 'Ada Lovelace', orcid: 'https://orcid.org/0000-0002-1825-0097', affiliations: [] },
    { name: 'No Orcid', affiliations: [] },
  ],
  license: 'CC-BY-4.0',
  keywords: [],
  url: page,
  publications: [],
  links: [],
  identifiers: [],
};
const metadata = [
  { href: `${page}ro-crate-metadata.json`, type: 'application/ld+json', profile: 'https://w3id.org/ro/crate' },
  {
    href: `${page}datacite.xml`,
    type: 'application/vnd.datacite.datacite+xml',
    profile: 'http://datacite.org/schema/kernel-4',
  },
];
const files = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ url: `https://mirror.example.org/BIC0000013/f${i}.tif`, format: 'TIFF' }));
const signposts = (options: { doi?: string; fileCount?: number } = {}) =>
  entrySignposts({
    view,
    info,
    doi: options.doi,
    metadata,
    files: [...files(options.fileCount ?? 2), { format: 'TIFF' }],
    linkset: `${page}linkset.json`,
  });
const rels = (links: Signpost[], rel: string) => links.filter((l) => l.rel === rel).map((l) => l.href);

describe('entrySignposts', () => {
  it('gives cite-as, describedby, item, license, author and type as the FAIR profile lists them', () => {
    const links = signposts();
    expect(rels(links, 'cite-as')).toEqual([page]);
    expect(links.filter((l) => l.rel === 'describedby')).toEqual(metadata.map((m) => ({ rel: 'describedby', ...m })));
    expect(links.filter((l) => l.rel === 'item')).toEqual(
      files(2).map((f) => ({ rel: 'item', href: f.url, type: 'image/tiff' })),
    );
    expect(rels(links, 'license')).toEqual(['https://spdx.org/licenses/CC-BY-4.0.html']);
    expect(rels(links, 'author')).toEqual(['https://orcid.org/0000-0002-1825-0097']);
    expect(rels(links, 'type')).toEqual(['https://schema.org/AboutPage', 'https://schema.org/Dataset']);
  });

  it('cites the DOI when there is one', () => {
    expect(rels(signposts({ doi: '10.1234/abc' }), 'cite-as')).toEqual(['https://doi.org/10.1234/abc']);
    expect(rels(signposts({ doi: 'https://doi.org/10.1234/abc' }), 'cite-as')).toEqual(['https://doi.org/10.1234/abc']);
  });

  it(`keeps more than ${inlineItemLimit} items out of the page and headers, but in the linkset`, () => {
    const many = signposts({ fileCount: inlineItemLimit + 1 });
    expect(rels(inlineSignposts(many), 'item')).toEqual([]);
    expect(rels(inlineSignposts(many), 'linkset')).toEqual([`${page}linkset.json`]);
    expect(toLinkset(page, many).linkset[0].item).toHaveLength(inlineItemLimit + 1);
    expect(rels(inlineSignposts(signposts({ fileCount: inlineItemLimit })), 'item')).toHaveLength(inlineItemLimit);
  });
});

describe('renderLinkHeader', () => {
  it('reads back with http-link-header: every rel, target, type and profile', () => {
    const links = signposts({ doi: '10.1234/abc' });
    const parsed = LinkHeader.parse(renderLinkHeader(links)).refs;
    expect(parsed.map((r) => ({ rel: r.rel, href: r.uri, type: r.type, profile: r.profile }))).toEqual(
      links.map((l) => ({ rel: l.rel, href: l.href, type: l.type, profile: l.profile })),
    );
  });

  it('leaves out a target that is not an absolute URL as URL writes it, rather than send a broken header', () => {
    const header = renderLinkHeader([
      { rel: 'item', href: 'https://a.example/x>; rel="evil"' },
      { rel: 'item', href: 'relative/path' },
      { rel: 'item', href: 'a:>' },
      { rel: 'bad "rel', href: 'https://a.example/r' } as unknown as Signpost,
      { rel: 'item', href: 'https://a.example/ok' },
      { rel: 'describedby', href: 'https://a.example/m', type: 'text/x"y', profile: 'p\\q' },
    ]);
    const parsed = LinkHeader.parse(header).refs;
    expect(parsed.map((r) => r.uri)).toEqual(['https://a.example/ok', 'https://a.example/m']);
    expect(parsed[1].type).toBe('text/x"y');
    expect(parsed[1].profile).toBe('p\\q');
  });
});

describe('toLinkset', () => {
  it('is an RFC 9264 §4.2 document: contexts with an anchor, targets as arrays of objects with href', () => {
    const document = toLinkset(page, signposts());
    const [context, ...others] = document.linkset;
    expect(context.anchor).toBe(page);
    expect(context.linkset).toBeUndefined();
    for (const c of document.linkset)
      for (const [rel, targets] of Object.entries(c)) {
        if (rel === 'anchor') continue;
        expect(Array.isArray(targets)).toBe(true);
        for (const t of targets as { href: string; profile?: unknown }[]) {
          expect(typeof t.href).toBe('string');
          // §4.2.4.3: an extension target attribute is an array of strings.
          if (t.profile !== undefined) expect(t.profile).toEqual([expect.any(String)]);
        }
      }
    // Level 2: the way back from each metadata document and each file to the page.
    expect(others.filter((c) => c.describes).map((c) => c.anchor)).toEqual(metadata.map((m) => m.href));
    expect(others.filter((c) => c.collection).map((c) => c.anchor)).toEqual(files(2).map((f) => f.url));
  });
});

describe('pageSignposts', () => {
  const linksetUrl = `${page}linkset.json`;

  it('reads back the links of the page from the linkset', () => {
    const links = signposts({ doi: '10.5/x' });
    expect(pageSignposts(toLinkset(page, links), linksetUrl)).toEqual(links);
  });

  it('gives nothing for a damaged document, and never throws (fuzz)', () => {
    for (const bad of [null, 1, 'x', {}, { linkset: [] }, { linkset: [{ anchor: page, item: {} }] }])
      expect(pageSignposts(bad, linksetUrl)).toBeUndefined();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        for (const document of [value, { linkset: [value] }, { linkset: [{ anchor: page, item: [value] }] }]) {
          const links = pageSignposts(document, linksetUrl);
          if (links !== undefined) for (const l of links) expect(typeof l.href).toBe('string');
          expect(() => renderLinkHeader(links ?? [])).not.toThrow();
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
