// The record view's shortcuts give what their plain definitions give: an entry's page URL is new URL's resolution
// of entries/<ACCESSION>/ against the base, whatever the base and however odd the accession (harvested ids too).
import { describe, expect, it } from 'vitest';
import { entryUrl } from '../../catalog/exports/dataset-view.ts';

describe('entryUrl', () => {
  const bases = [
    'http://localhost:4321/',
    'https://example.org/catalogue/',
    'https://example.org/a%20b/',
    'https://例え.jp/x/',
    'http://h/?q=1#f',
    'https://example.org/no-slash',
  ];
  const accessions = [
    'BIC0000001',
    'zenodo-oai-zenodo-org-123',
    '.',
    '..',
    '...',
    '.x',
    'x.',
    'a/b',
    'a?b#c',
    'é🐟',
    '%41',
    "it's (x)*!~",
    ' spaced ',
  ];
  it.each(bases)('against %s', (baseUrl) => {
    for (const accession of accessions) {
      expect(entryUrl({ name: 'x', baseUrl }, accession), accession).toBe(
        new URL(`entries/${encodeURIComponent(accession)}/`, baseUrl).href,
      );
    }
  });
});
