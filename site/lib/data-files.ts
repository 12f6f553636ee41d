// The machine-readable files of the site, written straight from the catalogue (no HTML rendering, so they cost
// little even at 100k entries): /entries/<ACCESSION>.json, the citation downloads beside each entry page,
// /catalogue.jsonl (the whole published catalogue), /sitemap.xml and /feed.xml (Atom).
import { closeSync, mkdirSync, openSync, writeFileSync, writevSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mirror } from '../../schemas/index.ts';
import { renderBibtex } from '../../catalog/exports/bibtex.ts';
import { renderCslJson } from '../../catalog/exports/csl-json.ts';
import { renderDataciteXml } from '../../catalog/exports/datacite-xml.ts';
import { escapeXml } from '../../catalog/exports/escape-xml.ts';
import { toDatasetView, type CatalogueInfo, type DatasetView } from '../../catalog/exports/dataset-view.ts';
import { renderRis } from '../../catalog/exports/ris.ts';
import { citationFiles } from './citation-files.ts';
import { downloadsFor, type Downloads } from './downloads.ts';
import { entryFileUrl, entryLinkedData, linkedDataExtras, linkedDataFiles } from './linked-data.ts';
import { indexLinesByAccession } from './jsonl-index.ts';
import { asCatalogueRecord, isListed, type PublishedRecord } from './published.ts';

export { citationFiles } from './citation-files.ts';

/** sitemaps.org: at most 50,000 URLs per sitemap file. */
const sitemapLimit = 50_000;
/** Entries in the Atom feed. */
const feedSize = 50;

/** The document of /entries/<ACCESSION>.json and of each line of catalogue.jsonl. */
export function machineRecord(
  record: PublishedRecord,
  view: DatasetView,
  mirrors: Mirror[],
  downloads: Downloads = downloadsFor(record.manifest, mirrors, record.accession),
  info?: CatalogueInfo,
) {
  return {
    accession: record.accession,
    url: view.url,
    status: record.status,
    kind: record.kind,
    ...(info && isListed(record) ? { metadata: linkedDataAddresses(info, record.accession) } : {}),
    record: record.data,
    ...(record.lastGood ? { lastGood: record.lastGood } : {}),
    ...(record.manifest ? { manifest: record.manifest, files: downloads.files } : {}),
  };
}

/** Where the linked-data documents of a listed record are, for its JSON and its line of the dump. */
export function linkedDataAddresses(info: CatalogueInfo, accession: string) {
  return {
    jsonLd: entryFileUrl(info, accession, linkedDataFiles.jsonLd),
    roCrate: entryFileUrl(info, accession, linkedDataFiles.roCrate),
    linkset: entryFileUrl(info, accession, linkedDataFiles.linkset),
  };
}

/**
 * JSON on one line for catalogue.jsonl. JSON.stringify leaves NEL, U+2028 and U+2029 raw (RFC 8259 allows them
 * in strings), but many line readers (Python's str.splitlines, editors, some log tools) break lines there, so a
 * record holding one would read as several; as \u escapes they are the same JSON and no reader can split them.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Records written between two turns of the event loop. Small, because when this runs on the thread that feeds
 * the Pagefind service, the service's requests wait in a 64 KB pipe (about 16 records) that is refilled only
 * when the loop turns (the build runs it on a worker thread of its own: data-files-worker.ts).
 */
const chunkSize = 10;
const newline = Buffer.from('\n');

export interface DataFilesResult {
  files: number;
  /** The address and date of each listed record in the sitemap, by accession (kept for the next build). */
  sitemap: Record<string, SitemapEntry>;
}

/** A listed record's address and date of last change, as the sitemap and the feed use them. */
export type SitemapEntry = [url: string, modified: string | undefined];

/**
 * What an earlier build wrote for the records that did not change (their key is the same, so the same lines):
 * their lines of catalogue.jsonl and their sitemap entries. Taking them costs a copy instead of a rendering.
 */
