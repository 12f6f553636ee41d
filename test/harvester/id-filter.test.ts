// The filter that spares the harvest a stat per record: "no" must be certain (a stored record is never overlooked,
// or an older version would overwrite it), and "maybe" rare enough to be worth it.
import { describe, expect, it } from 'vitest';
import { harvestedId } from '../../harvester/crosswalks/index.ts';
import { createIdFilter } from '../../harvester/id-filter.ts';

describe('createIdFilter', () => {
  it('answers maybe for every id added (no false "no"), at any filter size', () => {
    for (const bits of [5, 12, 25]) {
      const filter = createIdFilter(bits);
      const ids = Array.from({ length: 20_000 }, (_, i) => harvestedId('partner', `oai:x:${i}`));
      for (const id of ids) filter.add(id);
      expect(ids.every((id) => filter.mayHave(id))).toBe(true);
      expect(filter.size).toBe(ids.length);
    }
  });

  it('answers no for nearly every id not added', () => {
    const filter = createIdFilter();
    for (let i = 0; i < 100_000; i++) filter.add(harvestedId('partner', `oai:x:${i}`));
    let wrong = 0;
    for (let i = 100_000; i < 200_000; i++) if (filter.mayHave(harvestedId('partner', `oai:x:${i}`))) wrong++;
    // Three positions in 2^25 bits with 100,000 ids: about 0.00007% expected; 0.1% would mean a broken hash.
    expect(wrong).toBeLessThan(100);
  });

  it('takes ids that are not harvested ids (short, other characters) without failing', () => {
    const filter = createIdFilter();
    for (const id of ['', 'a', 'README', 'x.ÄÖÜ-_~', 'bench.222bhv5lbwajh4z5']) {
      filter.add(id);
      expect(filter.mayHave(id)).toBe(true);
    }
  });

  it('refuses a size it cannot address', () => {
    expect(() => createIdFilter(26)).toThrow(/from 5 to 25/);
    expect(() => createIdFilter(4)).toThrow(RangeError);
    expect(() => createIdFilter(12.5)).toThrow(RangeError);
  });
});
