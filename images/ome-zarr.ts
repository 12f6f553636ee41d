// OME-Zarr (OME-NGFF 0.4 and 0.5) from its JSON metadata, never its chunks. 0.5 keeps the metadata under
// `attributes.ome` of zarr.json (Zarr v3) and the array's shape and `data_type` in the array's zarr.json; 0.4 keeps
// it in `.zattrs` and the array's shape and numpy `dtype` in `.zarray` (Zarr v2). The image's axes come from
// `multiscales[0].axes` (§"axes metadata"), their physical size from the scale of the first dataset, the
// full-resolution level (§"multiscales metadata": datasets ordered from largest to smallest), times the
// multiscale's own scale when it has one; channels from `omero.channels`; labels from the `labels` group
// (§"labels metadata"), plates from `plate` (§"plate metadata"), bioformats2raw layouts from
// `bioformats2raw.layout` (§"bf2raw"). The metadata is checked against the official schemas (ngff-validate.ts).
import { ImageReadError } from './errors.ts';
import { fitMetadata } from './fit-metadata.ts';
import { validateNgff, type NgffKind, type NgffVersion } from './ngff-validate.ts';
import type { ImageAxis, ImageChannel, ImageMetadata, PixelType } from './types.ts';
import { unitName } from './units.ts';

/** Reads a file of the OME-Zarr folder by its path relative to the folder; undefined when there is none. */
export type ReadZarrFile = (path: string) => Promise<string | undefined>;

/** Something in the metadata that breaks the OME-NGFF schema: the file, a JSON pointer into it, what and the fix. */
export interface ZarrProblem {
  file: string;
  pointer: string;
  message: string;
  fix: string;
}

export interface OmeZarrResult {
  metadata: ImageMetadata;
  problems: ZarrProblem[];
}

/** A JSON file of the folder is read only up to this size (a real multiscales document is a few kilobytes). */
const maxJsonChars = 4 * 1024 * 1024;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function readJson(read: ReadZarrFile, path: string): Promise<Json | undefined> {
  const text = await read(path);
  if (text === undefined) return undefined;
  if (text.length > maxJsonChars)
    throw new ImageReadError('TOO_LARGE', `${path} is larger than ${maxJsonChars} characters`);
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch (error) {
    throw new ImageReadError('MALFORMED', `${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The group's OME attributes and where they came from. */
interface Group {
  version: NgffVersion;
  /** The metadata file, relative to the OME-Zarr folder. */
  file: string;
  /** 0.5: `attributes.ome`; 0.4: the `.zattrs` object. */
  ome: Json;
  /** What the schema validates: 0.5 `attributes`, 0.4 the `.zattrs` object. */
  validated: Json;
  /** Pointer prefix of `validated` inside `file`. */
  base: string;
}

/** The OME-NGFF group at `prefix` ('' or ending with '/'), 0.5 first, else 0.4. */
async function readGroup(read: ReadZarrFile, prefix: string): Promise<Group | undefined> {
  const v3 = await readJson(read, `${prefix}zarr.json`);
  if (v3 && isObject(v3.attributes) && isObject(v3.attributes.ome)) {
    return {
      version: '0.5',
      file: `${prefix}zarr.json`,
      ome: v3.attributes.ome,
      validated: v3.attributes,
      base: '/attributes',
    };
  }
  const v2 = await readJson(read, `${prefix}.zattrs`);
  if (v2) return { version: '0.4', file: `${prefix}.zattrs`, ome: v2, validated: v2, base: '' };
  return undefined;
}

function kindOf(ome: Json): NgffKind | undefined {
  if ('image-label' in ome) return 'label';
  if ('multiscales' in ome) return 'image';
  if ('plate' in ome) return 'plate';
  if ('well' in ome) return 'well';
  if ('bioformats2raw.layout' in ome) return 'bf2raw';
  if ('series' in ome) return 'ome';
  return undefined;
}

function check(group: Group, problems: ZarrProblem[]): NgffKind | undefined {
  const kind = kindOf(group.ome);
  if (!kind) {
    problems.push({
      file: group.file,
      pointer: group.base,
      message: 'holds no OME-NGFF metadata (multiscales, plate, well or bioformats2raw.layout)',
      fix: 'write the image with an OME-Zarr writer (ome-zarr-py, bioformats2raw, ngff-zarr)',
    });
    return undefined;
  }
  for (const violation of validateNgff(group.version, kind, group.validated)) {
    problems.push({
      file: group.file,
      pointer: group.base + violation.pointer,
      message: `${violation.message} (OME-NGFF ${group.version} ${kind} schema)`,
      fix: `correct the metadata to follow https://ngff.openmicroscopy.org/${group.version}/`,
    });
  }
  return kind;
}

