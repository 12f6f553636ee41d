// The catalogue on disk. One folder per entry, so pull requests never touch the same file:
//
//   entries/<ACCESSION>/entry.yaml        a released (or embargoed) entry, readable YAML
//   entries/<ACCESSION>/tombstone.yaml    instead of entry.yaml once withdrawn; the accession keeps resolving
//   entries/<ACCESSION>/manifest.json     every file of the entry (path, size, sha256, format, role)
//   entries/<ACCESSION>/versions/<N>.yaml each released version, kept addressable
//   submissions/<name>/entry.yaml         a submission awaiting its accession (added by a pull request)
//   submissions/<name>/manifest.json
//   harvested/<partner>/<id>.json         a partner's record after crosswalk (written by the harvester)
//   accessions.tsv                        the ledger of every accession ever minted (never edited by hand)
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { accessionPattern } from './accession.ts';

export const entriesDir = 'entries';
export const submissionsDir = 'submissions';
export const harvestedDir = 'harvested';
export const ledgerFile = 'accessions.tsv';
export const entryFile = 'entry.yaml';
export const tombstoneFile = 'tombstone.yaml';
export const manifestFile = 'manifest.json';
export const versionsDir = 'versions';

export const submissionNamePattern = /^[a-z0-9][a-z0-9-]{2,80}$/;

export type RecordKind = 'entry' | 'tombstone' | 'submission' | 'harvested';

export interface RecordLocation {
  readonly kind: RecordKind;
  /** Accession (entries, tombstones), folder name (submissions) or record id (harvested). */
  readonly id: string;
  /** Absolute path of the record's main document. */
  readonly file: string;
  /** Absolute path of the manifest, for entries and submissions. */
  readonly manifest?: string;
  /** The folder of an entry or submission, or the partner folder of a harvested record. */
  readonly folder: string;
  /** The partner of a harvested record. */
  readonly partner?: string;
}

/** A structural problem met while listing the catalogue (a folder that is not where it should be). */
export type LayoutIssueCode =
  | 'ENTRY_AND_TOMBSTONE'
  | 'ENTRY_FILE_MISSING'
  | 'ENTRY_FOLDER_NAME'
  | 'SPECIAL_FILE'
  | 'SUBMISSION_FOLDER_NAME'
  | 'SYMLINK_REFUSED'
  | 'UNEXPECTED_FILE';

export interface LayoutIssue {
  readonly path: string;
  readonly code: LayoutIssueCode;
  readonly message: string;
  readonly fix: string;
}

// Synchronous: listing 100k small folders through the thread pool costs several times more.
function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Which records to describe: every one (the default), or only the named entry folders, submission folders and
 * harvested files (`<partner>` or `<partner>/<file>`). The pull-request check describes the few records a change
 * touches; the names of all entry folders are still listed (one readdir), which is all the invariants need.
 */
export interface RecordScope {
  entries: ReadonlySet<string>;
  submissions: ReadonlySet<string>;
  harvested: ReadonlySet<string>;
}

/** The accessions that have an entry folder (entries and tombstones alike), from one listing of entries/. */
export function entryFolderNames(root: string): string[] {
  return list(join(root, entriesDir))
    .filter((d) => d.isDirectory() && accessionPattern.test(d.name))
    .map((d) => d.name)
    .sort();
}