export interface EarlierDataFiles {
  lineOf: (accession: string) => Buffer | undefined;
  sitemap: Readonly<Record<string, SitemapEntry>>;
}

/** The lines of a catalogue.jsonl by accession (each line begins {"accession":"...). */
export function indexDumpLines(bytes: Buffer): (accession: string) => Buffer | undefined {
  const lines = indexLinesByAccession(bytes);
  return (accession) => {
    const at = lines.get(accession);
    return at && bytes.subarray(at[0], at[1]);
  };
}

/**
 * Writes the data files. Synchronous writes in chunks: for many small files they cost a fraction of
 * fs/promises' (no thread-pool round trip per open, write and close), and between chunks the event loop turns,
 * so the search index (search-index.ts), built at the same time in this process, keeps its service busy.
 */
export async function writeDataFiles(
  out: string,
  records: PublishedRecord[],
  info: CatalogueInfo,
  mirrors: Mirror[],
  /** The records whose own files are written (default all); the others' are in place from an earlier build. */
  only?: ReadonlySet<string>,
  earlier?: EarlierDataFiles,
): Promise<DataFilesResult> {
  let files = 0;
  const sitemap: Record<string, SitemapEntry> = {};
  const entries = join(out, 'entries');
  mkdirSync(entries, { recursive: true });
  const dump = openSync(join(out, 'catalogue.jsonl'), 'w');
  try {
    for (let start = 0; start < records.length; start += chunkSize) {
      // Bytes, not strings: the lines taken from the earlier dump are written as they are, never decoded.
      const lines: Buffer[] = [];
      for (const record of records.slice(start, start + chunkSize)) {
        const unchanged = only !== undefined && !only.has(record.accession);
        const line = unchanged ? earlier?.lineOf(record.accession) : undefined;
        const dated = unchanged ? earlier?.sitemap[record.accession] : undefined;
        if (line !== undefined && (dated || !isListed(record))) {
          lines.push(line, newline);
          if (dated) sitemap[record.accession] = dated;
          continue;
        }
        const view = toDatasetView(asCatalogueRecord(record), info);
        if (isListed(record)) sitemap[record.accession] = [view.url, view.modified];
        const downloads = downloadsFor(record.manifest, mirrors, record.accession);
        const json = jsonLine(machineRecord(record, view, mirrors, downloads, info));
        lines.push(Buffer.from(json), newline);
        if (only && !only.has(record.accession)) continue;
        writeFileSync(join(entries, `${record.accession}.json`), json + '\n');
        files++;
        if (record.kind === 'tombstone') continue;
        const folder = join(entries, record.accession);
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, citationFiles.bibtex), renderBibtex(view, info));
        writeFileSync(join(folder, citationFiles.ris), renderRis(view, info));
        writeFileSync(join(folder, citationFiles.csl), renderCslJson(view, info));
        writeFileSync(join(folder, citationFiles.datacite), renderDataciteXml(view, info));
        files += 4;
        if (!isListed(record)) continue;
        const linked = entryLinkedData(record, view, info, downloads, linkedDataExtras(record, mirrors));
        writeFileSync(join(folder, linkedDataFiles.jsonLd), JSON.stringify(linked.jsonLd) + '\n');
        writeFileSync(join(folder, linkedDataFiles.roCrate), JSON.stringify(linked.roCrate) + '\n');
        writeFileSync(join(folder, linkedDataFiles.linkset), JSON.stringify(linked.linkset) + '\n');
        files += 3;
      }
      writevSync(dump, lines);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    closeSync(dump);
  }
  files++;

  // Sitemap: the listed entries and the top pages. Tombstones stay reachable but are not advertised.
  const urls: { loc: string; lastmod?: string }[] = [
    { loc: info.baseUrl },
    { loc: new URL('search/', info.baseUrl).href },
    { loc: new URL('browse/', info.baseUrl).href },
    { loc: new URL('stats/', info.baseUrl).href },
    ...records.filter(isListed).flatMap((r) => {
      const [url, modified] = sitemap[r.accession];
      // The RO-Crate beside each page, for crawlers that harvest crates (GIDE search) rather than pages.
      const crate = linkedDataAddresses(info, r.accession).roCrate;
      return [
        { loc: url, lastmod: modified },
        { loc: crate, lastmod: modified },
      ];
    }),
  ];
  const urlset = (list: typeof urls) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n` +
    `${list
      .map(
        (u) =>
          `<url><loc>${escapeXml(u.loc)}</loc>${u.lastmod ? `<lastmod>${escapeXml(u.lastmod)}</lastmod>` : ''}</url>`,
      )
      .join('\n')}` +
    `\n</urlset>\n`;
  if (urls.length <= sitemapLimit) {
    await writeFile(join(out, 'sitemap.xml'), urlset(urls));
    files++;
  } else {
    const parts: string[] = [];
    for (let i = 0; i < urls.length; i += sitemapLimit) {
      const name = `sitemap-${parts.length + 1}.xml`;
      await writeFile(join(out, name), urlset(urls.slice(i, i + sitemapLimit)));
      parts.push(new URL(name, info.baseUrl).href);
      files++;
    }
    await writeFile(
      join(out, 'sitemap.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex ` +
        `xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n` +
        `${parts.map((p) => `<sitemap><loc>${escapeXml(p)}</loc></sitemap>`).join('\n')}\n</sitemapindex>\n`,
    );
    files++;
  }

  // The feed's entries, chosen as renderAtomFeed orders them, from the sitemap's dates: only they need a view.
  const newest = records
    .filter(isListed)
    .sort(
      (a, b) =>
        (sitemap[b.accession][1] ?? '').localeCompare(sitemap[a.accession][1] ?? '') ||
        b.accession.localeCompare(a.accession),
    )
    .slice(0, feedSize);
  await writeFile(
    join(out, 'feed.xml'),
    renderAtomFeed(
      newest.map((r) => toDatasetView(asCatalogueRecord(r), info)),
      info,
    ),
  );
  files++;
  return { files, sitemap };
}

