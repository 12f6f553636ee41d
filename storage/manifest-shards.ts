// Partial manifests: `manifest create --shard K/N` measures the files of one shard and writes them under a
// `partial` marker that the manifest schema refuses (additionalProperties: false), so that a part can never pass for
// a whole manifest; `manifest create --merge` checks that the parts are every shard of one split of one folder and
// writes the manifest one run writes, byte for byte. Parts come from other jobs: each is read as untrusted.
import type { Problem } from '../catalog/problems.ts';
import type { SourceDocument } from '../catalog/source.ts';
import { locateFindings, manifestFindings } from '../catalog/validate.ts';
import type { Manifest } from '../schemas/index.ts';
import { compareManifestPaths, listingDigest, type PartialMarker } from './manifest.ts';
import { isPlainObject, partProblem, readPartDocument } from './shard-part-file.ts';
import { formatShard, parseShard, type Shard } from './shards.ts';

export interface PartialManifest {
  /** The file it was read from, for the problem lines. */
  file: string;
  shard: Shard;
  marker: PartialMarker;
  manifest: Manifest;
  document: SourceDocument;
}

const writeFix = 'write each part with `catalogue manifest create FOLDER --shard K/N --out part-K.json`';

/** Reads one part; its problems carry file, line and pointer (a broken part is refused, never half-read). */
export async function readPartialManifest(
  path: string,
  file = path,
): Promise<{ part?: PartialManifest; problems: Problem[] }> {
  const { document, problems: unreadable } = await readPartDocument(path, file, writeFix);
  if (!document) return { problems: unreadable };
  const data = document.data as Record<string, unknown> | null;
  const marker = isPlainObject(data) ? toMarker(data.partial) : undefined;
  if (!isPlainObject(data) || !marker) {
    const message = 'is not a partial manifest: `partial` must be {shard: "K/N", files, listing}';
    return { problems: locate(document, [partProblem(file, '/partial', 'PARTIAL_MARKER_INVALID', message, writeFix)]) };
  }
  const { partial: _marker, ...manifest } = data;
  const problems = locateFindings(document, manifestFindings(manifest)).filter((p) => p.severity === 'error');
  if (problems.length > 0) return { problems };
  return {
    part: { file, shard: parseShard(marker.shard), marker, manifest: manifest as unknown as Manifest, document },
    problems: [],
  };
}

function toMarker(value: unknown): PartialMarker | undefined {
  if (!isPlainObject(value) || typeof value.shard !== 'string') return undefined;
  try {
    parseShard(value.shard);
  } catch {
    return undefined;
  }
  const files = value.files;
  if (!Number.isSafeInteger(files) || (files as number) < 0) return undefined;
  if (typeof value.listing !== 'string' || !/^[0-9a-f]{64}$/.test(value.listing)) return undefined;
  return { shard: value.shard, files: files as number, listing: value.listing };
}

const locate = (document: SourceDocument, problems: Problem[]) =>
  problems.map((p) => ({ ...p, ...document.locate(p.pointer) }));

/**
 * The whole manifest from the parts of every shard of one split, or the problems that stop the merge: a shard
 * missing or given twice, parts of different splits, of different locations or folders, a path in two parts.
 */
export function mergePartialManifests(parts: readonly PartialManifest[]): { manifest?: Manifest; problems: Problem[] } {
  if (parts.length === 0) return { problems: [] };
  const [first] = parts;
  const count = first.shard.count;
  const problems: Problem[] = [];
  const at = (part: PartialManifest, pointer: string, code: string, message: string, fix: string) =>
    problems.push({ ...partProblem(part.file, pointer, code, message, fix), ...part.document.locate(pointer) });
  const byIndex = new Map<number, PartialManifest>();
  for (const part of parts) {
    if (part.shard.count !== count) {
      at(
        part,
        '/partial/shard',
        'SHARD_SPLITS_DIFFER',
        `is shard ${part.marker.shard}, but ${first.file} is shard ${first.marker.shard}: a split into ${count}`,
        'merge the parts of one run of N jobs, all made with the same N',
      );
      continue;
    }
    const twin = byIndex.get(part.shard.index);
    if (twin)
      at(
        part,
        '/partial/shard',
        'SHARD_GIVEN_TWICE',
        `is shard ${part.marker.shard}, and so is ${twin.file}`,
        'give the part of each shard once',
      );
    else byIndex.set(part.shard.index, part);
    const { mirror, prefix } = part.manifest.location;
    if (mirror !== first.manifest.location.mirror || prefix !== first.manifest.location.prefix)
      at(
        part,
        '/location',
        'SHARD_LOCATION_DIFFERS',
        `says mirror '${mirror}' and prefix '${prefix}', but ${first.file} says mirror ` +
          `'${first.manifest.location.mirror}' and prefix '${first.manifest.location.prefix}'`,
        'run every shard with the same --prefix and --mirror',
      );
    if (part.marker.listing !== first.marker.listing || part.marker.files !== first.marker.files)
      at(
        part,
        '/partial/listing',
        'SHARD_FOLDER_DIFFERS',
        `was measured from a folder of ${part.marker.files} files, ${first.file} from another of ` +
          `${first.marker.files} files (another folder, or the folder changed between the jobs)`,
        'run every shard on the same folder, left unchanged until the last job is done',
      );
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    at(
      first,
      '/partial/shard',
      'SHARD_MISSING',
      `is of a split into ${count}, and shard(s) ${missing.map((i) => formatShard({ index: i, count })).join(', ')} ` +
        'are not given',
      `give the part of every shard 1/${count} to ${count}/${count}, e.g. part-*.json`,
    );
  const owner = new Map<string, PartialManifest>();
  for (const part of byIndex.values())
    part.manifest.files.forEach((file, index) => {
      const other = owner.get(file.path);
      if (other)
        at(
          part,
          `/files/${index}/path`,
          'SHARD_PATH_TWICE',
          `'${file.path}' is also in ${other.file} (shard ${other.marker.shard})`,
          'make the parts again, every shard with the same version of the catalogue',
        );
      else owner.set(file.path, part);
    });
  if (problems.length > 0) return { problems };
  const files = [...byIndex.values()]
    .flatMap((part) => part.manifest.files)
    .sort((a, b) => compareManifestPaths(a.path, b.path));
  // The parts are whole only if together they list exactly the folder every job saw.
  if (files.length !== first.marker.files || listingDigest(files.map((f) => f.path)) !== first.marker.listing) {
    at(
      first,
      '/partial/listing',
      'SHARD_FILES_INCOMPLETE',
      `the parts list ${files.length} files, not the ${first.marker.files} files of the folder the jobs measured`,
      'make the parts again, every shard with the same version of the catalogue',
    );
    return { problems };
  }
  const { mirror, prefix } = first.manifest.location;
  return { manifest: { schemaVersion: first.manifest.schemaVersion, location: { mirror, prefix }, files }, problems };
}
