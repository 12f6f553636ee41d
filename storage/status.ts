// <catalog>/mirror-status.json: one record per mirror for the site to show (objects, bytes, last sync, last
// audit, problems). Each command updates its own mirror's record and keeps the others'; written atomically.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../catalog/atomic-write.ts';
import { tooDeepPointer } from '../catalog/source.ts';
import type { Finding } from './fixity.ts';

export const statusFile = 'mirror-status.json';

export interface MirrorStatus {
  id: string;
  kind: 'folder' | 's3';
  role: 'primary' | 'mirror';
  /** Public base URL for downloads, when the mirror has one. */
  publicBaseUrl?: string;
  /** Did the mirror answer in the last run that touched it? */
  available: boolean;
  /** Objects and bytes the catalogue expects on the mirror (at the last audit or sync). */
  objects: number;
  bytes: number;
  lastSync?: {
    at: string;
    from: string;
    copied: number;
    bytesCopied: number;
    deleted: number;
    failed: number;
    ok: boolean;
    via: string;
  };
  lastAudit?: {
    at: string;
    sample: number;
    objectsRead: number;
    bytesRead: number;
    problems: number;
    byCode: Record<string, number>;
    ok: boolean;
  };
  /** The first problems of the last audit (at most 100), for the site. */
  problems: Finding[];
  /** Why the mirror was unavailable, when it was. */
  error?: string;
}

export interface MirrorStatusFile {
  schemaVersion: 1;
  updatedAt: string;
  mirrors: MirrorStatus[];
}

export async function readStatus(catalog: string): Promise<MirrorStatusFile> {
  const empty: MirrorStatusFile = { schemaVersion: 1, updatedAt: new Date(0).toISOString(), mirrors: [] };
  let file: unknown;
  try {
    file = JSON.parse(await readFile(join(catalog, statusFile), 'utf8'));
  } catch {
    return empty;
  }
  // The file lives in the catalogue, where a pull request can change it: any shape or depth may come back, and it
  // is written again with JSON.stringify, which overflows the stack on data nested thousands deep.
  const mirrors = (file as { mirrors?: unknown } | null)?.mirrors;
  if (tooDeepPointer(file) !== undefined || typeof file !== 'object' || !Array.isArray(mirrors)) return empty;
  return {
    ...(file as MirrorStatusFile),
    mirrors: mirrors.filter((m): m is MirrorStatus => typeof m === 'object' && m !== null && !Array.isArray(m)),
  };
}

/** Applies `update` to the record of each mirror named, creating it when new, and writes the file. */
export async function updateStatus(
  catalog: string,
  updates: Array<Pick<MirrorStatus, 'id' | 'kind' | 'role'> & Partial<MirrorStatus>>,
  now = new Date(),
): Promise<MirrorStatusFile> {
  const file = await readStatus(catalog);
  for (const update of updates) {
    const existing = file.mirrors.find((m) => m.id === update.id);
    const merged: MirrorStatus = { available: true, objects: 0, bytes: 0, problems: [], ...existing, ...update };
    if (merged.available) delete merged.error;
    if (existing) file.mirrors[file.mirrors.indexOf(existing)] = merged;
    else file.mirrors.push(merged);
  }
  file.mirrors.sort((a, b) => (a.id < b.id ? -1 : 1));
  file.updatedAt = now.toISOString();
  await writeFileAtomic(join(catalog, statusFile), JSON.stringify(file, null, 2) + '\n');
  return file;
}