/** Characters of a description kept as an Atom summary. */
const summaryLength = 500;

/** The first `length` UTF-16 units of `text`, less a high surrogate the cut would leave alone. */
const cut = (text: string, length: number) =>
  text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(length - 1)) ? length - 1 : length);

/** Atom 1.0 (RFC 4287) of the newest and most recently updated entries. */
export function renderAtomFeed(views: DatasetView[], info: CatalogueInfo, size = feedSize): string {
  const newest = [...views]
    .sort((a, b) => (b.modified ?? '').localeCompare(a.modified ?? '') || b.accession.localeCompare(a.accession))
    .slice(0, size);
  const stamp = (date: string | undefined) => `${date ?? '1970-01-01'}T00:00:00Z`;
  const x = escapeXml;
  const entries = newest.map((v) =>
    [
      '  <entry>',
      `    <id>${x(v.url)}</id>`,
      `    <title>${x(`${v.accession}: ${v.title}`)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(v.url)}"/>`,
      `    <updated>${stamp(v.modified)}</updated>`,
      ...(v.released ? [`    <published>${stamp(v.released)}</published>`] : []),
      ...(v.authors.length
        ? v.authors.slice(0, 10).map((a) => `    <author><name>${x(a.name)}</name></author>`)
        : [`    <author><name>${x(info.name)}</name></author>`]),
      `    <summary type="text">${x(cut(v.description, summaryLength))}</summary>`,
      `    <category term="${x(v.version && v.version > 1 ? 'updated' : 'new')}"/>`,
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(info.baseUrl)}</id>`,
    `  <title>${x(info.name)}: new and updated entries</title>`,
    `  <link rel="self" type="application/atom+xml" href="${x(new URL('feed.xml', info.baseUrl).href)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(info.baseUrl)}"/>`,
    `  <updated>${stamp(newest[0]?.modified)}</updated>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