// Zarr v2 dtype strings (numpy array interface typestr: byte order, kind, size) to numpy names.
const typestrKinds: Record<string, string> = { b: 'bool', i: 'int', u: 'uint', f: 'float', c: 'complex' };
const pixelTypes = new Set<string>([
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float16',
  'float32',
  'float64',
  'complex64',
  'complex128',
]);

function pixelTypeOf(array: Json, version: NgffVersion): PixelType | undefined {
  let name: string | undefined;
  if (version === '0.5' && typeof array.data_type === 'string') name = array.data_type;
  if (version === '0.4' && typeof array.dtype === 'string') {
    const match = /^[<>|=]?([biufc])(\d+)$/u.exec(array.dtype);
    // The size is in bytes: `<c8` is complex64, `|b1` bool.
    if (match) name = match[1] === 'b' ? 'bool' : `${typestrKinds[match[1]]}${Number(match[2]) * 8}`;
  }
  return name && pixelTypes.has(name) ? (name as PixelType) : undefined;
}

/** The scale of a list of coordinateTransformations (§"coordinateTransformations metadata"), if any. */
function scaleOf(transformations: unknown): number[] | undefined {
  if (!Array.isArray(transformations)) return undefined;
  const scale = transformations.find((t) => isObject(t) && t.type === 'scale');
  return isObject(scale) && Array.isArray(scale.scale) && scale.scale.every((n) => typeof n === 'number')
    ? (scale.scale as number[])
    : undefined;
}

const axisTypes = new Set(['space', 'time', 'channel']);

/** Reads the image group at `prefix`: multiscales, its level-0 array, omero channels and labels. */
async function readImage(read: ReadZarrFile, group: Group, prefix: string): Promise<ImageMetadata> {
  const metadata: ImageMetadata = { status: 'read', format: 'OME-Zarr' };
  const multiscales = Array.isArray(group.ome.multiscales) ? group.ome.multiscales : [];
  const multiscale = isObject(multiscales[0]) ? multiscales[0] : undefined;
  if (!multiscale) throw new ImageReadError('MALFORMED', `${group.file} has no multiscales`);
  const datasets = Array.isArray(multiscale.datasets) ? multiscale.datasets.filter(isObject) : [];
  metadata.resolutionLevels = datasets.length;
  const level0 = datasets[0];
  const path = typeof level0?.path === 'string' ? level0.path : undefined;
  // A dataset path is a relative key inside the image (§"multiscales metadata"); anything that could leave the
  // folder is not followed.
  const array =
    path && /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/u.test(path) && !path.split('/').includes('..')
      ? await readJson(read, `${prefix}${path}/${group.version === '0.5' ? 'zarr.json' : '.zarray'}`)
      : undefined;
  const shape = array && Array.isArray(array.shape) ? array.shape : undefined;
  const scale = scaleOf(level0?.coordinateTransformations);
  const outer = scaleOf(multiscale.coordinateTransformations);
  const axes = Array.isArray(multiscale.axes) ? multiscale.axes : [];
  if (shape && axes.length === shape.length) {
    metadata.axes = axes.map((entry, i): ImageAxis => {
      const axis = isObject(entry) ? entry : {};
      const type = typeof axis.type === 'string' && axisTypes.has(axis.type) ? axis.type : 'other';
      const size = Number(shape[i]);
      const out: ImageAxis = {
        name: typeof axis.name === 'string' ? axis.name : String(i),
        type: type as ImageAxis['type'],
        size: Number.isSafeInteger(size) && size >= 0 ? size : 0,
      };
      const physical = (scale?.[i] ?? 1) * (outer?.[i] ?? 1);
      if ((type === 'space' || type === 'time') && scale && Number.isFinite(physical) && physical > 0) {
        out.physicalSize = physical;
        if (typeof axis.unit === 'string') out.unit = unitName(axis.unit) ?? axis.unit;
      }
      return out;
    });
  }
  if (array) {
    const dataType = pixelTypeOf(array, group.version);
    if (dataType) metadata.dataType = dataType;
  }
  const omero = isObject(group.ome.omero) ? group.ome.omero : undefined;
  if (omero && Array.isArray(omero.channels)) {
    metadata.channels = omero.channels.filter(isObject).map((entry) => {
      const channel: ImageChannel = {};
      if (typeof entry.label === 'string') channel.name = entry.label;
      if (typeof entry.color === 'string' && /^[0-9A-Fa-f]{6}$/u.test(entry.color))
        channel.color = entry.color.toUpperCase();
      return channel;
    });
  }
  const labels = await readGroup(read, `${prefix}labels/`);
  metadata.hasLabels = Boolean(labels && Array.isArray(labels.ome.labels) && labels.ome.labels.length > 0);
  metadata.seriesCount = 1;
  return metadata;
}

