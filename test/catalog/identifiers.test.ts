import { describe, expect, it } from 'vitest';
import { dammDigit, formatAccession, isValidAccession, accessionSerial } from '../../catalog/accession.ts';
import { isValidOrcid, orcidCheckCharacter } from '../../catalog/checks/orcid.ts';
import { isValidRor } from '../../catalog/checks/ror.ts';
import { checkLicence } from '../../catalog/checks/spdx.ts';
import { checkObjectPath } from '../../catalog/checks/paths.ts';

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
    for (const id of ['03mstc592', '02catss52', '013meh722', 'https://ror.org/052gg0110', '029chgv08']) expect(isValidRor(id), id).toBe(true);
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
    ['my image.tif', 'PATH_CHARACTER'],
    ['ünïcode.tif', 'PATH_CHARACTER'],
    ['a;rm -rf.tif', 'PATH_CHARACTER'],
    ['', 'PATH_EMPTY'],
    ['x'.repeat(1025), 'PATH_TOO_LONG'],
  ])('%j -> %s', (path, expected) => {
    const verdict = checkObjectPath(path);
    expect(verdict.ok ? 'ok' : verdict.code).toBe(expected);
  });
});
