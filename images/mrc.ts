// MRC2014 (CCP-EM, "MRC2014 file format", Cheng et al. 2015, doi:10.1016/j.jsb.2015.04.002): the 1024-byte main
// header. NX, NY, NZ (words 1-3) are columns, rows and sections; MODE (word 4) the data type; MX, MY, MZ (words 8-10)
// the sampling along each cell edge and CELLA (words 11-13) the cell's lengths in ångström, so one voxel is
// CELLA / MX etc. ISPG (word 23) tells an image stack (0) from a volume (1) and a stack of volumes (401, MZ sections
// each). MACHST (word 54) gives the byte order: 0x44 0x44 little-endian, 0x11 0x11 big-endian.
import type { ByteSource } from './byte-source.ts';
import { mrcModes } from './detect.ts';
import { ImageReadError } from './errors.ts';
import type { ImageAxis, ImageMetadata, PixelType } from './types.ts';

/** MRC2014 MODE to numpy names; 3 (complex int16) and 101 (4-bit) have no numpy type. */
const modeTypes: Record<number, PixelType> = {
  0: 'int8',
  1: 'int16',
  2: 'float32',
  4: 'complex64',
  6: 'uint16',
  12: 'float16',
};

export const mrcHeaderBytes = 1024;

/** The byte order: MACHST when it is set, else the one in which NX..MODE make sense. */
function littleEndian(view: DataView): boolean {
  const stamp = view.getUint8(212);
  if (stamp === 0x44) return true;
  if (stamp === 0x11) return false;
  const mode = view.getInt32(12, true);
  return mrcModes.has(mode);
}

/** Reads the main header of an MRC, MAP, MRCS or REC file. */
export async function readMrc(source: ByteSource): Promise<ImageMetadata> {
  const header = await source.read(0, mrcHeaderBytes);
  if (header.length < mrcHeaderBytes)
    throw new ImageReadError(
      'TRUNCATED',
      `the MRC header needs ${mrcHeaderBytes} bytes, the file has ${header.length}`,
    );
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const little = littleEndian(view);
  const int = (word: number) => view.getInt32((word - 1) * 4, little);
  const float = (word: number) => view.getFloat32((word - 1) * 4, little);
  const [nx, ny, nz, mode] = [int(1), int(2), int(3), int(4)];
  if (nx <= 0 || ny <= 0 || nz <= 0)
    throw new ImageReadError('MALFORMED', `MRC NX, NY, NZ must be positive; they are ${nx}, ${ny}, ${nz}`);
  if (!mrcModes.has(mode)) throw new ImageReadError('MALFORMED', `MRC MODE ${mode} is not one MRC2014 defines`);
  const [mx, my, mz] = [int(8), int(9), int(10)];
  const [cellX, cellY, cellZ] = [float(11), float(12), float(13)];
  const ispg = int(23);
  // One voxel's edge in Å; a cell of 0 (common in image stacks written without a pixel size) gives none. CELLA is a
  // 32-bit float: the quotient is kept to the 7 significant digits it carries (0.83, not 0.8299999833).
  const voxel = (cell: number, samples: number) =>
    Number.isFinite(cell) && cell > 0 && samples > 0 ? Number((cell / samples).toPrecision(7)) : undefined;
  const space = (name: string, size: number, physical: number | undefined): ImageAxis =>
    physical === undefined
      ? { name, type: 'space', size }
      : { name, type: 'space', size, physicalSize: physical, unit: 'angstrom' };
  const axes: ImageAxis[] = [];
  if (ispg === 0) {
    // An image stack (micrographs, movie frames, particles): the sections are separate images.
    if (nz > 1) axes.push({ name: 'n', type: 'other', size: nz });
  } else if (ispg >= 401 && ispg <= 630 && mz > 0 && nz % mz === 0 && nz > mz) {
    axes.push({ name: 'n', type: 'other', size: nz / mz }, space('z', mz, voxel(cellZ, mz)));
  } else if (nz > 1) {
    axes.push(space('z', nz, voxel(cellZ, mz)));
  }
  axes.push(space('y', ny, voxel(cellY, my)), space('x', nx, voxel(cellX, mx)));
  const metadata: ImageMetadata = { status: 'read', format: 'MRC', axes, seriesCount: 1 };
  if (Object.hasOwn(modeTypes, mode)) metadata.dataType = modeTypes[mode];
  return metadata;
}
