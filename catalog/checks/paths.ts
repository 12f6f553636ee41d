// Safe object paths. A manifest is untrusted input: a path must never reach outside the entry's prefix in a
// bucket or folder. The character set is the BioImage Archive's file-list rule (letters, digits, '.', '_',
// '-'), with '/' between folders; names may start with '.' because OME-Zarr stores '.zattrs' and '.zarray'.

export type PathVerdict = { ok: true } | { ok: false; code: string; message: string; fix: string };

const segmentPattern = /^[A-Za-z0-9._-]+$/;

/** Checks a manifest path; the codes name the rule broken. */
export function checkObjectPath(path: string): PathVerdict {
  const bad = (code: string, message: string, fix: string): PathVerdict => ({ ok: false, code, message, fix });
  if (path.length === 0) return bad('PATH_EMPTY', 'the path is empty', 'give the file path relative to the entry folder');
  if (path.length > 1024) return bad('PATH_TOO_LONG', `the path has ${path.length} characters; at most 1024`, 'shorten folder or file names');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return bad('PATH_CONTROL_CHARACTER', 'the path contains a control character', 'rename the file without control characters');
  if (path.includes('\\')) return bad('PATH_BACKSLASH', 'the path contains a backslash', "use '/' between folders");
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return bad('PATH_ABSOLUTE', 'the path is absolute', 'write it relative to the entry folder, without a leading slash or drive letter');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') return bad('PATH_EMPTY_SEGMENT', "the path has an empty folder name ('//' or a trailing '/')", 'remove the doubled or trailing slash');
    if (segment === '..' || segment === '.') return bad('PATH_TRAVERSAL', `the path contains '${segment}'`, "list the file by its path inside the entry folder, without '.' or '..'");
    if (!segmentPattern.test(segment)) {
      const offending = [...segment].find((ch) => !/[A-Za-z0-9._-]/.test(ch)) ?? '';
      return bad(
        'PATH_CHARACTER',
        `the name '${segment}' contains ${describeCharacter(offending)}; only letters, digits, '.', '_' and '-' are allowed`,
        "rename the file, e.g. replace spaces with '_'",
      );
    }
  }
  return { ok: true };
}

function describeCharacter(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
  return `'${ch}' (U+${code})`;
}
