// File download links and bulk download commands for an entry, from the storage layer (storage/downloads.ts:
// public URLs per mirror, copy-paste commands) and the mirror list (storage/mirrors.yaml or CATALOGUE_MIRRORS).
import type { Manifest, Mirror } from '../../schemas/index.ts';
import { bulkDownloadCommands, downloadLinks } from '../../storage/downloads.ts';
import { loadMirrors } from '../../storage/mirrors.ts';

export interface FileLink {
  path: string;
  size: number;
  sha256: string;
  format: string;
  role: string;
  /** A public HTTP(S) address of the file, on the first public mirror (primary first). */
  url?: string;
}

export interface BulkCommand {
  /** What the command uses, e.g. "aws (mirror eu)". */
  label: string;
  command: string;
}

export interface Downloads {
  files: FileLink[];
  bulk: BulkCommand[];
}

/** Above this many files the sha256sum check command (one line per file) is left to the JSON record. */
const checkCommandFileLimit = 100;

/**
 * The mirrors, or [] with a reason when the mirrors file is missing or invalid: the site still builds and shows
 * paths, sizes and checksums without links (`catalogue mirror` commands report the file's problems).
 */
export async function readMirrors(): Promise<{ mirrors: Mirror[]; warning?: string }> {
  try {
    return { mirrors: (await loadMirrors()).mirrors };
  } catch (error) {
    return { mirrors: [], warning: `no download links: ${(error as Error).message}` };
  }
}

const isHttp = (url: unknown): url is string => typeof url === 'string' && /^https?:\/\//i.test(url);

export function downloadsFor(manifest: Manifest | undefined, mirrors: readonly Mirror[], accession: string): Downloads {
  if (!manifest) return { files: [], bulk: [] };
  const urls = new Map<string, string>();
  for (const link of downloadLinks(manifest, mirrors))
    if (!urls.has(link.path) && isHttp(link.url)) urls.set(link.path, link.url);
  const files = manifest.files.map((f) => ({
    path: f.path,
    size: f.size,
    sha256: f.sha256,
    format: f.format,
    role: f.role,
    ...(urls.has(f.path) ? { url: urls.get(f.path) } : {}),
  }));
  const bulk = bulkDownloadCommands(accession, manifest, mirrors)
    .filter((c) => c.tool !== 'sha256sum' || (manifest.files.length <= checkCommandFileLimit && urls.size > 0))
    .map((c) => ({
      label:
        c.tool === 'sha256sum'
          ? 'Check the files you downloaded'
          : `${c.tool}${c.mirror ? ` (mirror ${c.mirror})` : ''}`,
      command: c.command,
    }));
  return { files, bulk };
}
