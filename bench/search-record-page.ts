// An HTML page that the Pagefind CLI indexes into the same fragment as a custom record (site/lib/search-index.ts
// toSearchRecord): its words in one data-pagefind-body element, its meta, filters and sort as <meta> elements in the
// head. Pagefind reads data-pagefind-meta, -filter and -sort outside the body element too, and the `key[content]`
// form takes the value from the attribute whole, so values holding commas need no escaping (one element per filter
// value). Used by bench/search-engine.bench.ts to measure the CLI against the Node API on equal input.
import type { CustomRecord } from 'pagefind';
import { escapeXml } from '../catalog/exports/escape-xml.ts';

const metaElement = (kind: 'meta' | 'filter' | 'sort', key: string, value: string) =>
  `<meta data-pagefind-${kind}="${escapeXml(key)}[content]" content="${escapeXml(value)}">`;

/** The page of one custom record; its URL must be the record's `url` (entries/<ACCESSION>/index.html). */
export function renderSearchRecordPage(record: CustomRecord): string {
  const head = [
    ...Object.entries(record.meta ?? {}).map(([key, value]) => metaElement('meta', key, value)),
    ...Object.entries(record.filters ?? {}).flatMap(([key, values]) =>
      values.map((value) => metaElement('filter', key, value)),
    ),
    ...Object.entries(record.sort ?? {}).map(([key, value]) => metaElement('sort', key, value)),
  ];
  // The text as it is, line breaks included: HTML collapses them to spaces, as Pagefind does for a custom record's
  // content, so both give the same words in the same positions. Not in a <p>: Pagefind ends a block element's
  // text with a full stop when it has none, which the custom record's content lacks.
  return (
    `<!doctype html><html lang="${escapeXml(record.language)}"><head><meta charset="utf-8">` +
    `<title>${escapeXml(record.meta?.title ?? record.url)}</title>\n${head.join('\n')}\n</head>` +
    `<body><main data-pagefind-body>${escapeXml(record.content)}</main></body></html>\n`
  );
}
