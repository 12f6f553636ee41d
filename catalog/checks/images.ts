// What the entry says of its images (components[].imageData, representativeImage) against what the manifest read
// from the files' own headers (`image` of each file, storage/image-metadata.ts). A contradiction is an error that
// names both values and the file; a component whose files hold no readable image is a warning.
//
// Rules (docs/images.md, "Checks"):
// - pixel and voxel size: at least one image that gives a physical size along x, y or z must agree with the entry
//   within 1% (units converted: Å, nm, µm, mm...). Not every image: a component may hold the same data at several
//   binnings (an EMPIAR entry's movies at the detector's pixel size and its maps binned twice);
// - image size and channel count are the entry's *typical* size: at least one image must have it;
// - dimension order: each image that has every axis the entry names must store them in that order (slowest
//   first as OME-NGFF writes axes, e.g. TCZYX, or fastest first as OME-XML's DimensionOrder, e.g. XYZCT).
import type { Entry, ImageMetadata, Manifest, ManifestFile } from '../../schemas/index.ts';
import { fromMetres, toMetres } from '../../images/units.ts';
import { joinPointer } from '../problems.ts';
import type { Finding } from '../validate.ts';

/** Relative difference within which a pixel or voxel size agrees with the entry's. */
export const physicalSizeTolerance = 0.01;

type ImageData = NonNullable<Entry['components'][number]['imageData']>;
type Axis = 'x' | 'y' | 'z' | 'c' | 't';

interface ReadImage {
  path: string;
  image: ImageMetadata;
}

const shortNumber = (value: number) => String(Number(value.toPrecision(4)));

/** The size of the axis called `name` (the channel count also from an RGB type), or undefined. */
function axisSize(image: ImageMetadata, name: Axis): number | undefined {
  const axis = image.axes?.find((a) => a.name.toLowerCase() === name);
  if (axis) return axis.size;
  if (name === 'c' && image.axes) return image.dataType === 'rgb8' ? 3 : 1;
  if ((name === 'z' || name === 't') && image.axes) return 1;
  return undefined;
}

/** The files of a component: those naming it, or every file when the entry has one component and none do. */
function filesOf(entry: Entry, manifest: Manifest, componentId: string): ManifestFile[] {
  const named = manifest.files.filter((f) => f.component === componentId);
  if (named.length > 0 || entry.components.length > 1) return named;
  return manifest.files.filter((f) => f.component === undefined);
}

const tail = (others: number) => (others > 0 ? ` (and ${others} other file${others === 1 ? '' : 's'})` : '');

function physicalSizeFindings(pointer: string, data: ImageData, images: ReadImage[], out: Finding[]): void {
  const size = data.physicalSize;
  if (!size) return;
  for (const name of ['x', 'y', 'z'] as const) {
    const claimed = size[name];
    if (claimed === undefined) continue;
    const claimedMetres = toMetres(claimed, size.unit);
    if (claimedMetres === undefined) continue;
    const calibrated = images.flatMap(({ path, image }) => {
      const axis = image.axes?.find((a) => a.name.toLowerCase() === name);
      if (!axis?.physicalSize || !axis.unit) return [];
      const metres = toMetres(axis.physicalSize, axis.unit);
      return metres === undefined ? [] : [{ path, metres, value: fromMetres(metres, size.unit)! }];
    });
    const agrees = ({ metres }: { metres: number }) =>
      Math.abs(metres - claimedMetres) <= physicalSizeTolerance * claimedMetres;
    if (calibrated.length === 0 || calibrated.some(agrees)) continue;
    const differing = calibrated;
    const [first] = differing;
    const what = name === 'z' ? 'between z-planes' : `per pixel along ${name}`;
    out.push({
      pointer: `${pointer}/physicalSize/${name}`,
      code: 'PIXEL_SIZE_MISMATCH',
      message:
        `entry says ${shortNumber(claimed)} ${size.unit} ${what}, ${first.path} says ` +
        `${shortNumber(first.value)} ${size.unit}${tail(differing.length - 1)}`,
      fix:
        `write the size the files give (${shortNumber(first.value)} ${size.unit}), or check the files' calibration ` +
        `(sizes agree within ${physicalSizeTolerance * 100}%)`,
      severity: 'error',
    });
  }
}

