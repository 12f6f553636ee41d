// The manifest a command works on, named as `previews` and `convert` take it: an accession of the catalogue, an
// entry folder (its manifest.json) or a manifest file; read with its problems printed, and the mirror that holds
// the entry's files opened (the manifest's own, location.mirror, unless --mirror names another).
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { accessionPattern } from '../../catalog/accession.ts';
import { entriesDir, manifestFile } from '../../catalog/layout.ts';
import { formatProblem } from '../../catalog/problems.ts';
import type { Manifest } from '../../schemas/index.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { findMirror, loadMirrors, openStore } from '../../storage/mirrors.ts';
import type { ObjectStore } from '../../storage/store.ts';
import type { CommandContext } from '../command.ts';

/** The manifest file an argument names. */
export async function manifestFileOf(argument: string, catalog: string): Promise<string> {
  if (accessionPattern.test(argument)) return join(catalog, entriesDir, argument, manifestFile);
  const path = resolve(argument);
  return (await stat(path).catch(() => undefined))?.isDirectory() ? join(path, manifestFile) : path;
}

export interface EntryManifest {
  path: string;
  manifest: Manifest;
  store: ObjectStore;
}

/** The manifest and its mirror, or undefined when the manifest has errors (printed to standard error). */
export async function openEntryManifest(
  argument: string,
  values: { mirror?: string; mirrors?: string },
  context: CommandContext,
): Promise<EntryManifest | undefined> {
  const path = await manifestFileOf(argument, context.catalog);
  const read = await readManifestFile(path);
  for (const problem of read.problems) context.stderr.write(formatProblem(problem) + '\n');
  if (!read.manifest) return undefined;
  const config = await loadMirrors(values.mirrors ? resolve(values.mirrors) : undefined);
  const store = openStore(findMirror(config, values.mirror ?? read.manifest.location.mirror), config);
  return { path, manifest: read.manifest, store };
}