/** Lists the records of the catalogue under `root` (all, or those in `scope`), sorted, and the layout issues met. */
export async function listRecords(
  root: string,
  scope?: RecordScope,
): Promise<{ records: RecordLocation[]; issues: LayoutIssue[] }> {
  const records: RecordLocation[] = [];
  const issues: LayoutIssue[] = [];
  const rel = (path: string) => relative(root, path) || '.';

  // The three areas are real folders: a link in their place would carry mint's writes wherever it points.
  for (const area of [entriesDir, submissionsDir, harvestedDir]) {
    if (isLink(join(root, area))) {
      issues.push(symlinkIssue(area));
      return { records, issues };
    }
  }

  for (const dirent of list(join(root, entriesDir)).sort(byName)) {
    const folder = join(root, entriesDir, dirent.name);
    if (scope && !scope.entries.has(dirent.name)) continue;
    if (!dirent.isDirectory()) {
      issues.push(
        dirent.isSymbolicLink()
          ? symlinkIssue(rel(folder))
          : {
              path: rel(folder),
              code: 'UNEXPECTED_FILE',
              message: 'entries/ holds one folder per accession, not files',
              fix: 'move the file into an entry folder or remove it',
            },
      );
      continue;
    }
    if (!accessionPattern.test(dirent.name)) {
      issues.push({
        path: rel(folder),
        code: 'ENTRY_FOLDER_NAME',
        message: `'${dirent.name}' is not an accession`,
        fix: `put new submissions under ${submissionsDir}/<name>/; entries/ is filled when submissions are merged`,
      });
      continue;
    }
    const contents = list(folder);
    // A link or special file here would let mint write through it into another entry or outside the catalogue.
    const unsafe = linksAndSpecialFiles(folder, contents, rel);
    if (contents.some((d) => d.name === versionsDir && d.isDirectory()))
      unsafe.push(...linksAndSpecialFiles(join(folder, versionsDir), list(join(folder, versionsDir)), rel));
    issues.push(...unsafe);
    if (unsafe.length > 0) continue;
    const files = new Set(contents.map((d) => d.name));
    const hasEntry = files.has(entryFile);
    const hasTombstone = files.has(tombstoneFile);
    if (hasEntry && hasTombstone) {
      issues.push({
        path: rel(folder),
        code: 'ENTRY_AND_TOMBSTONE',
        message: 'the folder has both entry.yaml and tombstone.yaml',
        fix: 'a withdrawn entry keeps only tombstone.yaml (earlier versions stay in versions/)',
      });
    }
    if (!hasEntry && !hasTombstone) {
      issues.push({
        path: rel(folder),
        code: 'ENTRY_FILE_MISSING',
        message: 'the folder has neither entry.yaml nor tombstone.yaml',
        fix: 'restore entry.yaml; withdraw an entry with `catalogue withdraw`',
      });
      continue;
    }
    const manifest = files.has(manifestFile) ? join(folder, manifestFile) : undefined;
    records.push({
      kind: hasEntry ? 'entry' : 'tombstone',
      id: dirent.name,
      file: join(folder, hasEntry ? entryFile : tombstoneFile),
      manifest,
      folder,
    });
  }

  for (const dirent of list(join(root, submissionsDir)).sort(byName)) {
    const folder = join(root, submissionsDir, dirent.name);
    if (scope && !scope.submissions.has(dirent.name)) continue;
    if (dirent.isSymbolicLink()) {
      issues.push(symlinkIssue(rel(folder)));
      continue;
    }
    if (!dirent.isDirectory()) {
      issues.push({
        path: rel(folder),
        code: 'UNEXPECTED_FILE',
        message: `${submissionsDir}/ holds one folder per submission, not files`,
        fix: `move the file into ${submissionsDir}/<name>/ or remove it`,
      });
      continue;
    }
    if (!submissionNamePattern.test(dirent.name)) {
      issues.push({
        path: rel(folder),
        code: 'SUBMISSION_FOLDER_NAME',
        message: `'${dirent.name}' is not a valid submission folder name`,
        fix: "use 3 to 81 lower-case letters, digits and '-', e.g. zebrafish-heart-lightsheet",
      });
      continue;
    }
    const contents = list(folder);
    const unexpected = submissionContentIssues(folder, contents, rel);
    issues.push(...unexpected);
    // Nothing is read from a folder that holds a link or a special file (a FIFO would block the reader).
    if (unexpected.some((i) => i.code !== 'UNEXPECTED_FILE')) continue;
    const files = new Set(contents.filter((d) => d.isFile()).map((d) => d.name));
    if (!files.has(entryFile)) {
      issues.push({
        path: rel(folder),
        code: 'ENTRY_FILE_MISSING',
        message: 'the submission has no entry.yaml',
        fix: 'add entry.yaml (see README, "Submit a dataset")',
      });
      continue;
    }
    records.push({
      kind: 'submission',
      id: dirent.name,
      file: join(folder, entryFile),
      manifest: files.has(manifestFile) ? join(folder, manifestFile) : undefined,
      folder,
    });
  }

  for (const partnerDirent of list(join(root, harvestedDir)).sort(byName)) {
    if (!partnerDirent.isDirectory()) continue;
    const partnerFolder = join(root, harvestedDir, partnerDirent.name);
    const wholePartner = !scope || scope.harvested.has(partnerDirent.name);
    if (!wholePartner && ![...scope.harvested].some((h) => h.startsWith(partnerDirent.name + '/'))) continue;
    for (const dirent of list(partnerFolder).sort(byName)) {
      const match = /^(.+)\.(json|yaml)$/.exec(dirent.name);
      if (!dirent.isFile() || !match) continue;
      if (!wholePartner && !scope.harvested.has(`${partnerDirent.name}/${dirent.name}`)) continue;
      records.push({
        kind: 'harvested',
        id: match[1],
        file: join(partnerFolder, dirent.name),
        folder: partnerFolder,
        partner: partnerDirent.name,
      });
    }
  }
  return { records, issues };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The files a submission folder may hold: `catalogue submit` sends these two and nothing else. */
export const submissionFiles: readonly string[] = [entryFile, manifestFile];

function symlinkIssue(path: string): LayoutIssue {
  return {
    path,
    code: 'SYMLINK_REFUSED',
    message: 'this is a symbolic link; the catalogue holds only real files and folders',
    fix: 'replace the link with the file itself (data files go to the mirror and are listed in manifest.json)',
  };
}

function specialFileIssue(path: string): LayoutIssue {
  return {
    path,
    code: 'SPECIAL_FILE',
    message: 'this is not a regular file (a device, FIFO or socket)',
    fix: 'remove it',
  };
}

/**
 * Links and special files among a folder's entries. Dirent types come from readdir, which never follows a link
 * (lstat, not stat), so a link is seen as a link whatever it points at.
 */
function linksAndSpecialFiles(
  folder: string,
  contents: readonly Dirent[],
  rel: (path: string) => string,
): LayoutIssue[] {
  const issues: LayoutIssue[] = [];
  for (const d of contents) {
    const path = rel(join(folder, d.name));
    if (d.isSymbolicLink()) issues.push(symlinkIssue(path));
    else if (!d.isFile() && !d.isDirectory()) issues.push(specialFileIssue(path));
  }
  return issues;
}

/** A submission holds entry.yaml and manifest.json as regular files, and nothing else. */
function submissionContentIssues(
  folder: string,
  contents: readonly Dirent[],
  rel: (path: string) => string,
): LayoutIssue[] {
  const issues = linksAndSpecialFiles(folder, contents, rel);
  for (const d of contents) {
    if (d.isSymbolicLink() || (!d.isFile() && !d.isDirectory())) continue;
    if (d.isFile() && submissionFiles.includes(d.name)) continue;
    issues.push({
      path: rel(join(folder, d.name)),
      code: 'UNEXPECTED_FILE',
      message:
        `a submission holds only ${submissionFiles.join(' and ')}; ` +
        `'${d.name}' is a ${d.isDirectory() ? 'folder' : 'file'} the catalogue does not take`,
      fix:
        `remove '${d.name}' (data files go to the mirror and are listed in manifest.json; ` +
        'the catalogue adds versions/ itself)',
    });
  }
  return issues;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
