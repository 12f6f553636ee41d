// The ledger's promise (an accession is never given twice) rests on its writes being whole and durable: a write
// that fails leaves the old ledger as it was and no temporary file behind. Failures are real ones: a target that
// is a folder (rename fails), and a full filesystem (write fails half way; a 64 KiB tmpfs, where mounting one is
// allowed).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { formatAccession } from '../../catalog/accession.ts';
import { readLedger, writeLedger } from '../../catalog/ledger.ts';

const temporaryFiles = async (folder: string) => (await readdir(folder)).filter((name) => name.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'atomic-'));
    const path = join(folder, 'a.txt');
    await writeFile(path, 'old\n');
    await Promise.all([writeFileAtomic(path, 'new\n'), writeFileAtomic(path, 'new\n')]);
    expect(await readFile(path, 'utf8')).toBe('new\n');
    expect(await readdir(folder)).toEqual(['a.txt']);
  });

  it('removes its temporary file when the rename fails (the target is a folder)', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'atomic-'));
    await mkdir(join(folder, 'a.txt'));
    await writeFile(join(folder, 'a.txt', 'inside'), 'kept\n');
    await expect(writeFileAtomic(join(folder, 'a.txt'), 'new\n')).rejects.toMatchObject({
      code: expect.stringMatching(/^(EISDIR|ENOTEMPTY|EEXIST)$/),
    });
    expect(await temporaryFiles(folder)).toEqual([]);
    expect(await readFile(join(folder, 'a.txt', 'inside'), 'utf8')).toBe('kept\n');
  });
});

describe('the ledger', () => {
  const lines = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      accession: formatAccession(i + 1),
      minted: '2026-01-02',
      source: `submissions/study-number-${i + 1}`,
    }));

  it('a failed write leaves no temporary file beside the ledger', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ledger-'));
    await mkdir(join(root, 'accessions.tsv', 'x'), { recursive: true });
    await expect(writeLedger(root, lines(2))).rejects.toThrow();
    expect(await temporaryFiles(root)).toEqual([]);
  });

  describe('on a full filesystem', () => {
    let mounted: string | undefined;
    beforeAll(async () => {
      const folder = await mkdtemp(join(tmpdir(), 'ledger-full-'));
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', folder], { stdio: 'ignore' });
        mounted = folder;
      } catch {
        await rm(folder, { recursive: true });
      }
    });
    afterAll(() => {
      if (mounted) execFileSync('umount', [mounted]);
    });

    it('keeps the old ledger intact and leaves no half-written temporary file', async (context) => {
      if (!mounted) context.skip('mounting a tmpfs is not allowed here');
      const root = mounted!;
      await writeLedger(root, lines(3));
      const before = await readFile(join(root, 'accessions.tsv'), 'utf8');
      // About 1 MB of ledger cannot fit in 64 KiB: the write fails with ENOSPC part way through.
      await expect(writeLedger(root, lines(20_000))).rejects.toMatchObject({ code: 'ENOSPC' });
      expect(await readFile(join(root, 'accessions.tsv'), 'utf8')).toBe(before);
      expect((await readLedger(root)).lines.map((l) => l.accession)).toEqual(lines(3).map((l) => l.accession));
      expect(await temporaryFiles(root)).toEqual([]);
    });
  });
});
