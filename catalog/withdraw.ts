// Withdrawal: the entry becomes a tombstone with reason and date; its versions and manifest stay, and its
// accession keeps resolving (to a page that says why it was withdrawn).
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entry, Tombstone } from '../schemas/index.ts';
import { isValidAccession } from './accession.ts';
import { CatalogError } from './errors.ts';
import { entriesDir, entryFile, tombstoneFile, versionsDir } from './layout.ts';
import { parseSource } from './source.ts';
import { writeYamlFile } from './write.ts';
import { assertNoLinks } from './safe-path.ts';

export interface WithdrawOptions {
  reason: string;
  date: string;
  replacedBy?: string;
}

export async function withdrawEntry(root: string, accession: string, options: WithdrawOptions): Promise<Tombstone> {
  if (!isValidAccession(accession))
    throw new CatalogError('ACCESSION_INVALID', `'${accession}' is not a valid accession`);
  if (options.replacedBy && !isValidAccession(options.replacedBy))
    throw new CatalogError('ACCESSION_INVALID', `'${options.replacedBy}' is not a valid accession`);
  if (options.reason.trim().length < 10)
    throw new CatalogError('REASON_TOO_SHORT', 'give the public a reason of at least 10 characters');
  const folder = join(root, entriesDir, accession);
  const path = join(folder, entryFile);
  // Withdrawal writes into the entry's folder and versions/: never through a link (catalog/safe-path.ts).
  if (existsSync(folder)) await assertNoLinks(root, folder);
  let entry: Entry;
  try {
    entry = parseSource(path, await readFile(path, 'utf8')).data as Entry;
  } catch (error) {
    throw new CatalogError(
      'ENTRY_NOT_FOUND',
      `${accession} has no entry.yaml to withdraw (already withdrawn, or never released?)`,
      { cause: error },
    );
  }
  // Keep the withdrawn version addressable before the entry file goes.
  await writeYamlFile(join(folder, versionsDir, `${entry.version ?? 1}.yaml`), entry);
  const tombstone: Tombstone = {
    schemaVersion: 1,
    accession,
    title: entry.study.title,
    withdrawn: {
      date: options.date,
      reason: options.reason,
      ...(options.replacedBy ? { replacedBy: options.replacedBy } : {}),
    },
    versions: entry.versions ?? [],
    ...(entry.doi ? { doi: entry.doi } : {}),
  };
  await writeYamlFile(join(folder, tombstoneFile), tombstone);
  await rm(path);
  return tombstone;
}
