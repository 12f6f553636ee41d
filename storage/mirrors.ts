// storage/mirrors.yaml: the buckets that hold the catalogue's files, checked against schemas/mirror.schema.json.
// Credentials are never in the file, only the names of the environment variables that hold them.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceFileError } from '../catalog/errors.ts';
import { formatProblem, joinPointer, sourceProblem, type Problem } from '../catalog/problems.ts';
import { decodeSource, parseSource } from '../catalog/source.ts';
import { locateFindings, schemaFindings, type Finding } from '../catalog/validate.ts';
import type { Mirror, Mirrors } from '../schemas/index.ts';
import { MirrorConfigError, MissingCredentialsError } from './errors.ts';
import { createFolderStore } from './folder-store.ts';
import { createS3Client, createS3Store } from './s3-store.ts';
import type { ObjectStore } from './store.ts';

export type { Mirror };

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
/** The repository's mirrors file; `CATALOGUE_MIRRORS` or `--mirrors FILE` point elsewhere. */
export const defaultMirrorsFile = resolve(repositoryRoot, 'storage', 'mirrors.yaml');

export interface MirrorsConfig {
  file: string;
  mirrors: Mirror[];
  /** Folder that relative `path`s are resolved against (the repository root). */
  base: string;
}

/** Problems in a mirrors file beyond its schema: unique ids, one primary. */
function mirrorsFindings(data: unknown): Finding[] {
  const out = schemaFindings('mirror', data);
  const mirrors = (data as Mirrors | null)?.mirrors;
  if (!Array.isArray(mirrors)) return out;
  const seen = new Map<string, number>();
  mirrors.forEach((mirror, i) => {
    if (typeof mirror?.id !== 'string') return;
    if (seen.has(mirror.id))
      out.push({
        pointer: joinPointer('mirrors', i, 'id'),
        code: 'MIRROR_DUPLICATE',
        message: `the id '${mirror.id}' is used twice (also item ${seen.get(mirror.id)! + 1})`,
        fix: 'give every mirror its own id',
        severity: 'error',
      });
    else seen.set(mirror.id, i);
  });
  const primaries = mirrors.filter((m) => m?.role === 'primary').length;
  if (primaries !== 1)
    out.push({
      pointer: '/mirrors',
      code: 'PRIMARY_COUNT',
      message: `${primaries} mirrors have role primary; exactly one must`,
      fix: 'mark the mirror holding the copy of record `role: primary`, the others `role: mirror`',
      severity: 'error',
    });
  return out;
}

/** Reads and checks a mirrors file; throws MirrorConfigError listing every problem, one per line. */
export async function loadMirrors(
  file = process.env.CATALOGUE_MIRRORS || defaultMirrorsFile,
  base = repositoryRoot,
): Promise<MirrorsConfig> {
  const shown = relative(process.cwd(), file) || file;
  let problems: Problem[];
  let data: unknown;
  try {
    const document = parseSource(shown, decodeSource(shown, await readFile(file)));
    data = document.data;
    problems = locateFindings(document, mirrorsFindings(data));
  } catch (error) {
    if (error instanceof SourceFileError)
      throw new MirrorConfigError(error.code, shown, formatProblem(sourceProblem(error)), error.line);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new MirrorConfigError(
        'MIRRORS_FILE_MISSING',
        shown,
        `${shown} does not exist; create it (see README, "Run a mirror") or point --mirrors / CATALOGUE_MIRRORS at one`,
      );
    throw error;
  }
  if (problems.length > 0)
    throw new MirrorConfigError(
      'MIRRORS_INVALID',
      shown,
      `${shown} is invalid:\n${problems.map(formatProblem).join('\n')}`,
      problems[0].line,
    );
  return { file, mirrors: (data as Mirrors).mirrors, base };
}

export function findMirror(config: MirrorsConfig, id: string): Mirror {
  const mirror = config.mirrors.find((m) => m.id === id);
  if (!mirror)
    throw new MirrorConfigError(
      'MIRROR_UNKNOWN',
      config.file,
      `no mirror '${id}' in ${relative(process.cwd(), config.file) || config.file}; ` +
        `known: ${config.mirrors.map((m) => m.id).join(', ')}`,
    );
  return mirror;
}

export function primaryMirror(config: MirrorsConfig): Mirror {
  return config.mirrors.find((m) => m.role === 'primary')!;
}

/** The credentials of an s3 mirror from the environment; throws MissingCredentialsError naming the variable. */
export function credentialsOf(
  mirror: Mirror,
  env: NodeJS.ProcessEnv = process.env,
): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!mirror.credentials) return undefined;
  const accessKeyId = env[mirror.credentials.accessKeyIdEnv];
  if (!accessKeyId) throw new MissingCredentialsError(mirror.id, mirror.credentials.accessKeyIdEnv);
  const secretAccessKey = env[mirror.credentials.secretAccessKeyEnv];
  if (!secretAccessKey) throw new MissingCredentialsError(mirror.id, mirror.credentials.secretAccessKeyEnv);
  return { accessKeyId, secretAccessKey };
}

/** The folder of a folder mirror (relative paths are relative to the repository root). */
export function folderOf(mirror: Mirror, base: string): string {
  return isAbsolute(mirror.path!) ? mirror.path! : resolve(base, mirror.path!);
}

/** Opens a mirror as an ObjectStore. */
export function openStore(
  mirror: Mirror,
  config: Pick<MirrorsConfig, 'base'>,
  env: NodeJS.ProcessEnv = process.env,
): ObjectStore {
  if (mirror.kind === 'folder')
    return createFolderStore({ id: mirror.id, root: folderOf(mirror, config.base), prefix: mirror.prefix ?? '' });
  const client = createS3Client({
    endpoint: mirror.endpoint,
    region: mirror.region,
    credentials: credentialsOf(mirror, env),
  });
  return createS3Store({ id: mirror.id, client, bucket: mirror.bucket!, prefix: mirror.prefix ?? '' });
}
