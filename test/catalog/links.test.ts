// A submission (or an entry changed by a pull request) may hold symbolic links or special files. `check` refuses
// them with one problem line each, and mint refuses to write through them: real links on a real filesystem, one
// pointing at another entry's versions/ and one at a folder outside the catalogue.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { formatAccession } from '../../catalog/accession.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';

const validSubmission = new URL('./fixtures/submissions/valid/minimal-confocal/', import.meta.url).pathname;
const accession = formatAccession(1);
let root: string;
let outside: string;

async function submit(name: string): Promise<string> {
  const folder = join(root, 'submissions', name);
  await cp(validSubmission, folder, { recursive: true });
  const manifest = join(folder, 'manifest.json');
  await writeFile(
    manifest,
    (await readFile(manifest, 'utf8')).replace('submissions/minimal-confocal/', `submissions/${name}/`),
  );
  return folder;
}

const errorsOf = async (only?: string[]) =>
  (await checkCatalogue(root, { today: '2026-06-01', only })).problems
    .filter((p) => p.severity === 'error')
    .map(formatProblem);

/** Every file under `folder` with the SHA-256 of its bytes: what "nothing changed" means below. */
async function snapshotOf(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(folder, { recursive: true, withFileTypes: true })).filter((d) => d.isFile())) {
    const path = join(name.parentPath, name.name);
    out[path.slice(folder.length)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-links-'));
  outside = await mkdtemp(join(tmpdir(), 'outside-'));
  await submit('first');
  await mintAccessions(root, { today: '2026-01-02' });
});

