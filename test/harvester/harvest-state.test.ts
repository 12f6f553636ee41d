// The steps that change a harvest state, alone: a list started or resumed, pages counted, a restart, a completion.
import { describe, expect, it } from 'vitest';
import {
  addCounts,
  completeList,
  countPage,
  emptyState,
  listRequest,
  renderState,
  restartList,
  startList,
  trackDatestamps,
  type HarvestState,
  type ListPosition,
} from '../../harvester/harvest-state.ts';
import type { OaiRecord } from '../../harvester/protocol.ts';

const target = { partner: 'x', baseUrl: 'https://repo.example.org/oai', metadataPrefix: 'oai_dc' };
const clock = () => new Date('2026-01-02T03:04:05.678Z');
const header = (datestamp: string, deleted = false): OaiRecord => ({
  header: { identifier: `oai:x:${datestamp}`, datestamp, setSpecs: [], deleted },
});
const underWay = (extra: Partial<ListPosition> = {}): ListPosition => ({
  pages: 2,
  records: 20,
  deleted: 1,
  quarantined: 0,
  ordered: true,
  restarts: 0,
  startedAt: '2026-01-01T00:00:00Z',
  token: 't3',
  ...extra,
});

describe('startList', () => {
  it('starts a new list from the high water mark, at the repository granularity', () => {
    const state: HarvestState = { ...emptyState(target), highWater: '2024-05-06T07:08:09Z' };
    expect(startList(state, {}, 'YYYY-MM-DD', clock)).toBe(false);
    expect(state.current).toEqual({
      from: '2024-05-06',
      until: undefined,
      pages: 0,
      records: 0,
      deleted: 0,
      quarantined: 0,
      ordered: true,
      restarts: 0,
      startedAt: '2026-01-02T03:04:05Z',
    });
  });

  it('resumes a list under way, unless asked for a full harvest or a window of its own', () => {
    const state: HarvestState = { ...emptyState(target), current: underWay() };
    expect(startList(state, {}, 'YYYY-MM-DD', clock)).toBe(true);
    expect(state.current!.token).toBe('t3');
    expect(startList(state, { full: true }, 'YYYY-MM-DD', clock)).toBe(false);
    expect(state.current!.token).toBeUndefined();
    state.current = underWay();
    expect(startList(state, { until: '2025-01-01T10:00:00Z' }, 'YYYY-MM-DDThh:mm:ssZ', clock)).toBe(false);
    expect(state.current).toMatchObject({ until: '2025-01-01T10:00:00Z', pages: 0 });
  });
});

describe('counting pages', () => {
  it('adds a page to a position and a summary alike', () => {
    const page = countPage({
      records: [header('2024-01-01'), header('2024-01-02', true)],
      quarantined: [{ index: 2, code: 'XML_MALFORMED', message: '', raw: '' }],
    });
    expect(page).toEqual({ pages: 1, records: 2, deleted: 1, quarantined: 1 });
    const counts = { pages: 3, records: 30, deleted: 0, quarantined: 1, written: 7 };
    addCounts(counts, page);
    expect(counts).toEqual({ pages: 4, records: 32, deleted: 1, quarantined: 2, written: 7 });
  });

  it('follows the newest datestamp and notices a list out of order, across pages', () => {
    const position = underWay();
    trackDatestamps(position, [header('2024-01-01'), header('2024-01-02T12:00:00Z')]);
    expect(position).toMatchObject({
      ordered: true,
      maxDatestamp: '2024-01-02T12:00:00Z',
      lastDatestamp: '2024-01-02T12:00:00Z',
    });
    trackDatestamps(position, [header('2024-01-02')]);
    expect(position).toMatchObject({
      ordered: false,
      maxDatestamp: '2024-01-02T12:00:00Z',
      lastDatestamp: '2024-01-02T00:00:00Z',
    });
  });
});

describe('restartList', () => {
  it('restarts an ordered list at its newest datestamp, and any other from its start', () => {
    const ordered = underWay({
      maxDatestamp: '2024-01-02T12:00:00Z',
      lastDatestamp: '2024-01-02T12:00:00Z',
      cursor: 20,
    });
    restartList(ordered, 'YYYY-MM-DD');
    expect(ordered).toMatchObject({
      from: '2024-01-02',
      token: undefined,
      cursor: undefined,
      lastDatestamp: undefined,
      restarts: 1,
    });
    const unordered = underWay({ maxDatestamp: '2024-01-02T12:00:00Z', ordered: false });
    restartList(unordered, 'YYYY-MM-DD');
    expect(unordered.from).toBeUndefined();
  });
});

describe('completeList', () => {
  it('drops the list, raises the high water mark and keeps the file in the same key order', () => {
    const state: HarvestState = {
      ...emptyState(target),
      highWater: '2024-01-01',
      current: underWay({ maxDatestamp: '2024-01-02T12:00:00Z' }),
    };
    const done = completeList(state, '2026-01-02T03:04:05Z');
    expect(done).toEqual({
      ...emptyState(target),
      highWater: '2024-01-02T12:00:00Z',
      lastCompletedAt: '2026-01-02T03:04:05Z',
    });
    expect(Object.keys(JSON.parse(renderState(done)))).toEqual([
      'schemaVersion',
      'partner',
      'baseUrl',
      'metadataPrefix',
      'set',
      'highWater',
      'lastCompletedAt',
    ]);
  });

  it('never lowers the high water mark (day granularity compared as its first second)', () => {
    const state: HarvestState = {
      ...emptyState(target),
      highWater: '2024-03-01',
      current: underWay({ maxDatestamp: '2024-02-01T00:00:00Z' }),
    };
    expect(completeList(state, '2026-01-02T03:04:05Z').highWater).toBe('2024-03-01');
  });
});

describe('listRequest', () => {
  it('sends the token alone (OAI-PMH §3.5), and the format, window and set at the start of a list', () => {
    expect(listRequest(underWay(), { ...target, set: 's' })).toEqual({ verb: 'ListRecords', resumptionToken: 't3' });
    expect(listRequest(underWay({ token: undefined, from: '2024-01-01' }), { ...target, set: 's' })).toEqual({
      verb: 'ListRecords',
      metadataPrefix: 'oai_dc',
      from: '2024-01-01',
      set: 's',
    });
  });
});