function typicalSizeFindings(pointer: string, data: ImageData, images: ReadImage[], out: Finding[]): void {
  for (const name of ['x', 'y', 'z', 'c', 't'] as const) {
    const claimed = data.size?.[name];
    if (claimed === undefined) continue;
    const sized = images.flatMap(({ path, image }) => {
      const value = axisSize(image, name);
      return value === undefined ? [] : [{ path, value }];
    });
    if (sized.length === 0 || sized.some((s) => s.value === claimed)) continue;
    const [first] = sized;
    const channel = name === 'c';
    out.push({
      pointer: `${pointer}/size/${name}`,
      code: channel ? 'CHANNEL_COUNT_MISMATCH' : 'IMAGE_SIZE_MISMATCH',
      message: channel
        ? `entry says ${claimed} channels, ${first.path} has ${first.value}${tail(sized.length - 1)}, and no image ` +
          `has ${claimed}`
        : `entry says ${claimed} pixels along ${name}, ${first.path} has ${first.value}${tail(sized.length - 1)}, ` +
          `and no image has ${claimed}`,
      fix: `write the ${channel ? 'channel count' : 'size'} the files have (${first.value}), or add the missing files`,
      severity: 'error',
    });
  }
}

function dimensionOrderFindings(pointer: string, data: ImageData, images: ReadImage[], out: Finding[]): void {
  const claimed = data.dimensionOrder;
  if (!claimed) return;
  const letters = new Set(claimed);
  const differing = images.flatMap(({ path, image }) => {
    const names = (image.axes ?? []).map((a) => a.name.toUpperCase()).filter((n) => letters.has(n));
    if (names.length !== letters.size) return [];
    const order = names.join('');
    const reversed = [...names].reverse().join('');
    return order === claimed || reversed === claimed ? [] : [{ path, order }];
  });
  if (differing.length === 0) return;
  const [first] = differing;
  out.push({
    pointer: `${pointer}/dimensionOrder`,
    code: 'DIMENSION_ORDER_MISMATCH',
    message: `entry says ${claimed}, ${first.path} stores ${first.order} (slowest first)${tail(differing.length - 1)}`,
    fix: `write the order the files have (${first.order}), or re-export the files in ${claimed} order`,
    severity: 'error',
  });
}

function representativeImageFindings(entry: Entry, manifest: Manifest, out: Finding[]): void {
  const path = entry.representativeImage;
  if (path === undefined) return;
  const byPath = new Map(manifest.files.map((f) => [f.path, f]));
  const folder = path.replace(/\/+$/u, '');
  const file = byPath.get(path) ?? byPath.get(`${folder}/zarr.json`) ?? byPath.get(`${folder}/.zattrs`);
  if (!file) {
    out.push({
      pointer: '/representativeImage',
      code: 'REPRESENTATIVE_IMAGE_UNKNOWN',
      message: `'${path}' is not a file of manifest.json`,
      fix: 'give the path of an image file exactly as manifest.json lists it',
      severity: 'error',
    });
  } else if (file.role !== 'image') {
    out.push({
      pointer: '/representativeImage',
      code: 'REPRESENTATIVE_IMAGE_NOT_IMAGE',
      message: `'${path}' is a ${file.format} file with role ${file.role}, not an image`,
      fix: 'give the path of an image file (role image in manifest.json)',
      severity: 'error',
    });
  }
}

/**
 * The image findings of an entry against its manifest; pointers are into entry.yaml. A manifest made before
 * headers were read (no file has `image`) is checked for `representativeImage` only.
 */
export function imageFindings(entry: Entry, manifest: Manifest): Finding[] {
  const out: Finding[] = [];
  representativeImageFindings(entry, manifest, out);
  if (!manifest.files.some((f) => f.image)) return out;
  entry.components.forEach((component, index) => {
    const pointer = joinPointer('components', index, 'imageData');
    const files = filesOf(entry, manifest, component.id);
    const images = files.flatMap((f) => (f.image?.status === 'read' ? [{ path: f.path, image: f.image }] : []));
    const hasImageFiles = files.some((f) => f.role === 'image');
    if (images.length === 0 && (component.imageData || hasImageFiles)) {
      out.push({
        pointer: joinPointer('components', index),
        code: 'IMAGE_METADATA_MISSING',
        message: `component '${component.id}' has no image whose header could be read, so its imageData is unchecked`,
        fix:
          'run `catalogue manifest create` again to read the headers; formats only recognised (CZI, ND2, LIF, ' +
          'DM3, DM4, HDF5) are checked once converted to OME-TIFF or OME-Zarr',
        severity: 'warning',
      });
      return;
    }
    const data = component.imageData;
    if (!data) return;
    physicalSizeFindings(pointer, data, images, out);
    typicalSizeFindings(pointer, data, images, out);
    dimensionOrderFindings(pointer, data, images, out);
  });
  return out;
}
