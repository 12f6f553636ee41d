// Safe object paths. A manifest is untrusted input: a path must never reach outside the entry's prefix in a
// bucket or folder, and must name the same file on every mirror and every computer it is copied to. File names
// are kept as laboratories make them (spaces, accents, any script: `plate 1/well A01.tif`, `Zoë_notes.csv`), in
// Unicode NFC, so that one name has one spelling, one object key and one URL. Refused are the names that are not
// portable: '.' and '..', absolute paths, backslashes, control characters, a name starting or ending with a space
// or ending with '.', the characters and device names Windows forbids (Microsoft, "Naming Files, Paths, and
// Namespaces"), and, across a manifest, two paths that are equal once case is folded.

export type PathVerdict = { ok: true } | { ok: false; code: string; message: string; fix: string };

/** S3 keys are at most 1024 bytes of UTF-8 (AWS S3 User Guide, "Naming Amazon S3 objects"). */
const maxPathBytes = 1024;
/** A file or folder name is at most 255 bytes on ext4, XFS and APFS (and 255 UTF-16 units on NTFS). */
const maxSegmentBytes = 255;

// C0, DEL and C1 controls; and the bidirectional formatting characters (Unicode TR #9 §2), which make a name
// display as another one (CVE-2021-42574, "Trojan Source").
// eslint-disable-next-line no-control-regex
const controlPattern = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Windows forbids these in a name, besides '/', '\' and the controls. */
const windowsCharacters = /[<>:"|?*]/;
/** Windows device names, with or without an extension (`NUL`, `nul.txt`, `COM1.tar.gz`). */
const windowsDevice = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;

// TextEncoder, not a Node-only API: the site's bundle (storage/downloads.ts) runs this rule in the browser too.
const encoder = new TextEncoder();
const utf8Bytes = (text: string) => encoder.encode(text).length;

/** Checks a manifest path; the codes name the rule broken. */
export function checkObjectPath(path: string): PathVerdict {
  const bad = (code: string, message: string, fix: string): PathVerdict => ({ ok: false, code, message, fix });
  if (path.length === 0)
    return bad('PATH_EMPTY', 'the path is empty', 'give the file path relative to the entry folder');
  const control = controlPattern.exec(path);
  if (control)
    return bad(
      'PATH_CONTROL_CHARACTER',
      `the path contains the control character ${codePoint(control[0])}`,
      'rename the file without control or text-direction characters',
    );
  if (/\p{Surrogate}/u.test(path))
    return bad(
      'PATH_CHARACTER',
      'the path is not valid Unicode (a lone surrogate)',
      'rename the file with characters that UTF-8 can encode',
    );
  if (utf8Bytes(path) > maxPathBytes)
    return bad(
      'PATH_TOO_LONG',
      `the path has ${utf8Bytes(path)} bytes in UTF-8; at most ${maxPathBytes}`,
      'shorten folder or file names',
    );
  if (path.includes('\\')) return bad('PATH_BACKSLASH', 'the path contains a backslash', "use '/' between folders");
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path))
    return bad(
      'PATH_ABSOLUTE',
      'the path is absolute',
      'write it relative to the entry folder, without a leading slash or drive letter',
    );
  const nfc = path.normalize('NFC');
  if (nfc !== path) {
    return bad(
      'PATH_NOT_NFC',
      'the path is not in Unicode normalisation form NFC (an accent is stored as a separate combining mark)',
      `write it as '${nfc}' (NFC, as \`catalogue manifest create\` writes paths)`,
    );
  }
  for (const segment of path.split('/')) {
    if (segment === '')
      return bad(
        'PATH_EMPTY_SEGMENT',
        "the path has an empty folder name ('//' or a trailing '/')",
        'remove the doubled or trailing slash',
      );
    if (segment === '..' || segment === '.')
      return bad(
        'PATH_TRAVERSAL',
        `the path contains '${segment}'`,
        "list the file by its path inside the entry folder, without '.' or '..'",
      );
    if (utf8Bytes(segment) > maxSegmentBytes)
      return bad(
        'PATH_NAME_TOO_LONG',
        `the name '${segment.slice(0, 40)}...' has ${utf8Bytes(segment)} bytes in UTF-8; ` +
          `file systems allow ${maxSegmentBytes}`,
        'shorten the name',
      );
    if (/^\s|\s$/u.test(segment))
      return bad(
        'PATH_SPACE_EDGE',
        `the name '${segment}' starts or ends with a space`,
        'remove the space at the start or end of the name',
      );
    if (segment.endsWith('.'))
      return bad(
        'PATH_TRAILING_DOT',
        `the name '${segment}' ends with '.', which Windows drops`,
        "remove the final '.'",
      );
    const forbidden = windowsCharacters.exec(segment);
    if (forbidden)
      return bad(
        'PATH_CHARACTER',
        `the name '${segment}' contains ${codePoint(forbidden[0])}, ` +
          'which Windows forbids in file names (< > : " | ? *)',
        "rename the file, e.g. replace it with '_' or '-'",
      );
    if (windowsDevice.test(segment))
      return bad(
        'PATH_RESERVED_NAME',
        `the name '${segment}' is a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9)`,
        "rename the file, e.g. add a letter: 'con_1.txt'",
      );
  }
  return { ok: true };
}

