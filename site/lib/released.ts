// A released accession never silently leaves the site. The catalogue load leaves out a record with errors, which
// for a released entry would turn its stable page into a 404; the build instead fails naming the entry and its
// problems, or, when asked (`catalogue build --publish-last-good`), publishes the newest version under
// versions/<N>.yaml that passes the checks, and says so on the page and in the build log.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  entriesDir,
  entryFile,
  manifestFile,
  tombstoneFile,
  versionsDir,
  type RecordLocation,
} from '../../catalog/layout.ts';
import { readLedger } from '../../catalog/ledger.ts';
import { toPublishedJson, type LoadedLines, type PublishedLine } from '../../catalog/load.ts';
import type { Problem } from '../../catalog/problems.ts';
import { inspectRecord, type CatalogueRecord } from '../../catalog/records.ts';
import { parseSource } from '../../catalog/source.ts';

/** Said of a record published from an earlier version because its current one has errors. */
export interface LastGood {
  /** The version published (versions/<version>.yaml). */
  version: number;
  /** Errors of the current entry that kept it from being published. */
  problems: number;
}

/** A released accession the load left out: its errors (the first line names the accession). */
export interface HeldBack {
  accession: string;
  /** Withdrawn (tombstone.yaml): its tombstone page is what must stay, never an earlier live version. */
  withdrawn: boolean;
  problems: Problem[];
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** The release date a document states, when it can be read at all. */
function releaseDateOf(root: string, file: string): string | undefined {
  try {
    const data = parseSource(join(entriesDir, file), readFileSync(join(root, entriesDir, file), 'utf8')).data as {
      study?: { releaseDate?: unknown };
    } | null;
    const date = data?.study?.releaseDate;
    return typeof date === 'string' ? date : undefined;
  } catch {
    return undefined;
  }
}

/** Version numbers under entries/<accession>/versions/, newest first. */
function versionsOf(root: string, accession: string): number[] {
  return names(join(root, entriesDir, accession, versionsDir))
    .flatMap((name) => (/^[1-9]\d*\.yaml$/.test(name) ? [Number(name.slice(0, -5))] : []))
    .sort((a, b) => b - a);
}

/**
 * The released accessions that the load left out: in the ledger (accessions.tsv), with no published record and
 * not embargoed. A withdrawn accession whose tombstone.yaml has errors is one of them: its tombstone page keeps the
 * accession resolving. An entry whose release date cannot be read (its YAML
 * is broken) counts as released unless its newest saved version is still under embargo: the build then fails
 * rather than guess a page away.
 */
export async function heldBackReleases(root: string, loaded: LoadedLines, today: string): Promise<HeldBack[]> {
  const ledger = await readLedger(root);
  const published = new Set(loaded.lines.map((line) => line.accession));
  const held: HeldBack[] = [];
  for (const { accession } of ledger.lines) {
    if (published.has(accession)) continue;
    const folder = join(root, entriesDir, accession);
    const files = new Set(names(folder));
    const prefix = `${entriesDir}/${accession}/`;
    const own = loaded.problems.filter((p) => p.file.startsWith(prefix));
    if (files.has(tombstoneFile)) {
      const headline: Problem = {
        file: `${prefix}${tombstoneFile}`,
        line: 1,
        column: 1,
        pointer: '',
        code: 'TOMBSTONE_INVALID',
        message:
          `${accession} is withdrawn but its tombstone has ${own.length} error(s) (listed below), so the site ` +
          `would lose its tombstone page`,
        fix: `correct them (npx catalogue check ${prefix})`,
        severity: 'error',
      };
      held.push({ accession, withdrawn: true, problems: [headline, ...own] });
      continue;
    }
    const newest = versionsOf(root, accession)[0];
    const releaseDate =
      releaseDateOf(root, join(accession, entryFile)) ??
      (newest ? releaseDateOf(root, join(accession, versionsDir, `${newest}.yaml`)) : undefined);
    if (releaseDate && releaseDate > today) continue;
    const headline: Problem = files.has(entryFile)
      ? {
          file: `${prefix}${entryFile}`,
          line: 1,
          column: 1,
          pointer: '',
          code: 'RELEASED_ENTRY_INVALID',
          message:
            `${accession} is released but has ${own.length} error(s) (listed below), so the site would lose its ` +
            `page`,
          fix:
            `correct them (npx catalogue check ${prefix}), or build with --publish-last-good to publish its last ` +
            `good version`,
          severity: 'error',
        }
      : {
          file: `${entriesDir}/${accession}`,
          line: 1,
          column: 1,
          pointer: '',
          code: 'RELEASED_ENTRY_MISSING',
          message:
            `${accession} is in accessions.tsv but its folder holds no entry.yaml, so the site would lose its ` +
            `page`,
          fix:
            `restore ${prefix}${entryFile} from the repository's history, or withdraw it with npx catalogue ` +
            `withdraw ${accession}`,
          severity: 'error',
        };
    held.push({ accession, withdrawn: false, problems: [headline, ...own] });
  }
  return held;
}

/** The newest saved version of an entry that passes every check and is released; undefined when none does. */
export function lastGoodVersion(
  root: string,
  accession: string,
  today: string,
): { record: CatalogueRecord; version: number; file: string } | undefined {
  const folder = join(root, entriesDir, accession);
  const files = new Set(names(join(folder, versionsDir)));
  for (const version of versionsOf(root, accession)) {
    // A version's manifest is saved beside it (catalog/mint.ts); an older version without one uses the current.
    const manifest = files.has(`${version}.manifest.json`)
      ? join(folder, versionsDir, `${version}.manifest.json`)
      : names(folder).includes(manifestFile)
        ? join(folder, manifestFile)
        : undefined;
    const location: RecordLocation = {
      kind: 'entry',
      id: accession,
      file: join(folder, versionsDir, `${version}.yaml`),
      manifest,
      folder,
    };
    const { record } = inspectRecord(root, location, today);
    if (record && record.status === 'live')
      return { record, version, file: `${entriesDir}/${accession}/${versionsDir}/${version}.yaml` };
  }
  return undefined;
}

/** The published line of a last good version: the record, marked with `lastGood` for its page and JSON. */
export function lastGoodLine(record: CatalogueRecord, lastGood: LastGood): PublishedLine {
  const json = JSON.stringify({ ...(JSON.parse(toPublishedJson(record)) as object), lastGood });
  return { accession: record.summary.accession, status: record.status, json, location: record.location };
}
