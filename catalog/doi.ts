// The DOI of an entry: which one it gets and where it is written. Registering it with DataCite is network work and
// lives in doi/; the catalogue only records the DOI once DataCite holds it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { entriesDir, entryFile } from './layout.ts';
import { assertRealPath } from './safe-path.ts';
import { setTopLevelFields } from './yaml-edit.ts';

/**
 * The DOI of an accession under a DataCite prefix: `10.80000/BIC0000013`. The accession is the suffix, so the DOI
 * names the same record for as long as the accession does (DOI Handbook §2.5: a suffix may be any string
 * unique under its prefix).
 */
export function doiFor(prefix: string, accession: string): string {
  return `${prefix}/${accession}`;
}

/** Writes `doi` into entries/<accession>/entry.yaml, after the accession, keeping the rest as written. */
export async function writeEntryDoi(root: string, accession: string, doi: string): Promise<void> {
  const path = join(root, entriesDir, accession, entryFile);
  await assertRealPath(root, path);
  const text = await readFile(path, 'utf8');
  await writeFileAtomic(path, setTopLevelFields(text, { doi }, 'accession'));
}
