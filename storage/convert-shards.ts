// The conversions of one shard (`convert --shard K/N --out FILE`) and their merge into the manifest
// (`convert --merge`). Each job writes a part file of its own and one merge step lists them all, rather than each
// job rewriting the manifest: the jobs of a CI matrix run on separate machines, each with its own checkout, so a
// read-merge-write of the manifest could not see the others' work, and on one shared disk two jobs would race
// between the read and the rename and one would lose the other's conversions. A part file per job is correct in
// both places. Parts come from other jobs: each is read as untrusted.
import { createHash } from 'node:crypto';
import type { Problem } from '../catalog/problems.ts';
import type { SourceDocument } from '../catalog/source.ts';
import { locateFindings, manifestFindings } from '../catalog/validate.ts';
import type { DerivedFile, Manifest } from '../schemas/index.ts';
import { listConversion, type ConvertResult } from './convert.ts';
import { isPlainObject, partProblem, readPartDocument } from './shard-part-file.ts';
import { formatShard, inShard, parseShard, type Shard } from './shards.ts';

/** What a part says of itself: its shard, the recipe of its conversions and the originals they are of. */
export interface ConvertPartMarker {
  /** `K/N`. */
  shard: string;
  /** The recipe of every conversion of the part, e.g. `ome-zarr@1`. */
  recipe: string;
  /** originalsDigest of the manifest the job converted from. */
  originals: string;
}

/** A part file: the images this shard converted and every file of their conversions. */
export interface ConvertPart {
  partial: ConvertPartMarker;
  converted: string[];
  derived: DerivedFile[];
}

/** sha256 of the manifest's location and each file's path and sha256: what the conversions were made of. */
export function originalsDigest(manifest: Manifest): string {
  const originals = manifest.files.map((file) => [file.path, file.sha256]);
  return createHash('sha256')
    .update(JSON.stringify([manifest.location.mirror, manifest.location.prefix, originals]))
    .digest('hex');
}

/** The part of one shard's run: the images it converted and the derived files listed for them. */
export function convertPartOf(before: Manifest, result: ConvertResult, shard: Shard, recipe: string): ConvertPart {
  const converted = new Set(result.converted);
  const derived = (result.manifest.derived ?? []).filter((item) => converted.has(item.of) && item.recipe === recipe);
  return {
    partial: { shard: formatShard(shard), recipe, originals: originalsDigest(before) },
    converted: [...result.converted],
    derived,
  };
}

export const renderConvertPart = (part: ConvertPart) => JSON.stringify(part, null, 2) + '\n';

interface ReadPart {
  file: string;
  shard: Shard;
  part: ConvertPart;
  document: SourceDocument;
}

const writeFix = 'write each part with `catalogue convert ENTRY --shard K/N --out convert-K.json`';

function shapeOf(data: unknown): { pointer: string; shard?: Shard } {
  if (!isPlainObject(data)) return { pointer: '' };
  const marker = data.partial;
  if (!isPlainObject(marker) || typeof marker.recipe !== 'string' || typeof marker.originals !== 'string')
    return { pointer: '/partial' };
  let shard: Shard;
  try {
    shard = parseShard(String(marker.shard));
  } catch {
    return { pointer: '/partial/shard' };
  }
  if (!Array.isArray(data.converted) || !data.converted.every((path) => typeof path === 'string'))
    return { pointer: '/converted' };
  if (!Array.isArray(data.derived)) return { pointer: '/derived' };
  return { pointer: '', shard };
}

/** Reads one part; a broken part is refused with its problems, never half-read. */
export async function readConvertPart(path: string, file = path): Promise<{ part?: ReadPart; problems: Problem[] }> {
  const { document, problems: unreadable } = await readPartDocument(path, file, writeFix);
  if (!document) return { problems: unreadable };
  const { pointer, shard } = shapeOf(document.data);
  if (!shard) {
    const message = 'is not the part of a conversion shard: {partial: {shard, recipe, originals}, converted, derived}';
    return {
      problems: [
        { ...partProblem(file, pointer, 'CONVERT_PART_INVALID', message, writeFix), ...document.locate(pointer) },
      ],
    };
  }
  return { part: { file, shard, part: document.data as ConvertPart, document }, problems: [] };
}

/**
 * The manifest with the conversions of every part listed, exactly as one run over all the images lists them; or
 * the problems that stop the merge (nothing is listed then). `manifestFile` names the manifest in problem lines.
 */
