// Every export of a record, given hostile text, still parses with a reader that is not ours and gives the text
// back: BibTeX and RIS through Citation.js, DataCite XML through xmllint and the official kernel-4 schema, the
// Atom feed and the sitemap through fast-xml-parser, CSL JSON, JSON-LD, the entry JSON and the JSON Lines dump
// through JSON.parse. The site's files are written by the real writer into a temporary folder.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../schemas/index.ts';
import { escapeBibtex, renderBibtex } from '../../catalog/exports/bibtex.ts';
import { renderCslJson } from '../../catalog/exports/csl-json.ts';
import { renderDataciteXml } from '../../catalog/exports/datacite-xml.ts';
import { toDatasetView, type CatalogueInfo, type DatasetView } from '../../catalog/exports/dataset-view.ts';
import { serializeJsonLd, toJsonLd } from '../../catalog/exports/json-ld.ts';
import { renderRis } from '../../catalog/exports/ris.ts';
import { oneLine } from '../../catalog/exports/text.ts';
import { formats } from '../../harvester/provider-formats.ts';
import { renderAtomFeed, writeDataFiles } from '../../site/lib/data-files.ts';
import { asCatalogueRecord, type PublishedRecord } from '../../site/lib/published.ts';

const run = promisify(execFile);
const xsd = fileURLToPath(new URL('../../harvester/xsd/', import.meta.url));
const info: CatalogueInfo = { name: 'Test & {Catalogue} 100%', baseUrl: 'https://data.example.org/bic/' };

/** The pieces the issue lists; each is tried alone and mixed with others by the property tests. */
const hostile = [
  '\\',
  '\\\\',
  '\\textbf{x}',
  '{',
  '}',
  '}{',
  '%',
  '#',
  '&',
  '&amp;',
  '~',
  '^',
  '$',
  '_',
  '@',
  '@misc{x,',
  '"',
  "'",
  '`',
  '</script>',
  '</SCRIPT >',
  '<!--',
  ']]>',
  '<![CDATA[',
  '\n',
  '\r',
  '\r\n',
  '\nTY  - JOUR\nER  - \n',
  '\rER  - ',
  '\uD800',
  '\uDFFF',
  '\uDFFF\uD800',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u0000',
  '\u0001',
  '\u001B[31m',
  '\u007F',
  '\u009F',
  '\uFFFE',
  '\uFFFF',
  '\u200F',
  '\u202E',
  '\u061C',
  'مرحبا',
  '日本語のタイトル',
  'Ελληνικά',
  'ß',
  '🐟',
  'e\u0301',
  ' and ',
  ', ',
  ' - x',
  'x'.repeat(5000),
];

/**
 * What a reader can give back of a value: lone surrogates as U+FFFD, line breaks as spaces, control characters
 * (which XML cannot hold at all) dropped, U+FFFE and U+FFFF (not XML characters) dropped, spaces collapsed.
 */
