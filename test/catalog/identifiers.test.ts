import { describe, expect, it } from 'vitest';
import { dammDigit, formatAccession, isValidAccession, accessionSerial } from '../../catalog/accession.ts';
import { isValidOrcid, orcidCheckCharacter } from '../../catalog/checks/orcid.ts';
import { isValidRor } from '../../catalog/checks/ror.ts';
import { checkLicence } from '../../catalog/checks/spdx.ts';
import { checkObjectPath, findPathCollisions } from '../../catalog/checks/paths.ts';

describe('accessions', () => {
  it('follow BIC + six digits + a Damm check digit', () => {
    expect(dammDigit('572')).toBe(4); // Damm's own worked example
    expect(formatAccession(1)).toBe('BIC0000013');
    expect(accessionSerial('BIC0000013')).toBe(1);
    expect(formatAccession(999_999)).toMatch(/^BIC999999\d$/);
    expect(() => formatAccession(0)).toThrow(RangeError);
  });

  it('catch every single mistyped digit and every swap of two adjacent digits', () => {
    for (const serial of [1, 42, 1234, 98765, 500000, 999999]) {
      const accession = formatAccession(serial);
      expect(isValidAccession(accession)).toBe(true);
      const digits = accession.slice(3).split('');
      for (let i = 0; i < digits.length; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === digits[i]) continue;
          const typo = [...digits];
          typo[i] = String(d);
          expect(isValidAccession('BIC' + typo.join('')), `typo at ${i} in ${accession}`).toBe(false);
        }
        if (i + 1 < digits.length && digits[i] !== digits[i + 1]) {
          const swapped = [...digits];
          [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
          expect(isValidAccession('BIC' + swapped.join('')), `swap at ${i} in ${accession}`).toBe(false);
        }
      }
    }
  });
});

describe('ORCID iDs (ISO 7064 MOD 11-2)', () => {
  it('accept real iDs and reject a wrong check digit', () => {
    expect(isValidOrcid('0000-0002-1825-0097')).toBe(true); // ORCID's documented example
    expect(isValidOrcid('https://orcid.org/0000-0001-5109-3700')).toBe(true);
    expect(isValidOrcid('0000-0002-1694-233X')).toBe(true);
    expect(isValidOrcid('0000-0002-1825-0098')).toBe(false);
    expect(orcidCheckCharacter('000000021694233')).toBe('X');
  });
});

describe('ROR ids (ISO 7064 MOD 97-10)', () => {
  it('accept real ids and reject a mistyped one', () => {
    for (const id of ['03mstc592', '02catss52', '013meh722', 'https://ror.org/052gg0110', '029chgv08'])
      expect(isValidRor(id), id).toBe(true);
    expect(isValidRor('03mstc593')).toBe(false);
    expect(isValidRor('03mtsc592')).toBe(false);
  });
});

describe('SPDX licences', () => {
  it('accept ids and expressions, suggest the spelling of a loose one', () => {
    expect(checkLicence('CC-BY-4.0')).toEqual({ ok: true, deprecated: false });
    expect(checkLicence('CC0-1.0 OR MIT')).toEqual({ ok: true, deprecated: false });
    expect(checkLicence('GPL-2.0')).toEqual({ ok: true, deprecated: true });
    expect(checkLicence('cc by 4.0')).toEqual({ ok: false, suggestion: 'CC-BY-4.0' });
    expect(checkLicence('public domain')).toEqual({ ok: false, suggestion: undefined });
  });
});

