// The accession ledger (accessions.tsv): one line per accession ever minted, never removed, so that an accession
// is never given twice, even after its entry is withdrawn or its folder deleted. Only `catalogue accession mint`
// appends to it, on the main branch, one merge at a time.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isValidAccession, accessionSerial } from './accession.ts';
import { ledgerFile } from './layout.ts';
import { writeFileAtomic } from './atomic-write.ts';

export interface LedgerLine {
  accession: string;
  minted: string;
  source: string;
  line: number;
}

export interface Ledger {
  lines: LedgerLine[];
  problems: { line: number; code: string; message: string; fix: string }[];
}

const header = '# accession\tminted\tsource (written by `catalogue accession mint`; never edit by hand)';

export async function readLedger(root: string): Promise<Ledger> {
  let text = '';
  try {
    // The ledger is read and replaced in place, never through a link (which could point at any file).
    if ((await lstat(join(root, ledgerFile))).isSymbolicLink()) {
      return {
        lines: [],
        problems: [
          {
            line: 1,
            code: 'SYMLINK_REFUSED',
            message: `${ledgerFile} is a symbolic link`,
            fix: `restore ${ledgerFile} from the main branch as a regular file`,
          },
        ],
      };
    }
    text = await readFile(join(root, ledgerFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const lines: LedgerLine[] = [];
  const problems: Ledger['problems'] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const [accession, minted = '', source = ''] = raw.split('\t');
    if (!isValidAccession(accession)) {
      problems.push({
        line,
        code: 'LEDGER_INVALID',
        message: `'${accession}' is not a valid accession`,
        fix: 'restore accessions.tsv from the main branch',
      });
      return;
    }
    const earlier = seen.get(accession);
    if (earlier !== undefined) {
      problems.push({
        line,
        code: 'DUPLICATE_ACCESSION',
        message: `${accession} is minted twice (also line ${earlier})`,
        fix: 'restore accessions.tsv from the main branch',
      });
      return;
    }
    seen.set(accession, line);
    lines.push({ accession, minted, source, line });
  });
  return { lines, problems };
}

/** The highest serial ever minted (0 for an empty ledger). */
export function highestSerial(ledger: Ledger): number {
  return ledger.lines.reduce((max, l) => Math.max(max, accessionSerial(l.accession)), 0);
}

export async function writeLedger(root: string, lines: readonly Omit<LedgerLine, 'line'>[]): Promise<void> {
  const body = lines.map((l) => `${l.accession}\t${l.minted}\t${l.source}`).join('\n');
  await writeFileAtomic(join(root, ledgerFile), `${header}\n${body}${body ? '\n' : ''}`);
}