function readable(value: string): string {
  return oneLine(value)
    .replace(/[\uFFFE\uFFFF]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function entryRecord(title: string, author: string, keyword: string, description: string): PublishedRecord {
  const data = {
    schemaVersion: 1,
    accession: 'BIC0000013',
    version: 2,
    versions: [
      { version: 1, date: '2024-01-02', summary: 'first' },
      { version: 2, date: '2024-03-04', summary: 'second' },
    ],
    study: {
      title,
      description,
      authors: [{ name: author }, { name: 'Ada Lovelace' }],
      license: 'CC-BY-4.0',
      keywords: [keyword, 'plain'],
      releaseDate: '2024-01-02',
      scales: ['cell'],
    },
  } as unknown as Entry;
  return {
    kind: 'entry',
    data,
    accession: 'BIC0000013',
    status: 'live',
    summary: { accession: 'BIC0000013', title, status: 'live', version: 2, origin: null },
  };
}

const viewOf = (record: PublishedRecord): DatasetView => toDatasetView(asCatalogueRecord(record), info);

async function parseBibtex(text: string) {
  const cite = await Cite.async(text, { forceType: '@biblatex/text' });
  return cite.data as { title?: string; author?: { family?: string; given?: string; literal?: string }[] }[];
}

async function parseRis(text: string) {
  const cite = await Cite.async(text, { forceType: '@ris/file' });
  return cite.data as {
    title?: string;
    author?: { family?: string; given?: string; literal?: string }[];
    keyword?: string;
  }[];
}

/** What an XML reader can give back: the characters XML 1.0 cannot hold (§2.2, production Char) are dropped. */
const xmlReadable = (value: string) =>
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  readable(value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

const fullName = (a: { family?: string; given?: string; literal?: string }) =>
  a.literal ?? [a.given, a.family].filter(Boolean).join(' ');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exports-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Validates the files against the official DataCite kernel-4.6 schema with xmllint, offline; all at once. */
async function xmllintDatacite(files: string[]): Promise<void> {
  await run('xmllint', ['--nonet', '--noout', '--schema', join(xsd, 'datacite/kernel-4.6/metadata.xsd'), ...files], {
    env: { ...process.env, XML_CATALOG_FILES: join(xsd, 'catalog.xml') },
    maxBuffer: 16 * 1024 * 1024,
  });
}

const xml = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

describe('BibTeX', () => {
  it('escapes a backslash as \\textbackslash{} whose braces stay braces', () => {
    expect(escapeBibtex('a\\b')).toBe('a\\textbackslash{}b');
    expect(escapeBibtex('{~^}')).toBe('\\textbraceleft{}\\textasciitilde{}\\textasciicircum{}\\textbraceright{}');
    expect(escapeBibtex("a -- b --- c `` d '' e")).toBe("a -{}- b -{}-{}- c `{}` d '{}' e");
  });

  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 40), h]))(
    'gives back a title and authors holding %s (Citation.js)',
    async (_label, piece) => {
      const title = `Title ${piece} end`;
      const view = viewOf(entryRecord(title, `Given ${piece} Family`, piece, piece));
      const items = await parseBibtex(renderBibtex(view, info));
      expect(items).toHaveLength(1);
      expect(readable(items[0].title ?? '')).toBe(readable(title));
      expect(items[0].author?.map(fullName).map(readable)).toEqual([readable(`Given ${piece} Family`), 'Ada Lovelace']);
    },
  );

  it('property: any title and author come back (Citation.js)', async () => {
    await fc.assert(
      fc.asyncProperty(text(), text(), async (t, a) => {
        const title = `T ${t} x`;
        const author = `G${a} F`;
        const items = await parseBibtex(renderBibtex(viewOf(entryRecord(title, author, t, a)), info));
        expect(items).toHaveLength(1);
        expect(readable(items[0].title ?? '')).toBe(readable(title));
        expect(items[0].author?.map(fullName).map(readable)).toEqual([readable(author), 'Ada Lovelace']);
      }),
      { numRuns: 150 },
    );
  });
});

describe('RIS', () => {
  it.each(hostile.map((h) => [JSON.stringify(h).slice(0, 40), h]))(
    'stays one record with its title and authors for %s (Citation.js)',
    async (_label, piece) => {
      const title = `Title ${piece} end`;
      const text = renderRis(viewOf(entryRecord(title, `Given ${piece} Family`, `k${piece}`, piece)), info);
      for (const line of text.split('\r\n').slice(0, -1)) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
      expect(text.match(/^TY {2}- /gm)).toHaveLength(1);
      expect(text.match(/^ER {2}- /gm)).toHaveLength(1);
      const items = await parseRis(text);
      expect(items).toHaveLength(1);
      expect(readable(items[0].title ?? '')).toBe(readable(title));
    },
  );

  it('property: any title stays in one record, on one line (Citation.js)', async () => {
    await fc.assert(
      fc.asyncProperty(text(), text(), async (t, a) => {
        const title = `T ${t} x`;
        const ris = renderRis(viewOf(entryRecord(title, `G${a} F`, t, a)), info);
        expect(ris.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((l) => /^TY {2}- /.test(l))).toHaveLength(1);
        const items = await parseRis(ris);
        expect(items).toHaveLength(1);
        expect(readable(items[0].title ?? '')).toBe(readable(title));
      }),
      { numRuns: 150 },
    );
  });
});

