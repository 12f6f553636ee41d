// The "Highly used" rule (docs/curation.md): the top tenth of each imaging method by unique requests over the last
// 24 months, rounded up, ties at the edge included, never below the minimum; and the reference datasets' feed.
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CurationLabel } from '../../catalog/curation.ts';
import { highlyUsedEntries } from '../../site/lib/labels.ts';
import type { PublishedRecord } from '../../site/lib/published.ts';
import { renderReferenceFeed } from '../../site/lib/reference-feed.ts';

const entry = (accession: string, method: string) =>
  ({
    kind: 'entry',
    accession,
    status: 'live',
    data: { study: { title: accession }, components: [{ imagingMethod: { label: method } }] },
    summary: { accession, title: accession, status: 'live', version: 1, origin: null },
  }) as unknown as PublishedRecord;

describe('highly used', () => {
  it('labels the top tenth of each imaging method, with at least the minimum of downloads', () => {
    const confocal = Array.from({ length: 20 }, (_, i) => entry(`C${String(i).padStart(3, '0')}`, 'confocal'));
    const cryo = [entry('E001', 'cryo-EM'), entry('E002', 'cryo-EM')];
    const counts = Object.fromEntries(
      [...confocal, ...cryo].map((r, i) => [
        r.accession,
        // confocal: 0, 5, 10, ... 95 downloads; cryo-EM: 100 (in 2025-01, inside the window) and 9.
        {
          [r.accession === 'E001' ? '2025-01' : '2026-11']: { regular: [0, 0, 0, r.accession === 'E002' ? 9 : i * 5] },
        },
      ]),
    ) as Parameters<typeof highlyUsedEntries>[1];
    counts.E001 = { '2025-01': { regular: [0, 0, 0, 100] }, '2023-06': { regular: [0, 0, 0, 1000] } };
    const labelled = highlyUsedEntries([...confocal, ...cryo], counts, '2026-12-07');
    // 20 confocal entries: the top 2 (95 and 90). Two cryo-EM entries: the top one, E001 with 100 in the window
    // (its 1,000 of 2023-06 are older than 24 months); E002 has 9, below the minimum of 10.
    expect([...labelled.keys()].sort()).toEqual(['C018', 'C019', 'E001']);
    expect(labelled.get('E001')).toEqual({ groups: ['cryo-EM'], requests: 100 });
  });

  it('labels nothing where nobody downloads', () => {
    expect(highlyUsedEntries([entry('C001', 'confocal')], {}, '2026-12-07').size).toBe(0);
  });
});

describe('reference feed', () => {
  it('has one Atom entry per curation event, newest first, with reviewers and criteria', () => {
    const label: CurationLabel = {
      accession: 'BIC0000013',
      reference: false,
      history: [
        {
          date: '2026-01-10',
          label: 'reference',
          version: 1,
          reviewers: [{ name: 'Josiah Carberry', orcid: '0000-0002-1825-0097' }],
          criteria: ['open-licence'],
        },
        {
          date: '2026-06-01',
          label: 'revoked',
          version: 2,
          reviewers: [{ name: 'A <b>', orcid: '0000-0002-1825-0097' }],
          criteria: [],
          note: 'Withdrawn.',
        },
      ],
    };
    const xml = renderReferenceFeed(
      [label],
      new Map([['BIC0000013', 'Proteasome & friends']]),
      [{ id: 'open-licence', title: 'Released under an open licence', description: '', required: true }],
      { name: 'Test', baseUrl: 'https://x.org/' },
    );
    const feed = new XMLParser({ ignoreAttributes: false }).parse(xml).feed;
    expect(feed.entry.map((e: { updated: string }) => e.updated)).toEqual([
      '2026-06-01T00:00:00Z',
      '2026-01-10T00:00:00Z',
    ]);
    expect(feed.entry[0].title).toBe('No longer a reference dataset: BIC0000013 Proteasome & friends');
    expect(feed.entry[0].author.name).toBe('A <b>');
    expect(feed.entry[1].summary['#text']).toContain('Meets: Released under an open licence.');
  });
});
