// Curation records (curation/<ACCESSION>.yaml) as `catalogue check` reads them: a valid record gives the
// "Reference dataset" label with its history; each broken record gives the problem named after the rule it breaks,
// with its file, line and pointer.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { readCuration } from '../../catalog/curation.ts';
import { formatProblem } from '../../catalog/problems.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;
const today = '2026-12-07';
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'curation-'));
  await cp(archive, root, { recursive: true });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const record = (fields: Record<string, string> = {}) => `accession: ${fields.accession ?? 'BIC0000021'}
history:
  - date: ${fields.date ?? '2026-10-01'}
    label: ${fields.label ?? 'reference'}
    version: ${fields.version ?? '1'}
    reviewers:
      - name: Josiah Carberry
        orcid: ${fields.orcid ?? '0000-0002-1825-0097'}
    criteria: [${fields.criteria ?? 'interpretable, documented, general-interest, open-licence'}]
${fields.extra ?? ''}`;

const known = new Map([
  ['BIC0000013', { status: 'live', version: 1 }],
  ['BIC0000021', { status: 'live', version: 1 }],
]);

describe('curation records', () => {
  it('the demo catalogue, with its reference dataset, checks clean', async () => {
    const result = await checkCatalogue(archive, { today });
    expect(result.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    const { labels, criteria } = readCuration(archive, known, today);
    expect(criteria.map((c) => c.id)).toEqual(['interpretable', 'documented', 'general-interest', 'open-licence']);
    expect(labels.get('BIC0000013')).toMatchObject({ reference: true, history: [{ date: '2026-11-20' }] });
  });

  it('keeps the history: a later revoked event ends the label, the earlier event stays', async () => {
    await writeFile(
      join(root, 'curation', 'BIC0000021.yaml'),
      record() +
        `  - date: 2026-11-01
    label: revoked
    version: 1
    reviewers: [{ name: Josiah Carberry, orcid: 0000-0002-1825-0097 }]
    criteria: []
    note: The entry was withdrawn by its authors.
`,
    );
    const { labels, problems } = readCuration(root, known, today);
    expect(problems).toEqual([]);
    expect(labels.get('BIC0000021')).toMatchObject({
      reference: false,
      history: [{ label: 'reference' }, { label: 'revoked' }],
    });
  });

  it('keeps the label when the entry gets a new version: the event names the version that was reviewed', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'curation-version-'));
    await cp(join(archive, 'curation', 'criteria.yaml'), join(folder, 'curation', 'criteria.yaml'));
    await writeFile(join(folder, 'curation', 'BIC0000021.yaml'), record({ version: '1' }));
    const atVersion2 = readCuration(folder, new Map([['BIC0000021', { status: 'live', version: 2 }]]), today);
    // Withdrawn (a tombstone whose last version was 2), the record and its history stay.
    const withdrawn = readCuration(folder, new Map([['BIC0000021', { status: 'withdrawn', version: 2 }]]), today);
    await rm(folder, { recursive: true });
    expect(atVersion2.problems.map(formatProblem)).toEqual([]);
    expect(atVersion2.labels.get('BIC0000021')).toMatchObject({
      reference: true,
      history: [{ label: 'reference', version: 1 }],
    });
    expect(withdrawn.problems.map(formatProblem)).toEqual([]);
    expect(withdrawn.labels.get('BIC0000021')?.history).toEqual(atVersion2.labels.get('BIC0000021')?.history);
  });

  const invalid: [string, string, Record<string, string>, string][] = [
    ['CURATION_FILE_NAME', 'BIC0000045.yaml', {}, '/accession'],
    ['CURATION_UNKNOWN_ENTRY', 'BIC0000999.yaml', { accession: 'BIC0000999' }, '/accession'],
    ['CURATION_DATE_FUTURE', 'BIC0000021.yaml', { date: '2027-01-01' }, '/history/0/date'],
    [
      'CURATION_HISTORY_ORDER',
      'BIC0000021.yaml',
      {
        extra: `  - date: 2026-09-01
    label: revoked
    version: 1
    reviewers: [{ name: Josiah Carberry, orcid: 0000-0002-1825-0097 }]
    criteria: []
    note: Listed after the review of 2026-10-01 but dated before it.
`,
      },
      '/history/1/date',
    ],
    ['CURATION_VERSION', 'BIC0000021.yaml', { version: '3' }, '/history/0/version'],
    ['ORCID_CHECKSUM', 'BIC0000021.yaml', { orcid: '0000-0002-1825-0098' }, '/history/0/reviewers/0/orcid'],
    [
      'CURATION_CRITERION_UNKNOWN',
      'BIC0000021.yaml',
      { criteria: 'interpretable, documented, general-interest, open-licence, pretty' },
      '/history/0/criteria/4',
    ],
    ['CURATION_CRITERION_MISSING', 'BIC0000021.yaml', { criteria: 'interpretable' }, '/history/0/criteria'],
    ['CURATION_NOTE_MISSING', 'BIC0000021.yaml', { label: 'revoked' }, '/history/0'],
    ['FIELD_UNKNOWN', 'BIC0000021.yaml', { extra: 'curator: someone\n' }, '/curator'],
  ];
  for (const [code, name, fields, pointer] of invalid)
    it(`${code}: one problem line naming the file, line and field`, async () => {
      const folder = await mkdtemp(join(tmpdir(), 'curation-case-'));
      await cp(join(archive, 'curation', 'criteria.yaml'), join(folder, 'curation', 'criteria.yaml'));
      await writeFile(join(folder, 'curation', name), record(fields));
      const { problems, labels } = readCuration(folder, known, today);
      await rm(folder, { recursive: true });
      expect(labels.size).toBe(0);
      const hit = problems.find((p) => p.code === code);
      expect(hit, problems.map(formatProblem).join('\n')).toBeDefined();
      expect(hit!.file).toBe(`curation/${name}`);
      expect(hit!.line).toBeGreaterThanOrEqual(1);
      expect(hit!.pointer).toBe(pointer);
    });
});