describe('DataCite XML', () => {
  it(
    'is valid against the official kernel-4 schema and gives the text back, ' + 'for every hostile piece (xmllint)',
    async () => {
      const files: string[] = [];
      for (const [i, piece] of hostile.entries()) {
        const title = `Title ${piece} end`;
        const out = renderDataciteXml(
          viewOf(entryRecord(title, `Given ${piece} Family`, `k${piece}`, `Description ${piece}`)),
          info,
        );
        const parsed = xml.parse(out);
        expect(xmlReadable(parsed.resource.titles.title)).toBe(xmlReadable(title));
        expect(xmlReadable(parsed.resource.descriptions.description['#text'])).toBe(
          xmlReadable(`Description ${piece}`),
        );
        const file = join(dir, `datacite-${i}.xml`);
        await writeFile(file, out);
        files.push(file);
      }
      await xmllintDatacite(files);
      // The schema does reject a broken record: a resource type outside its list.
      const broken = join(dir, 'datacite-broken.xml');
      await writeFile(
        broken,
        renderDataciteXml(viewOf(entryRecord('A title long enough', 'A B', 'k', 'd')), info).replace(
          'resourceTypeGeneral="Dataset"',
          'resourceTypeGeneral="Nonsense"',
        ),
      );
      await expect(xmllintDatacite([broken])).rejects.toThrow();
    },
  );

  it('property: any title and description give a schema-valid record (xmllint)', async () => {
    const files: string[] = [];
    fc.assert(
      fc.property(text(), text(), (t, d) => {
        const out = renderDataciteXml(viewOf(entryRecord(`T ${t} x`, `G${d} F`, `k${t}`, `D ${d} x`)), info);
        expect(xmlReadable(xml.parse(out).resource.titles.title)).toBe(xmlReadable(`T ${t} x`));
        files.push(out);
      }),
      { numRuns: 100 },
    );
    const paths = await Promise.all(
      files.map(async (out, i) => {
        const file = join(dir, `datacite-p${i}.xml`);
        await writeFile(file, out);
        return file;
      }),
    );
    await xmllintDatacite(paths);
  });
});

describe("oai_dc (the provider's Dublin Core)", () => {
  it('is valid against the oai_dc schema and gives the text back, for every hostile piece (xmllint)', async () => {
    const oaiDc = formats.find((f) => f.prefix === 'oai_dc')!;
    const files: string[] = [];
    for (const [i, piece] of hostile.entries()) {
      const title = `Title ${piece} end`;
      const record = entryRecord(title, `Given ${piece} Family`, `k${piece}`, `Description ${piece}`);
      const out = `<?xml version="1.0" encoding="UTF-8"?>\n${oaiDc.render(asCatalogueRecord(record), info)}\n`;
      const dc = xml.parse(out)['oai_dc:dc'];
      expect(xmlReadable(dc['dc:title'])).toBe(xmlReadable(title));
      expect(xmlReadable(dc['dc:creator'][0])).toBe(xmlReadable(`Given ${piece} Family`));
      const file = join(dir, `oai-dc-${i}.xml`);
      await writeFile(file, out);
      files.push(file);
    }
    const lint = (paths: string[]) =>
      run('xmllint', ['--nonet', '--noout', '--schema', join(xsd, 'oai_dc.xsd'), ...paths], {
        env: { ...process.env, XML_CATALOG_FILES: join(xsd, 'catalog.xml') },
        maxBuffer: 16 * 1024 * 1024,
      });
    await lint(files);
    // The schema does reject a broken record: an element Dublin Core does not have.
    const broken = join(dir, 'oai-dc-broken.xml');
    await writeFile(broken, (await readFile(files[0], 'utf8')).replace(/dc:title>/g, 'dc:heading>'));
    await expect(lint([broken])).rejects.toThrow();
  });
});