describe('check refuses links, special files and stray files in a submission', () => {
  it("a versions/ link to another entry's history", async () => {
    const folder = await submit('sneaky');
    await symlink(`../../entries/${accession}/versions`, join(folder, 'versions'));
    expect(await errorsOf()).toEqual([
      expect.stringMatching(
        /^submissions\/sneaky\/versions:1:1 # SYMLINK_REFUSED .* Fix: replace the link with the file itself/,
      ),
    ]);
    // The pull-request check, scoped to the submission, says the same.
    expect(await errorsOf([join(root, 'submissions', 'sneaky')])).toHaveLength(1);
  });

  it('entry.yaml as a link to a file outside the catalogue, and the submission folder itself as a link', async () => {
    const folder = await submit('linked-entry');
    await writeFile(join(outside, 'entry.yaml'), await readFile(join(folder, 'entry.yaml')));
    execFileSync('rm', [join(folder, 'entry.yaml')]);
    await symlink(join(outside, 'entry.yaml'), join(folder, 'entry.yaml'));
    await symlink(`../entries/${accession}`, join(root, 'submissions', 'alias'));
    expect(await errorsOf()).toEqual([
      expect.stringMatching(/^submissions\/alias:1:1 # SYMLINK_REFUSED /),
      expect.stringMatching(/^submissions\/linked-entry\/entry.yaml:1:1 # SYMLINK_REFUSED /),
    ]);
  });

  it('a FIFO, which a reader would wait on for ever, is reported and never opened', async () => {
    const folder = await submit('fifo');
    execFileSync('mkfifo', [join(folder, 'manifest.json.fifo')]);
    expect(await errorsOf()).toEqual([
      expect.stringMatching(/^submissions\/fifo\/manifest.json.fifo:1:1 # SPECIAL_FILE /),
    ]);
  });

  it('any file or folder besides entry.yaml and manifest.json', async () => {
    const folder = await submit('extras');
    await writeFile(join(folder, 'notes.txt'), 'hello');
    await mkdir(join(folder, 'versions'));
    await writeFile(join(folder, 'versions', '1.yaml'), 'forged: history\n');
    expect(await errorsOf()).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^submissions\/extras\/notes.txt:1:1 # UNEXPECTED_FILE a submission holds only ` +
            String.raw`entry.yaml and manifest.json; 'notes.txt' is a file .* Fix: remove 'notes.txt'`,
        ),
      ),
      expect.stringMatching(/^submissions\/extras\/versions:1:1 # UNEXPECTED_FILE .*'versions' is a folder/),
    ]);
  });

  it('submissions/ itself as a link', async () => {
    await mkdir(join(outside, 'elsewhere'));
    await cp(validSubmission, join(outside, 'elsewhere', 'linked'), { recursive: true });
    execFileSync('rm', ['-r', join(root, 'submissions')]);
    await symlink(join(outside, 'elsewhere'), join(root, 'submissions'));
    expect(await errorsOf()).toEqual([expect.stringMatching(/^submissions:1:1 # SYMLINK_REFUSED /)]);
    await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({ code: 'SYMLINK_REFUSED' });
    expect(await readdir(join(outside, 'elsewhere'))).toEqual(['linked']);
  });

  it("a link in a released entry's folder or versions/", async () => {
    await symlink(join(outside, 'x.yaml'), join(root, 'entries', accession, 'versions', '2.yaml'));
    expect(await errorsOf()).toEqual([
      expect.stringMatching(new RegExp(`^entries/${accession}/versions/2.yaml:1:1 # SYMLINK_REFUSED `)),
    ]);
  });
});

describe('mint never writes through a link', () => {
  it("refuses a submission whose versions/ links to another entry's history, and changes nothing", async () => {
    const folder = await submit('sneaky');
    await symlink(`../../entries/${accession}/versions`, join(folder, 'versions'));
    const before = await snapshotOf(root);
    await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({ code: 'SYMLINK_REFUSED' });
    expect(await snapshotOf(root)).toEqual(before);
  });

  it(
    'refuses a submission whose versions/ links to a folder outside the catalogue, ' + 'and writes nothing there',
    async () => {
      const folder = await submit('escape');
      await symlink(outside, join(folder, 'versions'));
      const before = await snapshotOf(root);
      await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({ code: 'SYMLINK_REFUSED' });
      expect(await readdir(outside)).toEqual([]);
      expect(await snapshotOf(root)).toEqual(before);
    },
  );

  it('refuses to version an entry whose versions/ was replaced by a link outside the catalogue', async () => {
    const versions = join(root, 'entries', accession, 'versions');
    execFileSync('rm', ['-r', versions]);
    await symlink(outside, versions);
    const path = join(root, 'entries', accession, 'entry.yaml');
    await writeFile(
      path,
      (await readFile(path, 'utf8')).replace('keywords: [mitochondria', 'keywords: [Parkin, mitochondria'),
    );
    await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({ code: 'SYMLINK_REFUSED' });
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a ledger that is a link, and leaves its target alone', async () => {
    const target = join(outside, 'accessions.tsv');
    await writeFile(target, 'not a ledger\n');
    execFileSync('rm', [join(root, 'accessions.tsv')]);
    await symlink(target, join(root, 'accessions.tsv'));
    await submit('second');
    await expect(mintAccessions(root, { today: '2026-01-03' })).rejects.toMatchObject({ code: 'SYMLINK_REFUSED' });
    expect(await readFile(target, 'utf8')).toBe('not a ledger\n');
    expect(existsSync(join(root, 'submissions', 'second'))).toBe(true);
    expect(await errorsOf()).toContainEqual(expect.stringMatching(/^accessions.tsv:1:1 # SYMLINK_REFUSED /));
  });

  it('withdrawal refuses an entry whose versions/ is a link outside the catalogue', async () => {
    const versions = join(root, 'entries', accession, 'versions');
    execFileSync('rm', ['-r', versions]);
    await symlink(outside, versions);
    await expect(
      withdrawEntry(root, accession, { reason: 'Withdrawn at the authors request.', date: '2026-02-01' }),
    ).rejects.toThrow(/symbolic link/);
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(join(root, 'entries', accession, 'entry.yaml'))).toBe(true);
  });
});
