// The life of an entry: submitted, minted, versioned, withdrawn; and the invariants that keep accessions unique.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { formatAccession } from '../../catalog/accession.ts';
import { loadPublishedCatalogue, findRecord } from '../../catalog/load.ts';
import { readLedger } from '../../catalog/ledger.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';

const validSubmission = new URL('./fixtures/submissions/valid/minimal-confocal/', import.meta.url).pathname;
let root: string;

async function submit(name: string, edit?: (yaml: string) => string): Promise<void> {
  const folder = join(root, 'submissions', name);
  await cp(validSubmission, folder, { recursive: true });
  // A prefix belongs to exactly one record: each copy gets its own.
  const manifest = join(folder, 'manifest.json');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace('submissions/minimal-confocal/', `submissions/${name}/`),
  );
  if (edit) await writeFile(join(folder, 'entry.yaml'), edit(await readFile(join(folder, 'entry.yaml'), 'utf8')));
}

const errorsOf = async (today = '2026-06-01') =>
  (await checkCatalogue(root, { today })).problems.filter((p) => p.severity === 'error').map(formatProblem);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-life-'));
});

describe('minting', () => {
  it('gives each merged submission the next accession, moves it to entries/ and records it in the ledger', async () => {
    await submit('first');
    await submit('second', (y) => y.replace('under starvation', 'under hypoxia'));
    const result = await mintAccessions(root, { today: '2026-01-02' });
    expect(result.minted).toEqual([
      { accession: formatAccession(1), from: 'submissions/first' },
      { accession: formatAccession(2), from: 'submissions/second' },
    ]);
    expect(existsSync(join(root, 'submissions', 'first'))).toBe(false);
    const entry = await readFile(join(root, 'entries', formatAccession(1), 'entry.yaml'), 'utf8');
    // The submitter's comment and layout survive; the catalogue's fields go right after schemaVersion.
    expect(entry).toMatch(
      /^# A small but complete submission.*\nschemaVersion: 1\naccession: BIC0000013\nversion: 1\n/,
    );
    expect(entry).toContain('keywords: [mitochondria, starvation, confocal]');
    expect(existsSync(join(root, 'entries', formatAccession(1), 'versions', '1.yaml'))).toBe(true);
    expect(existsSync(join(root, 'entries', formatAccession(1), 'versions', '1.manifest.json'))).toBe(true);
    expect((await readLedger(root)).lines.map((l) => l.accession)).toEqual([formatAccession(1), formatAccession(2)]);
    expect(await errorsOf()).toEqual([]);
  });

  it('never reuses an accession, even when its entry folder is gone', async () => {
    await submit('first');
    await submit('second');
    await mintAccessions(root, { today: '2026-01-02' });
    await rm(join(root, 'entries', formatAccession(2)), { recursive: true });
    await submit('third');
    const result = await mintAccessions(root, { today: '2026-01-03' });
    expect(result.minted.map((m) => m.accession)).toEqual([formatAccession(3)]);
  });

  it('mints nothing, and changes nothing, when a submission is invalid', async () => {
    await submit('good');
    await submit('bad', (y) => y.replace('0000-0002-1825-0097', '0000-0002-1825-0098'));
    await expect(mintAccessions(root, { today: '2026-01-02' })).rejects.toThrow(/submissions\/bad has 1 problem/);
    expect(existsSync(join(root, 'submissions', 'good'))).toBe(true);
    expect((await readLedger(root)).lines).toEqual([]);
  });

  it('gives a changed released entry a new version, keeping the old one addressable', async () => {
    await submit('first');
    await mintAccessions(root, { today: '2026-01-02' });
    const path = join(root, 'entries', formatAccession(1), 'entry.yaml');
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace('keywords: [mitochondria', 'keywords: [Parkin, mitochondria'),
    );
    const unchanged = await mintAccessions(root, { today: '2026-01-03' });
    expect(unchanged.versioned).toEqual([{ accession: formatAccession(1), version: 2 }]);
    const again = await mintAccessions(root, { today: '2026-01-04', summary: 'nothing' });
    expect(again.versioned).toEqual([]);
    const entry = await readFile(path, 'utf8');
    expect(entry).toContain('version: 2');
    expect(entry).toContain('summary: Metadata updated');
    expect(await readFile(join(root, 'entries', formatAccession(1), 'versions', '1.yaml'), 'utf8')).not.toContain(
      'Parkin',
    );
    expect(await readFile(join(root, 'entries', formatAccession(1), 'versions', '2.yaml'), 'utf8')).toContain('Parkin');
    expect(await errorsOf()).toEqual([]);
  });
});

