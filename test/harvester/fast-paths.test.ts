// The shortcuts taken for speed (harvester/xml.ts, harvester/crosswalks/common.ts, the early token of protocol.ts)
// give exactly what the plain definitions give, on the cases where they could differ.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { calendarDate, toSpdx } from '../../harvester/crosswalks/common.ts';
import { XmlError } from '../../harvester/errors.ts';
import { parseOaiResponse, peekResumptionToken } from '../../harvester/protocol.ts';
import { parseXml, stripInvalidXmlChars, textOf, type XmlElement } from '../../harvester/xml.ts';

const element = (text: string): XmlElement => ({ ns: '', name: 'x', attrs: {}, children: [], text });

describe('textOf collapses whitespace as /\\s+/ does', () => {
  it.each([
    'plain',
    ' padded ',
    'two  spaces',
    'tab\there',
    'line\nend',
    'cr\rx',
    'vt\u000bff\u000c',
    'nbsp\u00a0x',
    'ideographic\u3000space',
    'bom\ufeffx',
    'en\u2002space',
    'line\u2028sep',
    'narrow\u202fnb',
    '\u0085 is not \\s',
    'é and 🐟',
    '',
  ])('%j', (text) => {
    expect(textOf(element(text))).toBe(text.replace(/\s+/g, ' ').trim());
  });
});

describe('calendarDate keeps the day of a date or date-time that exists', () => {
  it('takes a date-time and refuses a year or a month alone', () => {
    expect(calendarDate(' 2024-02-29T10:00:00Z ')).toBe('2024-02-29');
    expect(calendarDate('2024-02-29')).toBe('2024-02-29');
    expect(calendarDate('2023-02-29')).toBeUndefined();
    expect(calendarDate('2024-02')).toBeUndefined();
    expect(calendarDate('2024')).toBeUndefined();
    expect(calendarDate(undefined)).toBeUndefined();
  });
});

describe('toSpdx gives the same answer the first time and from its memory', () => {
  it.each([
    ['https://creativecommons.org/licenses/by/4.0/', 'CC-BY-4.0'],
    ['cc-by-4.0', 'CC-BY-4.0'],
    ['http://creativecommons.org/publicdomain/mark/1.0/', undefined],
    ['All rights reserved', undefined],
  ])('%s', (statement, spdx) => {
    expect(toSpdx(statement)).toBe(spdx);
    expect(toSpdx(statement)).toBe(spdx);
  });
  it('reads on past a statement that is not a licence', () => {
    expect(toSpdx('All rights reserved', 'MIT')).toBe('MIT');
    expect(toSpdx('http://creativecommons.org/publicdomain/mark/1.0/', 'CC0-1.0')).toBe('CC0-1.0');
  });
});

describe('the quick checks of a whole page', () => {
  it('refuses a DOCTYPE or ENTITY declaration in any case, anywhere', () => {
    for (const text of [
      '<!doctype x><x/>',
      '<!DocType x><x/>',
      '<x><!-- <!ENTITY e "e"> --></x>',
      '<x><![CDATA[ <!entity ]]></x>',
    ]) {
      expect(() => parseXml(text), text).toThrow(
        expect.objectContaining({ code: 'XML_DOCTYPE' }) as unknown as XmlError,
      );
    }
    expect(parseXml('<x><!-- <!DOC --><![CDATA[<!ENTIT]]></x>').root.name).toBe('x');
  });
  it('strips illegal characters and references only where there are some, and counts them', () => {
    expect(stripInvalidXmlChars('clean é 🐟 &#233;')).toEqual({ text: 'clean é 🐟 &#233;', stripped: 0 });
    expect(stripInvalidXmlChars('a\u0001b\ud800c\udc00d\uffff&#1;&#x1F;e')).toEqual({ text: 'abcde', stripped: 6 });
  });
  it('strips a decimal reference exactly when its number is not an XML Char (XML 1.0 §2.2, §4.1)', () => {
    // Every number from 0 to 70000 against the production Char: tab, LF, CR, 0x20-0xD7FF, 0xE000-0xFFFD, above.
    const isChar = (n: number) =>
      n === 9 || n === 10 || n === 13 || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || n >= 0x10000;
    const wrong: number[] = [];
    for (let n = 0; n <= 70_000; n++) {
      for (const reference of [`&#${n};`, `&#x${n.toString(16)};`]) {
        if ((stripInvalidXmlChars(reference).stripped === 0) !== isChar(n)) wrong.push(n);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('peekResumptionToken reads the token the parser reads, or nothing', () => {
  // Every real and synthetic page in the fixtures: the early token is either absent or exactly the parsed one.
  const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  const pages = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.xml'))
    .map((f) => join(fixtures, f));
  it.each(pages.map((p) => [relative(fixtures, p), p]))('%s', (_, path) => {
    const text = readFileSync(path, 'utf8');
    const early = peekResumptionToken(text);
    let parsed: string | undefined;
    try {
      parsed = parseOaiResponse(text, path).resumptionToken?.value;
    } catch {
      parsed = undefined;
    }
    if (early !== undefined) expect(early).toBe(parsed);
  });

  const page = (token: string, prefix = '') =>
    `<?xml version="1.0"?>\n<${prefix}OAI-PMH ` +
    `xmlns${prefix ? `:${prefix.slice(0, -1)}` : ''}="http://www.openarchives.org/OAI/2.0/">` +
    `<${prefix}ListRecords><${prefix}record><${prefix}header>` +
    `<${prefix}identifier>oai:x:1</${prefix}identifier><${prefix}datestamp>2024-01-01</${prefix}datestamp>` +
    `</${prefix}header></${prefix}record>${token}</${prefix}ListRecords></${prefix}OAI-PMH>\n`;
  it.each([
    [
      'a plain token',
      page('<resumptionToken cursor="0" completeListSize="9">oai_dc////100</resumptionToken>'),
      'oai_dc////100',
    ],
    [
      'prefixed elements and padding',
      page('<oai:resumptionToken completeListSize="9">\n  5877637|1001 \n</oai:resumptionToken>\n', 'oai:'),
      '5877637|1001',
    ],
    ['an entity, read only by the parser', page('<resumptionToken>a&amp;b</resumptionToken>'), undefined],
    ['a CDATA section', page('<resumptionToken><![CDATA[abc]]></resumptionToken>'), undefined],
    [
      'an empty token (the last page)',
      page('<resumptionToken completeListSize="9" cursor="8"></resumptionToken>'),
      undefined,
    ],
    ['a self-closed token', page('<resumptionToken completeListSize="9" cursor="8"/>'), undefined],
    ['a space inside the token', page('<resumptionToken>a b</resumptionToken>'), undefined],
    ['no token', page(''), undefined],
    ['a token that is not the last element', page('<resumptionToken>abc</resumptionToken><!-- x -->'), undefined],
  ])('%s', (_, text, expected) => {
    expect(peekResumptionToken(text)).toBe(expected);
    if (expected !== undefined) expect(parseOaiResponse(text, 'x').resumptionToken?.value).toBe(expected);
  });
});