describe('manifest paths', () => {
  it.each([
    ['images/a.ome.tiff', 'ok'],
    ['plate.zarr/.zattrs', 'ok'],
    ['plate.zarr/0/0/0/.zarray', 'ok'],
    ['../escape', 'PATH_TRAVERSAL'],
    ['a/./b', 'PATH_TRAVERSAL'],
    ['/etc/passwd', 'PATH_ABSOLUTE'],
    ['C:/data/x.tif', 'PATH_ABSOLUTE'],
    ['a\\b.tif', 'PATH_BACKSLASH'],
    ['a//b.tif', 'PATH_EMPTY_SEGMENT'],
    ['a/b/', 'PATH_EMPTY_SEGMENT'],
    ['a\nb', 'PATH_CONTROL_CHARACTER'],
    ['plate 1/well A01.tif', 'ok'],
    ['Zoë_notes.csv', 'ok'],
    ['顕微鏡/細胞 1.tif', 'ok'],
    ["it's $(x) & `y` ; #1 [a] 50%+.txt", 'ok'],
    ['Zoe\u0308_notes.csv', 'PATH_NOT_NFC'],
    [' well.tif', 'PATH_SPACE_EDGE'],
    ['plate 1 /a.tif', 'PATH_SPACE_EDGE'],
    ['a\u00a0/b.tif', 'PATH_SPACE_EDGE'],
    ['notes.', 'PATH_TRAILING_DOT'],
    ['ab:c.tif', 'PATH_CHARACTER'],
    ['what?.tif', 'PATH_CHARACTER'],
    ['a<b>.tif', 'PATH_CHARACTER'],
    ['say "hi".txt', 'PATH_CHARACTER'],
    ['a|b', 'PATH_CHARACTER'],
    ['*.tif', 'PATH_CHARACTER'],
    ['a\ud800.tif', 'PATH_CHARACTER'],
    ['CON', 'PATH_RESERVED_NAME'],
    ['data/nul.txt', 'PATH_RESERVED_NAME'],
    ['com1.tar.gz', 'PATH_RESERVED_NAME'],
    ['LPT9', 'PATH_RESERVED_NAME'],
    ['console.txt', 'ok'],
    ['com10.txt', 'ok'],
    ['a\u0085b', 'PATH_CONTROL_CHARACTER'],
    ['a\u202egnp.exe', 'PATH_CONTROL_CHARACTER'],
    ['', 'PATH_EMPTY'],
    ['x'.repeat(1025), 'PATH_TOO_LONG'],
    ['é'.repeat(513), 'PATH_TOO_LONG'],
    ['a/' + 'x'.repeat(256), 'PATH_NAME_TOO_LONG'],
  ])('%j -> %s', (path, expected) => {
    const verdict = checkObjectPath(path);
    expect(verdict.ok ? 'ok' : verdict.code).toBe(expected);
  });

  it.each([
    [['Image.tif', 'image.tif'], 'PATH_CASE_COLLISION', "'image.tif' and 'Image.tif' (item 1)"],
    [['Zoë.csv', 'Zoe\u0308.csv'], 'PATH_CASE_COLLISION', "'Zoë.csv' (item 1)"],
    [['ΟΔΟΣ/a.tif', 'οδος/a.tif'], 'PATH_CASE_COLLISION', "'ΟΔΟΣ/a.tif' (item 1)"],
    [['a.tif', 'a.tif'], 'PATH_DUPLICATE', 'listed twice (also item 1)'],
    [['Plate', 'plate/a.tif'], 'PATH_FILE_FOLDER_COLLISION', "where 'Plate' (item 1) is a file"],
    [['plate/a.tif', 'PLATE'], 'PATH_FILE_FOLDER_COLLISION', "but 'plate/a.tif' (item 1) needs a folder"],
  ])('%j collide: %s', (paths, code, text) => {
    const found = findPathCollisions(paths);
    expect(found).toMatchObject([{ index: 1, earlier: 0, code }]);
    expect(found[0].message).toContain(text);
  });

  it('paths that differ otherwise do not collide', () => {
    expect(
      findPathCollisions([
        'a/b.tif',
        'a/c.tif',
        'ab/c.tif',
        'a.b/c',
        'Zoë.csv',
        'Zoe.csv',
        'Straße.tif',
        'Strasse.tif',
      ]),
    ).toEqual([]);
  });
});
