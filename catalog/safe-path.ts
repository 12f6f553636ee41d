// Mint and withdraw write into entries/<ACCESSION>/ and the ledger. A link committed into the catalogue (say
// submissions/x/versions -> ../../entries/<ACCESSION>/versions) would otherwise carry those writes into another
// entry's history or out of the repository, so every path written is checked with lstat, never stat: each folder
// on the way from the catalogue root must be a real folder, and the file itself a regular file or absent.
import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { CatalogError } from './errors.ts';

async function lstatOrNothing(path: string) {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Throws CatalogError (PATH_OUTSIDE, SYMLINK_REFUSED, NOT_A_FOLDER, NOT_A_FILE) unless `path` lies inside `root`
 * and is reached through real folders only, ending at a regular file or at nothing yet. `root` itself is trusted
 * (it may legitimately sit behind a link, e.g. a temporary folder). `kind: 'folder'` expects a folder at `path`.
 */
export async function assertRealPath(root: string, path: string, kind: 'file' | 'folder' = 'file'): Promise<void> {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
    throw new CatalogError('PATH_OUTSIDE', `${path} is not inside the catalogue ${root}; nothing was written there`);
  }
  const parts = rel.split(sep);
  let current = root;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const stats = await lstatOrNothing(current);
    if (!stats) return; // the rest is created as real folders by mkdir
    const last = index === parts.length - 1;
    if (stats.isSymbolicLink())
      throw new CatalogError(
        'SYMLINK_REFUSED',
        `${relative(root, current)} is a symbolic link; ` +
          'the catalogue never writes through one (replace it with the real file or folder)',
      );
    if ((!last || kind === 'folder') && !stats.isDirectory())
      throw new CatalogError('NOT_A_FOLDER', `${relative(root, current)} is not a folder`);
    if (last && kind === 'file' && !stats.isFile())
      throw new CatalogError('NOT_A_FILE', `${relative(root, current)} is not a regular file`);
  }
}

/**
 * Throws CatalogError (SYMLINK_REFUSED, SPECIAL_FILE) when anything under `folder`, at any depth, is a link or not a
 * regular file or folder.
 */
export async function assertNoLinks(root: string, folder: string): Promise<void> {
  await assertRealPath(root, folder, 'folder');
  for (const dirent of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, dirent.name);
    if (dirent.isSymbolicLink())
      throw new CatalogError(
        'SYMLINK_REFUSED',
        `${relative(root, path)} is a symbolic link; ` +
          'the catalogue never writes through one (replace it with the real file or folder)',
      );
    if (dirent.isDirectory()) await assertNoLinks(root, path);
    else if (!dirent.isFile())
      throw new CatalogError('SPECIAL_FILE', `${relative(root, path)} is not a regular file or folder`);
  }
}
