// Record datestamps as the provider states them (OAI-PMH 2.0 §3.3.1: UTC, here at second granularity).
import { describe, expect, it } from 'vitest';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { datestampOf } from '../../harvester/provider-formats.ts';

const harvestedAt = (at: string) =>
  ({ kind: 'harvested', data: { origin: { harvestedAt: at } } }) as unknown as CatalogueRecord;

describe('datestampOf', () => {
  it('converts a harvest time with an offset to UTC rather than relabelling it', () => {
    expect(datestampOf(harvestedAt('2025-03-01T10:15:30+02:00'))).toBe('2025-03-01T08:15:30Z');
    expect(datestampOf(harvestedAt('2025-03-01T23:30:00-01:00'))).toBe('2025-03-02T00:30:00Z');
  });

  it('drops fractions of a second of a UTC harvest time', () => {
    expect(datestampOf(harvestedAt('2025-03-01T10:15:30.987Z'))).toBe('2025-03-01T10:15:30Z');
  });
});
