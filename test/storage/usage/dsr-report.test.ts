// The Dataset Report in the JSON of the Research Data SUSHI API (COUNTER CoP for Research Data, "Metric Types",
// "Zero Usage"): header, items with their identifiers, one performance per month, zero instances left out.
import { describe, expect, it } from 'vitest';
import { monthPeriod, renderDsr } from '../../../storage/usage/dsr-report.ts';

const datasets = [
  { accession: 'BIC0000013', title: 'A', doi: '10.1234/abc', yop: '2023', uri: 'https://x.org/entries/BIC0000013/' },
  { accession: 'BIC0000021', title: 'B', uri: 'https://x.org/entries/BIC0000021/' },
  { accession: 'BIC0000037', title: 'C', uri: 'https://x.org/entries/BIC0000037/' },
];

describe('renderDsr', () => {
  it('reports each dataset with usage, by month and access method, without zero counts', () => {
    const report = renderDsr(
      datasets,
      {
        BIC0000013: { '2026-11': { regular: [7, 3, 5, 3], machine: [1, 1, 1, 1] } },
        BIC0000021: { '2026-02': { regular: [1, 1, 0, 0] } },
      },
      { platform: 'Test Catalogue', created: '2026-12-07' },
    );
    expect(report['report-header']).toMatchObject({
      'report-id': 'DSR',
      release: 'rd1',
      created: '2026-12-07',
      'reporting-period': { 'begin-date': '2026-02-01', 'end-date': '2026-11-30' },
    });
    expect(report['report-datasets'].map((d) => d['dataset-id'])).toEqual([
      [
        { type: 'doi', value: '10.1234/abc' },
        { type: 'proprietary', value: 'BIC0000013' },
      ],
      [{ type: 'proprietary', value: 'BIC0000021' }],
    ]);
    const [first, second] = report['report-datasets'];
    expect(first.yop).toBe('2023');
    expect(second.yop).toBe('0001');
    expect(first.performance).toEqual([
      {
        period: { 'begin-date': '2026-11-01', 'end-date': '2026-11-30' },
        instance: [
          { count: 1, 'access-method': 'machine', 'metric-type': 'total-dataset-investigations' },
          { count: 1, 'access-method': 'machine', 'metric-type': 'unique-dataset-investigations' },
          { count: 1, 'access-method': 'machine', 'metric-type': 'total-dataset-requests' },
          { count: 1, 'access-method': 'machine', 'metric-type': 'unique-dataset-requests' },
          { count: 7, 'access-method': 'regular', 'metric-type': 'total-dataset-investigations' },
          { count: 3, 'access-method': 'regular', 'metric-type': 'unique-dataset-investigations' },
          { count: 5, 'access-method': 'regular', 'metric-type': 'total-dataset-requests' },
          { count: 3, 'access-method': 'regular', 'metric-type': 'unique-dataset-requests' },
        ],
      },
    ]);
    expect(second.performance[0].instance.map((i) => i['metric-type'])).toEqual([
      'total-dataset-investigations',
      'unique-dataset-investigations',
    ]);
  });

  it('knows the length of each month', () => {
    expect(monthPeriod('2024-02')).toEqual({ 'begin-date': '2024-02-01', 'end-date': '2024-02-29' });
    expect(monthPeriod('2026-12')['end-date']).toBe('2026-12-31');
  });
});
