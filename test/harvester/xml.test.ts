// The single-pass XML reader (harvester/xml.ts) against two independent oracles: xmllint decides what is
// well-formed, and fast-xml-parser (test/harvester/helpers/reference-xml.ts) what tree a well-formed document
// gives. Truncation at any point of a real page must be detected, never read as a page.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml, prepareXml, stripInvalidXmlChars, type XmlElement } from '../../harvester/xml.ts';
import { referenceParse } from './helpers/reference-xml.ts';
import { fixtures } from './helpers/servers.ts';

const xmlFolder = `${fixtures}xml/`;
const wellFormedByXmllint = (path: string) =>
  spawnSync('xmllint', ['--noout', '--nonet', path], { encoding: 'utf8' }).status === 0;
execFileSync('xmllint', ['--version'], { stdio: 'ignore' });

// fast-xml-parser leaves character references to its caller: they are resolved here before it reads the text.
const markupSafe: Record<number, string> = { 0x26: '&amp;', 0x3c: '&lt;', 0x22: '&quot;', 0x27: '&apos;' };
function reference(text: string): XmlElement | { error: string } {
  const clean = stripInvalidXmlChars(text.replace(/^\uFEFF/, '')).text.replace(
    /&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g,
    (_, hex: string | undefined, dec: string | undefined) => {
      const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
      return code > 0x10ffff ? '' : (markupSafe[code] ?? String.fromCodePoint(code));
    },
  );
  return referenceParse(clean);
}

describe('well-formedness, with xmllint as the oracle', () => {
  const valid = readdirSync(`${xmlFolder}valid`);
  it.each(valid)('valid/%s is read, and xmllint agrees it is well-formed', (name) => {
    const path = `${xmlFolder}valid/${name}`;
    expect(wellFormedByXmllint(path)).toBe(true);
    expect(() => parseXml(readFileSync(path, 'utf8'))).not.toThrow();
  });

  const expected = JSON.parse(readFileSync(`${xmlFolder}expected.json`, 'utf8')) as Record<
    string,
    { code: string; note?: string }
  >;
  const invalid = readdirSync(`${xmlFolder}invalid`).map((f) => f.replace(/\.xml$/, ''));
  it('every invalid case has its expected error, and every expected error its case', () => {
    expect(invalid.sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(invalid)('invalid/%s.xml is refused with its code, and xmllint agrees unless it is a policy', (name) => {
    const path = `${xmlFolder}invalid/${name}.xml`;
    // A note marks a document XML 1.0 allows that this reader refuses on purpose.
    expect(wellFormedByXmllint(path)).toBe(expected[name].note !== undefined);
    expect(() => parseXml(readFileSync(path, 'utf8'))).toThrow(
      expect.objectContaining({ code: expected[name].code, line: expect.any(Number), column: expect.any(Number) }),
    );
  });
});

describe('the same tree as fast-xml-parser on every real response', () => {
  const files = readdirSync(`${fixtures}valid/oai`, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.xml'))
    .map((f) => `valid/oai/${f}`);
  // (attribute-whitespace-normalised.xml is left out: fast-xml-parser does not normalise attribute values, §3.3.3.)
  files.push(
    ...readdirSync(`${xmlFolder}valid`)
      .filter((f) => f !== 'attribute-whitespace-normalised.xml')
      .map((f) => `xml/valid/${f}`),
  );
  it.each(files)('%s', (file) => {
    const text = readFileSync(fixtures + file, 'utf8');
    const ours = parseXml(text).root;
    const theirs = reference(text);
    expect('error' in theirs ? theirs.error : '').toBe('');
    // fast-xml-parser does not normalise whitespace in attribute values (XML 1.0 §3.3.3); this reader does.
    const normalised = JSON.parse(
      JSON.stringify(theirs, (key, value: unknown) =>
        key !== 'text' && typeof value === 'string' ? value.replace(/[\t\n\r]/g, ' ') : value,
      ),
    ) as XmlElement;
    expect(ours).toEqual(normalised);
  });

  it('normalises attribute values (§3.3.3) and line ends (§2.11) as XML requires', () => {
    const root = parseXml(readFileSync(`${xmlFolder}valid/attribute-whitespace-normalised.xml`, 'utf8')).root;
    expect(root.attrs).toEqual({ x: 'line break tab', y: '\nkept' });
    expect(parseXml('<a>one\r\ntwo\rthree</a>').root.text).toBe('one\ntwo\nthree');
  });
});

describe('a page cut anywhere is never read as a page', () => {
  it('refuses every truncation of a real ListRecords page', () => {
    const page = readFileSync(`${fixtures}valid/oai/zenodo/ListRecords-oai_datacite-page1.xml`, 'utf8').trimEnd();
    let checked = 0;
    for (let cut = 1; cut < page.length; cut += 37) {
      expect(() => parseXml(page.slice(0, cut)), `cut at ${cut}`).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^XML_/) }),
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    expect(parseXml(page).root.name).toBe('OAI-PMH');
  });

  it('refuses nesting deeper than the limit', () => {
    expect(() => parseXml('<a>'.repeat(300) + '</a>'.repeat(300))).toThrow(
      expect.objectContaining({ code: 'XML_TOO_DEEP' }),
    );
    expect(parseXml('<a>'.repeat(50) + '</a>'.repeat(50)).root.name).toBe('a');
  });
});

describe('the guards before any reading (prepareXml)', () => {
  it('refuses a DOCTYPE or an entity declaration anywhere, with its position', () => {
    expect(() => prepareXml('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toThrow(
      expect.objectContaining({ code: 'XML_DOCTYPE', line: 2, column: 1 }),
    );
    expect(() => prepareXml('<a><!entity x "y"></a>')).toThrow(expect.objectContaining({ code: 'XML_DOCTYPE' }));
  });

  it('refuses a text above the size limit, counted in UTF-8 bytes', () => {
    expect(() => prepareXml('<a>' + 'é'.repeat(500) + '</a>', 1000)).toThrow(
      expect.objectContaining({ code: 'XML_TOO_LARGE' }),
    );
    expect(prepareXml('<a>' + 'é'.repeat(400) + '</a>', 1000).text).toHaveLength(407);
  });

  it('drops the byte-order mark, strips forbidden characters and normalises line ends', () => {
    expect(prepareXml('\uFEFF<a>x\u0001y&#1;\r\nz\r</a>')).toEqual({ text: '<a>xy\nz\n</a>', stripped: 2 });
  });
});
