// Reading records from disk: one document (entry, tombstone or harvested record) and its manifest.
import { readFileSync, statSync } from 'node:fs';
import { basename, relative } from 'node:path';
import type { Entry, HarvestedRecord, Manifest, Tombstone } from '../schemas/index.ts';
import { SourceFileError } from './errors.ts';
import type { RecordKind, RecordLocation } from './layout.ts';
import { sourceProblem, type Problem } from './problems.ts';
import { decodeSource, maxSourceBytes, parseSource, tooLargeFix, type SourceDocument } from './source.ts';
import { annotationManifestFindings } from './checks/annotations.ts';
import { imageFindings } from './checks/images.ts';
import { entryFindings, harvestedFindings, locateFindings, manifestFindings, tombstoneFindings } from './validate.ts';

export type Status = 'live' | 'embargoed' | 'withdrawn';

export interface Origin {
  partner: string;
  identifier: string;
  datestamp: string;
}

/** What `catalogue list --json` prints for each record. */
export interface RecordSummary {
  accession: string;
  title: string;
  status: Status;
  version: number | null;
  origin: Origin | null;
}

export type RecordData =
  | { kind: 'entry' | 'submission'; data: Entry }
  | { kind: 'tombstone'; data: Tombstone }
  | { kind: 'harvested'; data: HarvestedRecord };

export type CatalogueRecord = RecordData & {
  location: RecordLocation;
  manifest?: Manifest;
  status: Status;
  summary: RecordSummary;
};

export interface InspectedRecord {
  /** Present when the record parsed and has no errors (warnings allowed). */
  record?: CatalogueRecord;
  problems: Problem[];
}

// Synchronous reads on purpose: for many small files they cost less than fs/promises' (no thread-pool round
// trip per open, stat, read and close), and a check reads two files per entry.
function readDocument(root: string, path: string): SourceDocument {
  const file = relative(root, path);
  let bytes: Buffer;
  try {
    // Refuse a huge file before reading it: a hostile submission must not exhaust memory.
    const { size } = statSync(path);
    if (size > maxSourceBytes)
      throw new SourceFileError(
        'FILE_TOO_LARGE',
        file,
        `the file has ${size} bytes; at most ${maxSourceBytes} are accepted`,
        { line: 1, column: 1, fix: tooLargeFix },
      );
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof SourceFileError) throw error;
    throw new SourceFileError(
      'FILE_UNREADABLE',
      file,
      `cannot read the file: ${(error as Error).message}`,
      { fix: 'check that the file exists and that it can be read' },
      { cause: error },
    );
  }
  // Windows line endings are harmless; decodeSource drops a byte-order mark, so that column numbers stay right.
  return parseSource(file, decodeSource(file, bytes));
}

function fromSourceError(error: unknown): Problem[] {
  if (error instanceof SourceFileError) {
    return [sourceProblem(error)];
  }
  throw error;
}

/** The status of a record on `today` (YYYY-MM-DD): embargoed until its release date, withdrawn once tombstoned. */
export function statusOf(kind: RecordKind, data: Record<string, unknown>, today: string): Status {
  if (kind === 'tombstone') return 'withdrawn';
  if (kind === 'harvested') return data.deleted ? 'withdrawn' : 'live';
  const releaseDate = (data.study as { releaseDate?: string } | undefined)?.releaseDate;
  return releaseDate && releaseDate > today ? 'embargoed' : 'live';
}

