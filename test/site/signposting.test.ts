// FAIR Signposting and the RO-Crate on the built fixture site, served by `catalogue serve`'s server: the Link
// header (parsed with http-link-header), the <link> elements of the page and linkset.json say the same, every
// link into the site answers 200 with the type it claims, and the crate, the dump and the sitemap list each other.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import LinkHeader from 'http-link-header';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';
import { roCrateProblems } from '../catalog/ro-crate-rules.ts';

const catalogue = join(import.meta.dirname, 'fixtures/valid/catalogue');
let work: string;
let server: RunningServer;
let base: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'signposting-test-'));
  server = await startStaticServer({ root: join(work, 'site'), port: 0 });
  base = server.url.replace('localhost', '127.0.0.1');
  await buildSite({ catalog: catalogue, out: join(work, 'site'), baseUrl: base, today: '2025-01-01' });
}, 300_000);

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

type Link = { rel: string; href: string; type?: string; profile?: string };
const key = (l: Link) => `${l.rel} ${l.href} ${l.type ?? ''}`;

/** The <link> elements of a page's head whose rel is a signposting relation. */
function htmlLinks(html: string): Link[] {
  const head = html.slice(0, html.indexOf('</head>'));
  const attribute = (tag: string, name: string) =>
    new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replace(/&amp;/g, '&');
  return [...head.matchAll(/<link\s[^>]*>/g)]
    .map((m) => ({ rel: attribute(m[0], 'rel')!, href: attribute(m[0], 'href')!, type: attribute(m[0], 'type') }))
    .filter((l) => ['cite-as', 'describedby', 'item', 'license', 'author', 'type', 'linkset'].includes(l.rel));
}

describe('FAIR Signposting on the served site', () => {
  for (const accession of ['BIC0000013', 'BIC0000021', 'partnerx.rec-0001']) {
    it(`${accession}: header, <link> elements and linkset.json agree; every link into the site is 200`, async () => {
      const pageUrl = `${base}entries/${accession}/`;
      const response = await fetch(pageUrl);
      expect(response.status).toBe(200);
      const header: Link[] = LinkHeader.parse(response.headers.get('link') ?? '').refs.map((r) => ({
        rel: r.rel,
        href: r.uri,
        type: r.type,
        profile: r.profile,
      }));
      const html = htmlLinks(await response.text());

      const linksetResponse = await fetch(`${pageUrl}linkset.json`);
      expect(linksetResponse.status).toBe(200);
      expect(linksetResponse.headers.get('content-type')).toBe('application/linkset+json');
      const linkset = await linksetResponse.json();
      const context = linkset.linkset[0];
      expect(context.anchor).toBe(pageUrl);
      const fromLinkset: Link[] = Object.entries(context)
        .filter(([rel]) => rel !== 'anchor')
        .flatMap(([rel, targets]) =>
          (targets as { href: string; type?: string; profile?: string[] }[]).map((t) => ({
            rel,
            href: t.href,
            type: t.type,
            profile: t.profile?.[0],
          })),
        );

      for (const rel of ['cite-as', 'describedby', 'type', 'linkset']) {
        expect(
          header.some((l) => l.rel === rel),
          `header ${rel}`,
        ).toBe(true);
        expect(
          html.some((l) => l.rel === rel),
          `html ${rel}`,
        ).toBe(true);
      }
      expect(header.map(key).sort()).toEqual(html.map(key).sort());
      const withoutLinkset = header.filter((l) => l.rel !== 'linkset');
      expect(
        withoutLinkset.map((l) => ({ ...l, type: l.type ?? undefined })).sort((a, b) => key(a).localeCompare(key(b))),
      ).toEqual(fromLinkset.sort((a, b) => key(a).localeCompare(key(b))));
      expect(
        header
          .filter((l) => l.rel === 'describedby')
          .map((l) => l.profile)
          .sort(),
      ).toEqual([
        'http://datacite.org/schema/kernel-4',
        'https://bioschemas.org/profiles/Dataset/1.0-RELEASE',
        'https://w3id.org/ro/crate',
      ]);

      // Every link: into the site, a 200 with the type the link states; elsewhere, an absolute https URL.
      const targets = [...header, ...fromLinkset];
      for (const link of targets) {
        if (!link.href.startsWith(base)) {
          expect(link.href, `${link.rel} ${link.href}`).toMatch(/^https?:\/\/[^/]+\//);
          continue;
        }
        const target = await fetch(link.href);
        expect(target.status, `${link.rel} ${link.href}`).toBe(200);
        if (link.type) expect(target.headers.get('content-type'), link.href).toContain(link.type);
        await target.arrayBuffer();
      }
      expect(targets.filter((l) => l.href.startsWith(base)).length).toBeGreaterThanOrEqual(5);
    });
  }

  it('sends no signposting for a withdrawn entry, and none for other pages', async () => {
    for (const path of ['entries/BIC0000045/', '', 'search/']) {
      const response = await fetch(base + path);
      expect(response.headers.get('link'), path).toBeNull();
      await response.arrayBuffer();
    }
  });
});

describe('the RO-Crate on the site', () => {
  it('is published beside every listed entry as a detached RO-Crate 1.2, linked from the page', async () => {
    const page = await (await fetch(`${base}entries/BIC0000013/`)).text();
    expect(page).toMatch(/<a href="[^"]*entries\/BIC0000013\/ro-crate-metadata\.json"[^>]*>RO-Crate<\/a>/);
    const crate = await (await fetch(`${base}entries/BIC0000013/ro-crate-metadata.json`)).json();
    expect(roCrateProblems(crate)).toEqual([]);
    expect(crate['@graph'][1]['@id']).toBe(`${base}entries/BIC0000013/`);
  });

  it('is listed in the dump and the sitemap', async () => {
    const dump = (await readFile(join(work, 'site', 'catalogue.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const line = dump.find((l) => l.accession === 'BIC0000013');
    expect(line.metadata.roCrate).toBe(`${base}entries/BIC0000013/ro-crate-metadata.json`);
    expect(line.metadata.linkset).toBe(`${base}entries/BIC0000013/linkset.json`);
    expect(dump.find((l) => l.accession === 'BIC0000045').metadata).toBeUndefined();
    const sitemap = new XMLParser().parse(await readFile(join(work, 'site', 'sitemap.xml'), 'utf8'));
    const locs = sitemap.urlset.url.map((u: { loc: string }) => u.loc);
    expect(locs).toContain(`${base}entries/BIC0000013/ro-crate-metadata.json`);
    expect(locs).not.toContain(`${base}entries/BIC0000045/ro-crate-metadata.json`);
  });
});
