// The one XML escaper (catalog/exports/escape-xml.ts), by what it must do: the five markup characters become their
// entities, characters XML 1.0 §2.2 forbids are dropped, everything else stays; and on any string, reading the
// result back as XML character data gives the input without the forbidden characters.
import { fc, test as property } from '@fast-check/vitest';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../catalog/exports/escape-xml.ts';

// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const unescape = (text: string) =>
  text.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!,
  );

describe('escapeXml', () => {
  it('turns each markup character into its entity', () => {
    expect(escapeXml('<a href="x">Tom & Jerry\'s</a>')).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('drops the characters XML 1.0 cannot hold and keeps every other one', () => {
    for (const c of ['\u0000', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F', '\uFFFE', '\uFFFF'])
      expect(escapeXml(`a${c}b`)).toBe('ab');
    for (const c of ['\t', '\n', '\r', 'é', '\u{1F52C}', ';', '#', ']]', '\u00A0', '\uFFFD'])
      expect(escapeXml(`a${c}b`)).toBe(`a${c}b`);
  });

  it('returns a string with nothing to escape as it is', () => {
    const text = 'plain text, with ümlauts and 🔬';
    expect(escapeXml(text)).toBe(text);
    expect(escapeXml('')).toBe('');
  });

  property.prop([
    fc.string({ unit: fc.constantFrom('&', '<', '>', '"', "'", '\u0001', '\uFFFE', 'a', ' ', 'é', ';', '#', '\n') }),
  ])('leaves no markup, and reads back as the input without the forbidden characters', (text) => {
    const escaped = escapeXml(text);
    expect(escaped).not.toMatch(/[<>"']|&(?!(amp|lt|gt|quot|apos);)/);
    expect(unescape(escaped)).toBe(text.replace(forbidden, ''));
  });

  it('gives text and attribute values an XML parser reads back', () => {
    const text = 'a < b && c > "d" \'e\' \u0001\uFFFE end';
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true, trimValues: false }).parse(
      `<r a="${escapeXml(text)}">${escapeXml(text)}</r>`,
    ) as { r: { '#text': string; '@_a': string } };
    expect(parsed.r['#text']).toBe('a < b && c > "d" \'e\'  end');
    expect(parsed.r['@_a']).toBe('a < b && c > "d" \'e\'  end');
  });
});