export function mergeConvertParts(
  manifest: Manifest,
  manifestFile: string,
  parts: readonly ReadPart[],
): { manifest?: Manifest; problems: Problem[] } {
  const problems: Problem[] = [];
  if (parts.length === 0) return { problems };
  const at = (part: ReadPart, pointer: string, code: string, message: string, fix: string) =>
    problems.push({ ...partProblem(part.file, pointer, code, message, fix), ...part.document.locate(pointer) });
  const [first] = parts;
  const count = first.shard.count;
  const originals = originalsDigest(manifest);
  const paths = new Set(manifest.files.map((file) => file.path));
  const byIndex = new Map<number, ReadPart>();
  const owner = new Map<string, ReadPart>();
  for (const read of parts) {
    const { partial, converted, derived } = read.part;
    if (read.shard.count !== count) {
      at(
        read,
        '/partial/shard',
        'SHARD_SPLITS_DIFFER',
        `is shard ${partial.shard}, but ${first.file} is shard ${first.part.partial.shard}: a split into ${count}`,
        'merge the parts of one run of N jobs, all made with the same N',
      );
      continue;
    }
    const twin = byIndex.get(read.shard.index);
    if (twin) {
      at(
        read,
        '/partial/shard',
        'SHARD_GIVEN_TWICE',
        `is shard ${partial.shard}, and so is ${twin.file}`,
        'give the part of each shard once',
      );
      continue;
    }
    byIndex.set(read.shard.index, read);
    if (partial.recipe !== first.part.partial.recipe)
      at(
        read,
        '/partial/recipe',
        'SHARD_RECIPES_DIFFER',
        `holds ${partial.recipe} conversions, ${first.file} ${first.part.partial.recipe}`,
        'run every shard with the same --ngff',
      );
    if (partial.originals !== originals)
      at(
        read,
        '/partial/originals',
        'SHARD_MANIFEST_DIFFERS',
        `was converted from other files than ${manifestFile} lists now (a file was added, removed or changed)`,
        'run the shards again on the manifest as it is',
      );
    converted.forEach((path, index) => {
      const pointer = `/converted/${index}`;
      const other = owner.get(path);
      if (!paths.has(path))
        at(
          read,
          pointer,
          'SHARD_PATH_UNKNOWN',
          `'${path}' is not a file of ${manifestFile}`,
          'run the shards again on the manifest as it is',
        );
      else if (other)
        at(
          read,
          pointer,
          'SHARD_PATH_TWICE',
          `'${path}' is also in ${other.file} (shard ${other.part.partial.shard})`,
          'make the parts again, every shard with the same N',
        );
      else if (!inShard(path, read.shard))
        at(
          read,
          pointer,
          'SHARD_PATH_MISPLACED',
          `'${path}' belongs to another shard than ${partial.shard}`,
          'make the parts again with `catalogue convert --shard`',
        );
      owner.set(path, other ?? read);
    });
    const mine = new Set(converted);
    derived.forEach((item, index) => {
      if (!isPlainObject(item) || !mine.has(item.of as string) || item.recipe !== partial.recipe)
        at(
          read,
          `/derived/${index}`,
          'DERIVED_NOT_CONVERTED',
          `is not a file of a conversion this part lists (\`of\` in \`converted\`, recipe ${partial.recipe})`,
          'make the parts again with `catalogue convert --shard`',
        );
    });
    // Each derived file is checked as the manifest will hold it (schema, safe path, `of` a file of the manifest).
    const findings = manifestFindings({ ...manifest, derived }).filter(
      (f) => f.severity === 'error' && f.pointer.startsWith('/derived/'),
    );
    problems.push(...locateFindings(read.document, findings));
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    at(
      first,
      '/partial/shard',
      'SHARD_MISSING',
      `is of a split into ${count}, and shard(s) ${missing.map((i) => formatShard({ index: i, count })).join(', ')} ` +
        'are not given',
      `give the part of every shard 1/${count} to ${count}/${count}, e.g. convert-*.json`,
    );
  if (problems.length > 0) return { problems };
  // Replayed in the manifest's order of files, as one run converts them, so the result is that run's to the byte.
  const byOriginal = new Map<string, DerivedFile[]>();
  for (const { part } of byIndex.values()) {
    for (const path of part.converted) byOriginal.set(path, []);
    for (const item of part.derived) byOriginal.get(item.of)!.push(item);
  }
  let merged = manifest;
  for (const file of manifest.files) {
    const derived = byOriginal.get(file.path);
    if (derived) merged = listConversion(merged, file.path, first.part.partial.recipe, derived);
  }
  return { manifest: merged, problems };
}
