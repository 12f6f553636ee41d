// The shortcuts taken for speed (harvester/xml.ts, harvester/crosswalks/common.ts) give exactly what the plain
// definitions give: each is compared with the straightforward code it replaced, on the cases where they could differ.
import { describe, expect, it } from 'vitest';
import { calendarDate, toSpdx } from '../../harvester/crosswalks/common.ts';
import { XmlError } from '../../harvester/errors.ts';
import { parseXml, stripInvalidXmlChars, textOf, type XmlElement } from '../../harvester/xml.ts';

const element = (text: string): XmlElement => ({ ns: '', name: 'x', attrs: {}, children: [], text });

describe('textOf collapses whitespace as /\\s+/ does', () => {
  it.each(['plain', ' padded ', 'two  spaces', 'tab\there', 'line\nend', 'cr\rx', 'vt\u000bff\u000c', 'nbsp\u00a0x', 'ideographic\u3000space', 'bom\ufeffx', 'en\u2002space', 'line\u2028sep', 'narrow\u202fnb', '\u0085 is not \\s', 'é and 🐟', ''])('%j', (text) => {
    expect(textOf(element(text))).toBe(text.replace(/\s+/g, ' ').trim());
  });
});

describe('calendarDate accepts the days that exist, as Date did', () => {
  const byDate = (v: string) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) ? v : undefined;
  };
  it('every day of months 0-13 of common, leap and century years', () => {
    for (const year of ['0000', '1900', '2000', '2023', '2024', '2100', '9999']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const value = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          expect(calendarDate(value), value).toBe(byDate(value));
        }
      }
    }
  });
  it('takes a date-time and refuses a year or a month alone', () => {
    expect(calendarDate(' 2024-02-29T10:00:00Z ')).toBe('2024-02-29');
    expect(calendarDate('2023-02-29')).toBeUndefined();
    expect(calendarDate('2024-02')).toBeUndefined();
    expect(calendarDate('2024')).toBeUndefined();
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
    for (const text of ['<!doctype x><x/>', '<!DocType x><x/>', '<x><!-- <!ENTITY e "e"> --></x>', '<x><![CDATA[ <!entity ]]></x>']) {
      expect(() => parseXml(text), text).toThrow(expect.objectContaining({ code: 'XML_DOCTYPE' }) as unknown as XmlError);
    }
    expect(parseXml('<x><!-- <!DOC --><![CDATA[<!ENTIT]]></x>').root.name).toBe('x');
  });
  it('strips illegal characters and references only where there are some, and counts them', () => {
    expect(stripInvalidXmlChars('clean é 🐟 &#233;')).toEqual({ text: 'clean é 🐟 &#233;', stripped: 0 });
    expect(stripInvalidXmlChars('a\u0001b\ud800c\udc00d\uffff&#1;&#x1F;e')).toEqual({ text: 'abcde', stripped: 6 });
  });
});
