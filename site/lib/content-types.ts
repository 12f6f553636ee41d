// The media type of each file of a built site, shared by the static server (`catalogue serve`) and the publisher
// (`catalogue publish`), so a page is sent with the same headers from a laptop and from a mirror's bucket.
import { extname } from 'node:path';
import { typeOfSiteFile } from './signposting-header.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  // JSON-LD and linksets are UTF-8 by definition (RFC 8259 §8.1); their types take no charset parameter.
  '.jsonld': 'application/ld+json',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.bib': 'application/x-bibtex; charset=utf-8',
  '.ris': 'application/x-research-info-systems; charset=utf-8',
  // Pagefind's WebAssembly must have this type for streaming compilation.
  '.wasm': 'application/wasm',
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

/**
 * The Content-Type of a site file: by its name for the files whose name says what they are (linkset.json, the
 * RO-Crate metadata file, DataCite XML), else by its extension; application/octet-stream when unknown.
 */
export function contentTypeOf(path: string): string {
  return typeOfSiteFile(path) ?? types[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Types worth compressing for transfer (RFC 9110 §8.4.1, §12.5.3): text only. Pagefind's index files and
 * WebAssembly are compressed already (application/octet-stream here), and images gain nothing.
 */
const compressible = new RegExp(
  '^(text/|application/(json|jsonl|ld\\+json|linkset\\+json|xml|vnd\\.datacite\\.datacite\\+xml|x-bibtex|' +
    'x-research-info-systems))|^image/svg\\+xml',
);

export function isCompressible(contentType: string): boolean {
  return compressible.test(contentType);
}