describe('CSL JSON and JSON-LD', () => {
  it('property: CSL JSON gives back every character, a lone surrogate as U+FFFD', () => {
    fc.assert(
      fc.property(text(), (t) => {
        const items = JSON.parse(renderCslJson(viewOf(entryRecord(`T ${t}`, `G ${t} F`, t, t)), info));
        expect(items[0].title).toBe(`T ${t}`);
      }),
      { numRuns: 300 },
    );
  });

  it('property: the JSON-LD in its script element cannot be closed or commented out, and parses back', () => {
    fc.assert(
      fc.property(text(), (t) => {
        const view = viewOf(entryRecord(`T ${t} x`, `G ${t} F`, t, `D ${t}`));
        const json = serializeJsonLd(toJsonLd(view, info));
        const element = `<script type="application/ld+json">${json}</script>`;
        // HTML §4.12.1.3: the element's text must not hold "<!--" nor "</script" in any case.
        expect(element.toLowerCase().indexOf('</script')).toBe(element.length - '</script>'.length);
        expect(json.includes('<!--')).toBe(false);
        expect(/[\u2028\u2029]/.test(json)).toBe(false);
        expect(JSON.parse(json).name).toBe(`T ${t} x`);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the site's data files: entry JSON, JSON Lines, sitemap, Atom", () => {
  it('property: every file parses and gives the title back; the dump has one line per record', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(text(), async (t) => {
        const out = join(dir, `site-${round++}`);
        const title = `T ${t} x`;
        await writeDataFiles(out, [entryRecord(title, `G ${t} F`, t, `D ${t}`)], info, []);
        const dump = await readFile(join(out, 'catalogue.jsonl'), 'utf8');
        // JSON Lines: records end at \n only, but many line readers (Python's splitlines, editors) also break at
        // CR, NEL, U+2028 and U+2029, so none of them may appear raw.
        expect(dump.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter(Boolean), JSON.stringify(dump)).toHaveLength(1);
        expect(JSON.parse(dump).record.study.title).toBe(title);
        expect(JSON.parse(await readFile(join(out, 'entries/BIC0000013.json'), 'utf8')).record.study.title).toBe(title);
        const sitemap = xml.parse(await readFile(join(out, 'sitemap.xml'), 'utf8'));
        expect(sitemap.urlset.url.map((u: { loc: string }) => u.loc)).toContain(
          'https://data.example.org/bic/entries/BIC0000013/',
        );
        const feed = xml.parse(await readFile(join(out, 'feed.xml'), 'utf8'));
        expect(xmlReadable(feed.feed.entry.title)).toBe(xmlReadable(`BIC0000013: ${title}`));
        expect(readable(await readFile(join(out, 'entries/BIC0000013/citation.bib'), 'utf8')).length).toBeGreaterThan(
          0,
        );
        await rm(out, { recursive: true, force: true });
      }),
      { numRuns: 40 },
    );
  });

  it('cuts an Atom summary without splitting a character in two', () => {
    const view = viewOf(entryRecord('A title long enough', 'A B', 'k', `${'x'.repeat(499)}🐟 tail`));
    const feed = renderAtomFeed([view], info);
    const summary = xml.parse(feed).feed.entry.summary['#text'] as string;
    expect(summary).toBe('x'.repeat(499));
    expect(feed.includes('\uFFFD')).toBe(false);
  });
});

/** Strings mixing the hostile pieces with arbitrary code points (lone surrogates included), kept short. */
function text() {
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...hostile.filter((h) => h.length < 100)),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(''));
}
