// A storage prefix belongs to exactly one record: a submission may not take a released entry's prefix, another
// submission's, or one inside or around either; harvested copies keep partners/ to themselves.
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { formatAccession } from '../../catalog/accession.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { formatProblem } from '../../catalog/problems.ts';

const validSubmission = new URL('./fixtures/submissions/valid/minimal-confocal/', import.meta.url).pathname;
const released = formatAccession(1);
let root: string;

async function submit(name: string, prefix: string): Promise<void> {
  const folder = join(root, 'submissions', name);
  await cp(validSubmission, folder, { recursive: true });
  const manifest = join(folder, 'manifest.json');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace(
      '"prefix": "submissions/minimal-confocal/"',
      `"prefix": ${JSON.stringify(prefix)}`,
    ),
  );
}

async function harvested(file: string, prefix: string): Promise<void> {
  const record = {
    schemaVersion: 1,
    id: file,
    origin: {
      partner: 'peer',
      identifier: `oai:peer.example.org:${file}`,
      datestamp: '2025-01-02T03:04:05Z',
      metadataFormat: 'bic_full',
      harvestedAt: '2025-01-03T00:00:00Z',
    },
    study: { title: 'A study harvested from another instance' },
    manifest: {
      schemaVersion: 1,
      location: { mirror: 'public', prefix },
      files: [{ path: 'a.tif', size: 3, sha256: 'a'.repeat(64), format: 'TIFF', role: 'image' }],
    },
  };
  await mkdir(join(root, 'harvested', 'peer'), { recursive: true });
  await writeFile(join(root, 'harvested', 'peer', `${file}.json`), JSON.stringify(record, null, 2) + '\n');
}

const errorsOf = async (only?: string[]) =>
  (await checkCatalogue(root, { today: '2026-06-01', only })).problems
    .filter((p) => p.severity === 'error')
    .map(formatProblem);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-prefixes-'));
  await submit('first', 'studies/first/');
  await mintAccessions(root, { today: '2026-01-02' });
});

describe('a prefix belongs to exactly one record', () => {
  it(
    "a submission that takes a released entry's prefix gets one line naming the entry, " +
      'in the pull-request check too',
    async () => {
      await submit('copycat', 'studies/first/');
      const line = new RegExp(
        `^submissions/copycat/manifest.json:3:36 #/location/prefix PREFIX_TAKEN the ` +
          `prefix 'studies/first/' is also the prefix of entries/${released}; a prefix ` +
          `belongs to exactly one record Fix: give the submission a prefix of its own .* ` +
          `e.g. submissions/copycat/`,
      );
      expect(await errorsOf([join(root, 'submissions', 'copycat')])).toEqual([expect.stringMatching(line)]);
      // The whole-catalogue check says it of both records, each naming the other.
      expect(await errorsOf()).toEqual([
        expect.stringMatching(
          new RegExp(
            `^entries/${released}/manifest.json:3:36 #/location/prefix PREFIX_TAKEN .* the ` +
              `prefix of the submission submissions/copycat;`,
          ),
        ),
        expect.stringMatching(line),
      ]);
    },
  );

  it('one prefix inside another, either way round, is a clash', async () => {
    await submit('inside', 'studies/first/raw/');
    expect(await errorsOf([join(root, 'submissions', 'inside')])).toEqual([
      expect.stringMatching(
        new RegExp(
          `^submissions/inside/manifest.json:3:36 #/location/prefix PREFIX_TAKEN the ` +
            `prefix 'studies/first/raw/' is inside 'studies/first/', the prefix of ` +
            `entries/${released};`,
        ),
      ),
    ]);
    await submit('around', 'studies/');
    expect(await errorsOf([join(root, 'submissions', 'around')])).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^submissions\/around\/manifest.json:3:36 #\/location\/prefix PREFIX_TAKEN the ` +
            String.raw`prefix 'studies\/' contains 'studies\/first\/', the prefix of `,
        ),
      ),
    ]);
  });

  it('two submissions with one prefix: each names the other', async () => {
    await submit('one', 'studies/shared/');
    await submit('two', 'studies/shared/');
    expect(await errorsOf([join(root, 'submissions', 'one'), join(root, 'submissions', 'two')])).toEqual([
      expect.stringMatching(
        /^submissions\/one\/manifest.json:3:36 #\/location\/prefix PREFIX_TAKEN .* the submission submissions\/two;/,
      ),
      expect.stringMatching(
        /^submissions\/two\/manifest.json:3:36 #\/location\/prefix PREFIX_TAKEN .* the submission submissions\/one;/,
      ),
    ]);
    // Only one of them changed: it is reported against the other, which is not.
    expect(await errorsOf([join(root, 'submissions', 'two')])).toEqual([
      expect.stringMatching(/^submissions\/two\/.* PREFIX_TAKEN .* submissions\/one;/),
    ]);
  });

  it('letters are compared without case; a common start that is not a whole folder is no clash', async () => {
    await submit('shouting', 'Studies/First/');
    expect(await errorsOf([join(root, 'submissions', 'shouting')])).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`PREFIX_TAKEN the prefix 'Studies\/First\/' is also the prefix of ` +
            String.raw`entries\/BIC\d+ \(letters are compared without case\)`,
        ),
      ),
    ]);
    await submit('shouting', 'studies/first-again/');
    await submit('neighbour', 'studies/firs/');
    expect(await errorsOf()).toEqual([]);
  });

  it('the mirror named in the manifest does not separate two prefixes (every mirror holds every entry)', async () => {
    await submit('elsewhere', 'studies/first/');
    const manifest = join(root, 'submissions', 'elsewhere', 'manifest.json');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace('"mirror": "local"', '"mirror": "embl"'));
    expect(await errorsOf([join(root, 'submissions', 'elsewhere')])).toEqual([expect.stringMatching(/PREFIX_TAKEN/)]);
  });
});

describe('mint', () => {
  it("refuses a submission that takes a released entry's prefix, and mints nothing", async () => {
    await submit('copycat', 'studies/first/raw/');
    await submit('honest', 'studies/honest/');
    const ledger = await readFile(join(root, 'accessions.tsv'), 'utf8');
    await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({
      code: 'PREFIX_TAKEN',
      message: expect.stringContaining(
        `submissions/copycat/manifest.json: the prefix 'studies/first/raw/' is inside ` +
          `'studies/first/', the prefix of entries/${released}`,
      ),
    });
    expect(await readFile(join(root, 'accessions.tsv'), 'utf8')).toBe(ledger);
  });
});

describe('harvested records with manifests', () => {
  it('two records of one partner with one prefix clash; partners/ is kept for their copies', async () => {
    await harvested('peer.record1', 'BIC0000015/');
    await harvested('peer.record2', 'BIC0000015/');
    await harvested('peer.record3', 'BIC0000023/');
    expect(await errorsOf([join(root, 'harvested', 'peer', 'peer.record2.json')])).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^harvested\/peer\/peer.record2.json:\d+:\d+ #\/manifest\/location\/prefix ` +
            String.raw`PREFIX_TAKEN the prefix 'partners\/peer\/BIC0000015\/' is also the prefix of ` +
            String.raw`the harvested record harvested\/peer\/peer.record1.json;`,
        ),
      ),
    ]);
    await submit('squatter', 'partners/peer/BIC0000023/');
    const squatter = await errorsOf([join(root, 'submissions', 'squatter')]);
    expect(squatter).toContainEqual(
      expect.stringMatching(/^submissions\/squatter\/manifest.json:3:36 #\/location\/prefix PREFIX_RESERVED /),
    );
  });
});
