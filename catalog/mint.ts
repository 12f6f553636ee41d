// Minting, run on the main branch after a merge (`catalogue accession mint`): submissions get accessions and
// move to entries/, and released entries whose content changed get a new version. The GitHub workflow runs it
// in one concurrency group and pushes with a fast-forward only, so two merges close together are minted one
// after the other: the second run starts from the first one's ledger and can never take the same accession.
import { lstat, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Entry } from '../schemas/index.ts';
import { formatAccession, maxSerial } from './accession.ts';
import { CatalogError } from './errors.ts';
import {
  entriesDir,
  entryFolderNames,
  ledgerFile,
  listRecords,
  manifestFile,
  submissionsDir,
  versionsDir,
} from './layout.ts';
import { otherClaims, prefixProblems, readManifestPrefix, type PrefixClaim } from './prefixes.ts';
import { highestSerial, readLedger, writeLedger } from './ledger.ts';
import { countErrors } from './problems.ts';
import { inspectRecord } from './records.ts';
import { parseSource } from './source.ts';
import { readJsonFile } from './read.ts';
import { renderYaml } from './write.ts';
import { syncFolder, writeFileAtomic } from './atomic-write.ts';
import { assertNoLinks, assertRealPath } from './safe-path.ts';
import { setTopLevelFields } from './yaml-edit.ts';

export interface MintOptions {
  /** Date of the release, YYYY-MM-DD. */
  today: string;
  /** What changed, for the version history of changed entries (e.g. the pull request's title). */
  summary?: string;
}

export interface MintResult {
  minted: { accession: string; from: string }[];
  versioned: { accession: string; version: number }[];
}

/** The parts of an entry that make its content; the accession, DOI and history are the catalogue's own. */
function content(entry: Entry): Omit<Entry, 'accession' | 'version' | 'versions' | 'doi'> {
  const { accession: _a, version: _v, versions: _h, doi: _d, ...rest } = entry;
  return rest;
}

/** Whether anything, even a dangling link, is at `path` (lstat: a link is not followed). */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Writes a file of the catalogue whole, after checking that no link lies on its way (catalog/safe-path.ts). */
async function writeInside(root: string, path: string, text: string): Promise<void> {
  await assertRealPath(root, path);
  await writeFileAtomic(path, text);
}

async function readInside(root: string, path: string): Promise<string> {
  await assertRealPath(root, path);
  return readFile(path, 'utf8');
}

