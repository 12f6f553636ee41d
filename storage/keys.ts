// Object keys. A manifest is untrusted: every path goes through the catalogue's own path rule
// (catalog/checks/paths.ts) before it becomes a key, so no key can climb out of its prefix or bucket.
import { checkObjectPath } from '../catalog/checks/paths.ts';
import { UnsafeKeyError } from './errors.ts';

/** Throws UnsafeKeyError unless `path` is a safe relative object path. */
export function assertSafePath(path: string): void {
  const verdict = checkObjectPath(path);
  if (!verdict.ok)
    throw new UnsafeKeyError(
      path,
      verdict.code,
      `unsafe path '${printable(path)}': ${verdict.message} (${verdict.code}). Fix: ${verdict.fix}`,
    );
}

/** Throws unless `prefix` is '' or safe path segments each followed by '/'. */
export function assertSafePrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/'))
    throw new UnsafeKeyError(prefix, 'PREFIX_SLASH', `the prefix '${printable(prefix)}' must end with '/'`);
  assertSafePath(prefix.slice(0, -1));
}

/** The key of `path` under the joined prefixes; every part is checked. */
export function objectKey(path: string, ...prefixes: string[]): string {
  for (const prefix of prefixes) assertSafePrefix(prefix);
  assertSafePath(path);
  return prefixes.join('') + path;
}

/**
 * The problem to report for an untrusted manifest path that is not a safe object path (undefined when it is safe):
 * the file is skipped, never requested or written. `action` completes the message, e.g. "not uploaded".
 */
export function unsafePathProblem(
  path: string,
  action: string,
): { path: string; code: 'UNSAFE_PATH'; message: string } | undefined {
  const verdict = checkObjectPath(path);
  return verdict.ok
    ? undefined
    : { path: printable(path), code: 'UNSAFE_PATH', message: `${verdict.message} (${verdict.code}); ${action}` };
}

/** A path shown in a message: control characters escaped so a hostile name cannot rewrite or reorder the terminal. */
export function printable(text: string): string {
  // C0, DEL, C1 and the bidirectional formatting characters, as catalog/checks/paths.ts refuses them.
  return text
    .replace(
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .slice(0, 300);
}