/** Reads, validates and summarises one record. Never throws for bad input: problems say what is wrong. */
export function inspectRecord(root: string, location: RecordLocation, today: string): InspectedRecord {
  let document: SourceDocument;
  try {
    document = readDocument(root, location.file);
  } catch (error) {
    return { problems: fromSourceError(error) };
  }
  if (document.data === null || document.data === undefined) {
    return {
      problems: [
        {
          file: document.file,
          line: 1,
          column: 1,
          pointer: '',
          code: 'FILE_EMPTY',
          message: 'the file holds no data (empty, or comments only)',
          fix:
            location.kind === 'harvested' ? 'harvest the record again' : 'fill it in: see README, "Submit a dataset"',
          severity: 'error',
        },
      ],
    };
  }
  const folderName = basename(location.folder);
  const findings =
    location.kind === 'tombstone'
      ? tombstoneFindings(document.data, folderName)
      : location.kind === 'harvested'
        ? harvestedFindings(document.data)
        : entryFindings(document.data, { submission: location.kind === 'submission', folderName });
  const problems = locateFindings(document, findings);

  if (location.kind === 'harvested') {
    const id = (document.data as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== location.id) {
      problems.push({
        file: document.file,
        ...document.locate('/id'),
        pointer: '/id',
        code: 'HARVESTED_ID_MISMATCH',
        message: `the record's id '${id}' differs from its file name '${location.id}'`,
        fix: `rename the file to ${id}${location.file.slice(location.file.lastIndexOf('.'))}`,
        severity: 'error',
      });
    }
  }

  let manifest: Manifest | undefined;
  if (location.kind === 'entry' || location.kind === 'submission') {
    if (!location.manifest) {
      problems.push({
        file: relative(root, location.folder) + '/manifest.json',
        pointer: '',
        code: 'MANIFEST_MISSING',
        message: 'the entry has no manifest.json listing its files',
        fix:
          'run `catalogue manifest create <data folder> --out ' + relative(root, location.folder) + '/manifest.json`',
        severity: 'error',
      });
    } else {
      try {
        const manifestDocument = readDocument(root, location.manifest);
        // Components are checked only when the entry lists them; a broken entry is reported on its own.
        const components = (document.data as Entry).components;
        const componentIds = Array.isArray(components)
          ? new Set(components.map((c) => c?.id).filter((id): id is string => typeof id === 'string'))
          : undefined;
        const manifestProblems = locateFindings(
          manifestDocument,
          manifestFindings(manifestDocument.data, componentIds),
        );
        problems.push(...manifestProblems);
        if (!manifestProblems.some((p) => p.severity === 'error')) manifest = manifestDocument.data as Manifest;
        // The annotations' files, and the entry's imageData and representativeImage, against the manifest (its
        // files and the image headers read into it).
        if (manifest && !problems.some((p) => p.severity === 'error'))
          problems.push(
            ...locateFindings(document, [
              ...annotationManifestFindings(document.data as Entry, manifest),
              ...imageFindings(document.data as Entry, manifest),
            ]),
          );
      } catch (error) {
        problems.push(...fromSourceError(error));
      }
    }
  } else if (location.kind === 'tombstone' && location.manifest) {
    try {
      manifest = readDocument(root, location.manifest).data as Manifest;
    } catch {
      // A tombstone's manifest only tells storage what it may delete; a broken one is reported by `check`.
    }
  }

  if (problems.some((p) => p.severity === 'error')) return { problems };
  const data = document.data as Record<string, unknown>;
  const status = statusOf(location.kind, data, today);
  const record = {
    kind: location.kind,
    data,
    location,
    manifest,
    status,
    summary: summarise(location, data, status),
  } as unknown as CatalogueRecord;
  return { record, problems };
}

function summarise(location: RecordLocation, data: Record<string, unknown>, status: Status): RecordSummary {
  if (location.kind === 'harvested') {
    const record = data as unknown as HarvestedRecord;
    return {
      accession: record.id,
      title: record.study.title,
      status,
      version: record.version ?? null,
      origin: {
        partner: record.origin.partner,
        identifier: record.origin.identifier,
        datestamp: record.origin.datestamp,
      },
    };
  }
  if (location.kind === 'tombstone') {
    const tombstone = data as unknown as Tombstone;
    const last = tombstone.versions?.[tombstone.versions.length - 1];
    return {
      accession: tombstone.accession,
      title: tombstone.title,
      status,
      version: last?.version ?? null,
      origin: null,
    };
  }
  const entry = data as unknown as Entry;
  return {
    accession: entry.accession ?? location.id,
    title: entry.study.title,
    status,
    version: entry.version ?? null,
    origin: null,
  };
}
