// The pull-request check of a submission's files: where the bucket its manifest names is reachable, every object
// the manifest lists must be there with the size the manifest says. Presence and size only (one listing of the
// entry's prefix, no bytes read), so it runs in seconds on any pull request; fixity is `mirror verify`'s job.
// Problems point at the manifest's own line: `manifest.json:12:7 #/files/3/size OBJECT_WRONG_SIZE ...`.
import { checkObjectPath } from '../catalog/checks/paths.ts';
import type { Problem } from '../catalog/problems.ts';
import type { Manifest } from '../schemas/index.ts';
import { hasCode, messageOf } from './errors.ts';
import { manifestObjects } from './manifest-objects.ts';
import { runTasks } from './run-tasks.ts';
import type { ObjectStore } from './store.ts';

export interface ObjectCheckOptions {
  /** The manifest's file name as shown in problems. */
  file: string;
  /** Line and column of a JSON pointer in that file (catalog/source.ts SourceDocument.locate). */
  locate?: (pointer: string) => { line?: number; column?: number };
  /** HEAD requests in flight when the store cannot be listed (HTTP mirrors); default 8. */
  concurrency?: number;
}

export interface ObjectCheckResult {
  /** Objects whose presence and size were checked. */
  checked: number;
  problems: Problem[];
  /** Set when the store could not be reached: nothing was checked (a warning, not a failure). */
  unavailable?: string;
}

/** The sizes of the objects under `prefix`: one listing, or a HEAD per key when the store cannot list. */
async function sizesOf(
  store: ObjectStore,
  prefix: string,
  keys: string[],
  concurrency: number,
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  try {
    for await (const info of store.list(prefix)) sizes.set(info.key, info.size);
    return sizes;
  } catch (error) {
    if (!hasCode(error, 'LIST_UNSUPPORTED')) throw error;
  }
  const run = await runTasks(
    keys,
    async (key) => {
      const info = await store.head(key);
      if (info) sizes.set(key, info.size);
    },
    { concurrency },
  );
  if (run.fatal) throw run.fatal;
  return sizes;
}

export async function checkObjectSizes(
  manifest: Manifest,
  store: ObjectStore,
  options: ObjectCheckOptions,
): Promise<ObjectCheckResult> {
  const at = (pointer: string) => ({ file: options.file, ...(options.locate?.(pointer) ?? {}), pointer });
  const prefix = manifest.location.prefix;
  // Unsafe paths are the manifest check's finding (catalog/checks/paths.ts); they are never requested here.
  const safe = manifestObjects(manifest)
    .map((file) => ({ file }))
    .filter(({ file }) => checkObjectPath(file.path).ok);
  let sizes: Map<string, number>;
  try {
    sizes = await sizesOf(
      store,
      prefix,
      safe.map(({ file }) => prefix + file.path),
      options.concurrency ?? 8,
    );
  } catch (error) {
    if (hasCode(error, 'MIRROR_UNAVAILABLE', 'CREDENTIALS_MISSING')) {
      return { checked: 0, problems: [], unavailable: messageOf(error) };
    }
    throw error;
  }
  const problems: Problem[] = [];
  for (const { file } of safe) {
    const size = sizes.get(prefix + file.path);
    if (size === undefined) {
      problems.push({
        ...at(`${file.pointer}/path`),
        code: 'OBJECT_MISSING',
        message: `${store.id} has no object ${prefix}${file.path}`,
        fix:
          "upload the entry's files: " +
          `\`catalogue upload <accession> --files <folder> --mirror ${store.id}\`, or correct the path`,
        severity: 'error',
      });
    } else if (size !== file.size) {
      problems.push({
        ...at(`${file.pointer}/size`),
        code: 'OBJECT_WRONG_SIZE',
        message: `${store.id} holds ${size} bytes at ${prefix}${file.path}; the manifest says ${file.size}`,
        fix: 'upload the file again, or regenerate the manifest from the files you meant (`catalogue manifest create`)',
        severity: 'error',
      });
    }
  }
  return { checked: safe.length, problems };
}
