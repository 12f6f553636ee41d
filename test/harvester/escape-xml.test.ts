// The provider's one-pass escaper gives exactly what the catalogue's exports give, on every special character and
// on random text made mostly of them.
import { describe, expect, it } from 'vitest';
import { escapeXml as catalogueEscape } from '../../catalog/exports/datacite-xml.ts';
import { escapeXml } from '../../harvester/escape-xml.ts';

describe('escapeXml (provider)', () => {
  it('matches catalog/exports escapeXml on each special and forbidden character', () => {
    const characters = ['&', '<', '>', '"', "'", '\u0000', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F', '\uFFFE', '\uFFFF', '\t', '\n', '\r', 'é', '\u{1F52C}', ';', '#'];
    for (const c of characters) expect(escapeXml(`a${c}b`)).toBe(catalogueEscape(`a${c}b`));
    expect(escapeXml('<a href="x">Tom & Jerry\'s</a>')).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;');
    expect(escapeXml('plain text')).toBe('plain text');
  });

  it('matches it on 2,000 random strings', () => {
    const alphabet = ['&', '<', '>', '"', "'", '\u0001', '\uFFFE', 'a', ' ', 'é', '&amp;', '\n'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 20) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(escapeXml(text)).toBe(catalogueEscape(text));
    }
  });
});