export async function mintAccessions(root: string, options: MintOptions): Promise<MintResult> {
  const { records, issues } = await listRecords(root);
  // A link, special file or stray file in a submission, or a link in an entry, is refused by `check`; mint writes
  // into those folders, so it refuses them too rather than write through a link.
  const unsafe = issues.find(
    (i) => i.code === 'SYMLINK_REFUSED' || i.code === 'SPECIAL_FILE' || i.path.startsWith(submissionsDir + '/'),
  );
  if (unsafe)
    throw new CatalogError(
      unsafe.code,
      `${unsafe.path}: ${unsafe.message}; run \`catalogue check\`; nothing was minted`,
    );
  await assertRealPath(root, join(root, ledgerFile));
  await assertRealPath(root, join(root, entriesDir), 'folder');
  const ledger = await readLedger(root);
  if (ledger.problems.length > 0)
    throw new CatalogError(
      'LEDGER_INVALID',
      `accessions.tsv is damaged (line ${ledger.problems[0].line}: ${ledger.problems[0].message}); nothing was minted`,
    );
  const submissions = records.filter((r) => r.kind === 'submission');

  // Never mint from an invalid submission: CI should have stopped it, but main is the last line of defence.
  for (const location of submissions) {
    await assertNoLinks(root, location.folder);
    const { problems } = inspectRecord(root, location, options.today);
    if (countErrors(problems) > 0)
      throw new CatalogError(
        'SUBMISSION_INVALID',
        `${relative(root, location.folder)} has ${countErrors(problems)} problem(s); ` +
          'run `catalogue check`; nothing was minted',
      );
  }
  const entries = records.filter((r) => r.kind === 'entry');
  for (const location of entries) await assertNoLinks(root, location.folder);
  // A prefix belongs to exactly one record (catalog/prefixes.ts): a submission that takes another's is not minted.
  const claims: PrefixClaim[] = submissions.flatMap((location) => {
    const prefix = location.manifest ? readManifestPrefix(location.manifest) : undefined;
    const record = relative(root, location.folder).split(sep).join('/');
    return prefix === undefined
      ? []
      : [
          {
            prefix,
            record,
            kind: 'submission' as const,
            file: `${record}/${manifestFile}`,
            pointer: '/location/prefix',
            inScope: true,
          },
        ];
  });
  const taken = prefixProblems(
    [
      ...claims,
      ...otherClaims(
        root,
        entryFolderNames(root),
        { entries: new Set(), submissions: new Set(submissions.map((s) => s.id)), harvested: new Set() },
        new Set(),
      ),
    ],
    () => ({}),
  )[0];
  if (taken)
    throw new CatalogError(taken.code, `${taken.file}: ${taken.message}; run \`catalogue check\`; nothing was minted`);

  let serial = highestSerial(ledger);
  if (serial + submissions.length > maxSerial)
    throw new CatalogError('ACCESSIONS_EXHAUSTED', 'the six-digit accession space is full');
  const minted = submissions.map((location) => ({ location, accession: formatAccession(++serial) }));

  // Reserve the accessions first: if anything below fails, they stay in the ledger unused and are never reused.
  await writeLedger(root, [
    ...ledger.lines,
    ...minted.map(({ location, accession }) => ({
      accession,
      minted: options.today,
      source: relative(root, location.folder),
    })),
  ]);

  for (const { location, accession } of minted) {
    const text = await readInside(root, location.file);
    const history = {
      accession,
      version: 1,
      versions: [{ version: 1, date: options.today, summary: 'Initial release' }],
    };
    const released = { ...(parseSource(location.file, text).data as Entry), ...history };
    const target = join(root, entriesDir, accession);
    if (await exists(target))
      throw new CatalogError(
        'DUPLICATE_ACCESSION',
        `${relative(root, target)} already exists; the ledger and entries/ disagree`,
      );
    await mkdir(join(root, entriesDir), { recursive: true });
    await writeInside(root, location.file, setTopLevelFields(text, history));
    await assertRealPath(root, target, 'folder');
    await rename(location.folder, target);
    await syncFolder(join(root, entriesDir));
    await syncFolder(dirname(location.folder));
    await snapshot(root, target, 1, released);
  }

  const versioned: MintResult['versioned'] = [];
  for (const location of entries) {
    const text = await readInside(root, location.file);
    const entry = parseSource(location.file, text).data as Entry;
    const version = entry.version ?? 1;
    const previousPath = join(location.folder, versionsDir, `${version}.yaml`);
    if (!(await exists(previousPath))) {
      await snapshot(root, location.folder, version, entry);
      continue;
    }
    const previous = parseSource(previousPath, await readInside(root, previousPath)).data as Entry;
    if (isDeepStrictEqual(content(previous), content(entry))) continue;
    const history = {
      version: version + 1,
      versions: [
        ...(entry.versions ?? []),
        { version: version + 1, date: options.today, summary: options.summary ?? 'Metadata updated' },
      ],
    };
    const next: Entry = { ...entry, ...history };
    await writeInside(root, location.file, setTopLevelFields(text, history, 'accession'));
    await snapshot(root, location.folder, version + 1, next);
    versioned.push({ accession: location.id, version: version + 1 });
  }
  return {
    minted: minted.map(({ location, accession }) => ({ accession, from: relative(root, location.folder) })),
    versioned,
  };
}

/** Keeps a released version addressable: versions/<N>.yaml, and its manifest beside it. */
async function snapshot(root: string, folder: string, version: number, entry: Entry): Promise<void> {
  await writeInside(root, join(folder, versionsDir, `${version}.yaml`), renderYaml(entry));
  const manifestPath = join(folder, manifestFile);
  if (!(await exists(manifestPath))) return;
  await assertRealPath(root, manifestPath);
  await writeInside(
    root,
    join(folder, versionsDir, `${version}.manifest.json`),
    JSON.stringify(await readJsonFile(manifestPath), null, 2) + '\n',
  );
}