describe('withdrawal and embargo', () => {
  it('turns a withdrawn entry into a tombstone whose accession still resolves', async () => {
    await submit('first');
    await submit('second', (y) => y.replace('under starvation', 'under hypoxia'));
    await mintAccessions(root, { today: '2026-01-02' });
    await withdrawEntry(root, formatAccession(1), {
      reason: 'Duplicate of a later, corrected submission.',
      date: '2026-02-01',
      replacedBy: formatAccession(2),
    });
    expect(await errorsOf()).toEqual([]);
    const found = await findRecord(root, formatAccession(1), '2026-06-01');
    expect(found?.record?.status).toBe('withdrawn');
    expect(found?.record?.kind).toBe('tombstone');
    const published = await loadPublishedCatalogue(root, { today: '2026-06-01' });
    expect(published.records.map((r) => [r.summary.accession, r.status])).toEqual([
      [formatAccession(1), 'withdrawn'],
      [formatAccession(2), 'live'],
    ]);
  });

  it('keeps an entry with a future release date out of everything published until that day', async () => {
    await submit('embargoed', (y) => y.replace('releaseDate: 2024-03-15', 'releaseDate: 2027-01-01'));
    await mintAccessions(root, { today: '2026-01-02' });
    expect(await errorsOf('2026-06-01')).toEqual([]);
    const before = await loadPublishedCatalogue(root, { today: '2026-12-31' });
    expect(before.records).toEqual([]);
    expect(before.embargoed).toBe(1);
    const after = await loadPublishedCatalogue(root, { today: '2027-01-01' });
    expect(after.records.map((r) => r.status)).toEqual(['live']);
  });
});

describe('catalogue-wide invariants', () => {
  beforeEach(async () => {
    await submit('first');
    await mintAccessions(root, { today: '2026-01-02' });
  });

  it('an accession that was never minted', async () => {
    await cp(join(root, 'entries', formatAccession(1)), join(root, 'entries', formatAccession(7)), { recursive: true });
    const path = join(root, 'entries', formatAccession(7), 'entry.yaml');
    await writeFile(path, (await readFile(path, 'utf8')).replace(formatAccession(1), formatAccession(7)));
    const manifest = join(root, 'entries', formatAccession(7), 'manifest.json');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace('submissions/first/', `${formatAccession(7)}/`),
    );
    expect(await errorsOf()).toEqual([
      expect.stringMatching(new RegExp(`^entries/${formatAccession(7)}:1:1 #/accession ACCESSION_NOT_MINTED `)),
    ]);
  });

  it('an accession with a wrong check digit, or in the wrong folder', async () => {
    const path = join(root, 'entries', formatAccession(1), 'entry.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('accession: BIC0000013', 'accession: BIC0000031'));
    expect(await errorsOf()).toEqual([expect.stringMatching(/:3:1 #\/accession ACCESSION_CHECK_DIGIT /)]);
    await writeFile(path, text.replace('accession: BIC0000013', `accession: ${formatAccession(2)}`));
    expect(await errorsOf()).toEqual([expect.stringMatching(/:3:1 #\/accession ACCESSION_FOLDER_MISMATCH /)]);
  });

  it('a ledger that mints one accession twice', async () => {
    const path = join(root, 'accessions.tsv');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text + text.split('\n')[1] + '\n');
    expect(await errorsOf()).toEqual([expect.stringMatching(/^accessions.tsv:3:1 # DUPLICATE_ACCESSION /)]);
  });

  it('folders that are not where they belong', async () => {
    await mkdir(join(root, 'entries', 'my-new-study'));
    await mkdir(join(root, 'submissions', 'My Study'), { recursive: true });
    await rename(
      join(root, 'entries', formatAccession(1), 'entry.yaml'),
      join(root, 'entries', formatAccession(1), 'tombstone.yaml.bak'),
    );
    const errors = await errorsOf();
    expect(errors).toContainEqual(expect.stringMatching(/^entries\/my-new-study:1:1 # ENTRY_FOLDER_NAME /));
    expect(errors).toContainEqual(expect.stringMatching(/^submissions\/My Study:1:1 # SUBMISSION_FOLDER_NAME /));
    expect(errors).toContainEqual(expect.stringMatching(/^entries\/BIC0000013:1:1 # ENTRY_FILE_MISSING /));
  });

  it('a tombstone whose replacement does not exist', async () => {
    await withdrawEntry(root, formatAccession(1), {
      reason: 'Withdrawn at the authors request.',
      date: '2026-02-01',
      replacedBy: formatAccession(5),
    });
    expect(await errorsOf()).toEqual([
      expect.stringMatching(/tombstone.yaml:\d+:\d+ #\/withdrawn\/replacedBy REFERENCE_UNRESOLVED /),
    ]);
  });

  it('the pull-request check reads only the changed entries but still sees the invariants', async () => {
    await submit('second', (y) => y.replace('0000-0002-1825-0097', '0000-0002-1825-0098'));
    await writeFile(
      join(root, 'accessions.tsv'),
      (await readFile(join(root, 'accessions.tsv'), 'utf8')) + 'BIC0000014\t2026-01-01\tx\n',
    );
    const result = await checkCatalogue(root, {
      today: '2026-06-01',
      only: [join(root, 'submissions', 'second', 'entry.yaml')],
    });
    expect(result.checked).toBe(1);
    expect(
      result.problems
        .filter((p) => p.severity === 'error')
        .map((p) => p.code)
        .sort(),
    ).toEqual(['LEDGER_INVALID', 'ORCID_CHECKSUM']);
  });
});
