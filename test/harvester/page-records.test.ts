// Records seen twice, alone: within a page the newest version wins; across pages the version being written is read.
import { describe, expect, it } from 'vitest';
import { createPendingRecords, newestById } from '../../harvester/page-records.ts';
import type { OaiRecord } from '../../harvester/protocol.ts';
import type { HarvestedRecord } from '../../schemas/index.ts';

const record = (identifier: string, datestamp: string, title = datestamp): OaiRecord => ({
  header: { identifier, datestamp, setSpecs: [], deleted: false },
  metadata: { name: 'title', text: title } as unknown as OaiRecord['metadata'],
});
const titleOf = (r: OaiRecord | undefined) => (r?.metadata as unknown as { text: string } | undefined)?.text;

describe('newestById', () => {
  it('keeps one record per id, the newest datestamp, in the order ids first appear', () => {
    const page = [
      record('a', '2024-01-02'),
      record('b', '2024-01-01'),
      record('a', '2024-01-01'),
      record('b', '2024-01-03'),
    ];
    const newest = newestById(page, (identifier) => `x-${identifier}`);
    expect([...newest.keys()]).toEqual(['x-a', 'x-b']);
    expect(newest.get('x-a')!.header.datestamp).toBe('2024-01-02');
    expect(newest.get('x-b')!.header.datestamp).toBe('2024-01-03');
  });

  it('keeps the later of two versions with the same instant, day and second granularity alike', () => {
    const newest = newestById(
      [record('a', '2024-01-02T00:00:00Z', 'first'), record('a', '2024-01-02', 'second')],
      (i) => i,
    );
    expect(titleOf(newest.get('a'))).toBe('second');
  });
});

describe('createPendingRecords', () => {
  const harvested = (title: string) => ({ study: { title } }) as unknown as HarvestedRecord;

  it('gives the newest record handed for an id until its page is in place', () => {
    const pending = createPendingRecords();
    const [older, newer] = [harvested('older'), harvested('newer')];
    pending.add('a', older);
    pending.add('a', newer);
    // The older page lands first: the newer version, still being written, is kept.
    pending.settle([['a', older]]);
    expect(pending.get('a')).toBe(newer);
    pending.settle([['a', newer]]);
    expect(pending.get('a')).toBeUndefined();
    expect(pending.size).toBe(0);
  });
});