/** Two paths that one mirror would store as one file (or as a file and a folder of the same name). */
export interface PathCollision {
  /** The later path's index. */
  index: number;
  /** The index of the path it collides with. */
  earlier: number;
  code: 'PATH_DUPLICATE' | 'PATH_CASE_COLLISION' | 'PATH_FILE_FOLDER_COLLISION';
  message: string;
  fix: string;
}

/**
 * The form in which a case-insensitive file system (APFS, NTFS, an SMB share) compares names: NFC, then each
 * character folded alone, as Unicode's simple case folding does (CaseFolding.txt, status C and S): 'A' and 'a',
 * 'Σ', 'σ' and 'ς' are one; 'ß' stays apart from 'ss', as it does on those file systems.
 */
export function foldPath(path: string): string {
  let out = '';
  for (const ch of path.normalize('NFC')) {
    // Per character, so that no context rule applies (String#toLowerCase writes a final 'Σ' as 'ς').
    const upper = ch.toUpperCase();
    out += ([...upper].length === 1 ? upper : ch).toLowerCase();
  }
  return out.normalize('NFC');
}

/**
 * Paths listed twice, equal after case folding and NFC (`Image.tif`, `image.tif`), or a file whose name is also
 * another path's folder (`a`, `A/b.tif`): on a case-insensitive mirror one would overwrite the other. The first
 * path of each pair is kept; the later one is reported. `where` names the earlier one in messages (default:
 * ' (item N)', counting from 1).
 */
export function findPathCollisions(
  paths: ReadonlyArray<string | undefined>,
  where: (index: number) => string = (index) => ` (item ${index + 1})`,
): PathCollision[] {
  const out: PathCollision[] = [];
  const exact = new Map<string, number>();
  const files = new Map<string, number>();
  const folders = new Map<string, number>();
  paths.forEach((path, index) => {
    if (path === undefined) return;
    const show = (i: number) => `'${paths[i]}'${where(i)}`;
    const seen = exact.get(path);
    if (seen !== undefined) {
      out.push({
        index,
        earlier: seen,
        code: 'PATH_DUPLICATE',
        message: `'${path}' is listed twice (also item ${seen + 1})`,
        fix: 'list every file once',
      });
      return;
    }
    exact.set(path, index);
    const folded = foldPath(path);
    const same = files.get(folded);
    if (same !== undefined) {
      out.push({
        index,
        earlier: same,
        code: 'PATH_CASE_COLLISION',
        message:
          `'${path}' and ${show(same)} differ only in upper and lower case or Unicode normalisation: ` +
          'on a case-insensitive mirror (macOS, Windows) one would overwrite the other',
        fix: 'rename one of the two files',
      });
      return;
    }
    const asFolder = folders.get(folded);
    if (asFolder !== undefined) {
      out.push({
        index,
        earlier: asFolder,
        code: 'PATH_FILE_FOLDER_COLLISION',
        message: `'${path}' is a file, but ${show(asFolder)} needs a folder of that name`,
        fix: 'rename the file or the folder',
      });
      return;
    }
    const parts = folded.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      const file = files.get(folder);
      if (file !== undefined) {
        out.push({
          index,
          earlier: file,
          code: 'PATH_FILE_FOLDER_COLLISION',
          message: `'${path}' needs a folder where ${show(file)} is a file`,
          fix: 'rename the file or the folder',
        });
        return;
      }
    }
    files.set(folded, index);
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (!folders.has(folder)) folders.set(folder, index);
    }
  });
  return out;
}

function codePoint(ch: string): string {
  const code = ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
  return ch === ' ' ? 'a space' : /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `'${ch}' (U+${code})` : `U+${code}`;
}