const safeKey = (path: unknown): path is string =>
  typeof path === 'string' && /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/u.test(path) && !path.split('/').includes('..');

/**
 * Reads the OME-Zarr whose files `read` gives (paths relative to the `.zarr` folder). Plates are read through
 * their first well's first field, bioformats2raw layouts through series `0`.
 */
export async function readOmeZarr(read: ReadZarrFile): Promise<OmeZarrResult> {
  const { metadata, problems } = await readRoot(read);
  return { metadata: fitMetadata(metadata), problems };
}

async function readRoot(read: ReadZarrFile): Promise<OmeZarrResult> {
  const problems: ZarrProblem[] = [];
  const root = await readGroup(read, '');
  if (!root) throw new ImageReadError('MALFORMED', 'no zarr.json with attributes.ome, nor .zattrs');
  const kind = check(root, problems);
  // A label group is an image too when it has multiscales (§"labels metadata": the label image).
  if (kind === 'image' || (kind === 'label' && 'multiscales' in root.ome))
    return { metadata: await readImage(read, root, ''), problems };
  if (kind === 'plate') {
    const plate = isObject(root.ome.plate) ? root.ome.plate : {};
    const wells = Array.isArray(plate.wells) ? plate.wells.filter(isObject) : [];
    const metadata: ImageMetadata = { status: 'read', format: 'OME-Zarr', isPlate: true, seriesCount: wells.length };
    const wellPath = wells[0]?.path;
    const well = safeKey(wellPath) ? await readGroup(read, `${wellPath}/`) : undefined;
    const fields = well && isObject(well.ome.well) && Array.isArray(well.ome.well.images) ? well.ome.well.images : [];
    const fieldPath = isObject(fields[0]) ? fields[0].path : undefined;
    const field = safeKey(fieldPath) ? await readGroup(read, `${wellPath}/${fieldPath}/`) : undefined;
    if (field && check(field, problems) === 'image') {
      const image = await readImage(read, field, `${wellPath}/${fieldPath}/`);
      return { metadata: { ...image, isPlate: true, seriesCount: wells.length * fields.length }, problems };
    }
    return { metadata, problems };
  }
  if (kind === 'bf2raw') {
    const series = await readGroup(read, 'OME/');
    const names = series && Array.isArray(series.ome.series) ? series.ome.series : undefined;
    const first = await readGroup(read, '0/');
    if (first && check(first, problems) === 'image') {
      const image = await readImage(read, first, '0/');
      return { metadata: { ...image, seriesCount: names?.length ?? 1 }, problems };
    }
    return { metadata: { status: 'recognised', format: 'OME-Zarr' }, problems };
  }
  return { metadata: { status: 'recognised', format: 'OME-Zarr' }, problems };
}
