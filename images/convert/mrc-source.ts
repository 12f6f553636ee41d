// MRC (MRC2014, https://www.ccpem.ac.uk/mrc_format/mrc2014.php) as a PixelSource: the 1024-byte header gives the
// sizes, the mode and the cell; each rectangle is read from the file by byte ranges, never the whole volume.
import { open, type FileHandle } from 'node:fs/promises';
import { ImageConvertError } from './errors.ts';
import { arrayOf, maxPlanePixels, type PixelArray, type PixelSource, type ZarrDataType } from './pixel-source.ts';

/** MRC2014 MODE: 0 int8, 1 int16, 2 float32, 6 uint16 (modes 3, 4 complex, 12 float16, 101 4-bit are not taken). */
const modes: Record<number, ZarrDataType> = { 0: 'int8', 1: 'int16', 2: 'float32', 6: 'uint16' };
const headerBytes = 1024;

export async function openMrc(path: string, name: string): Promise<PixelSource> {
  const handle = await open(path, 'r');
  try {
    return await describe(handle, name);
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function describe(handle: FileHandle, name: string): Promise<PixelSource> {
  const header = Buffer.alloc(headerBytes);
  const { bytesRead } = await handle.read(header, 0, headerBytes, 0);
  if (bytesRead < headerBytes) throw new ImageConvertError('IMAGE_TRUNCATED', name, 'is shorter than an MRC header');
  // MRC2014 word 54 MACHST: 0x44 0x44 little-endian, 0x11 0x11 big-endian.
  const little = !(header[212] === 0x11 && header[213] === 0x11);
  const int = (offset: number) => (little ? header.readInt32LE(offset) : header.readInt32BE(offset));
  const float = (offset: number) => (little ? header.readFloatLE(offset) : header.readFloatBE(offset));
  const [nx, ny, nz, mode] = [int(0), int(4), int(8), int(12)];
  if (!(nx >= 1 && ny >= 1 && nz >= 1))
    throw new ImageConvertError('IMAGE_INVALID', name, `the header gives ${nx} x ${ny} x ${nz} voxels`);
  if (nx * ny > maxPlanePixels)
    throw new ImageConvertError('IMAGE_TOO_LARGE', name, `a section claims ${nx} x ${ny} pixels`);
  const dataType = modes[mode];
  if (!dataType)
    throw new ImageConvertError('PIXEL_TYPE_UNSUPPORTED', name, `has MRC mode ${mode}; modes 0, 1, 2 and 6 are taken`);
  const [mapc, mapr, maps] = [int(64), int(68), int(72)];
  if (!(mapc === 1 && mapr === 2 && maps === 3))
    throw new ImageConvertError(
      'IMAGE_INVALID',
      name,
      `has axis order MAPC,MAPR,MAPS = ${mapc},${mapr},${maps}; only 1,2,3 (columns x, rows y, sections z) is taken`,
    );
  const extended = Math.max(0, int(92));
  const element = arrayOf(dataType, 0).BYTES_PER_ELEMENT;
  const dataStart = headerBytes + extended;
  const needed = dataStart + nx * ny * nz * element;
  const { size } = await handle.stat();
  if (size < needed)
    throw new ImageConvertError(
      'IMAGE_TRUNCATED',
      name,
      `its header describes ${needed} bytes but the file has ${size}: the file is truncated; upload it again`,
    );
  // MRC2014: CELLA (words 11-13, Å) over MX, MY, MZ (words 8-10) is the voxel size.
  const voxel = (cell: number, count: number) =>
    cell > 0 && count > 0 ? { value: cell / count, unit: 'angstrom' } : undefined;
  const swap = !little && element > 1;
  return {
    shape: { t: 1, c: 1, z: nz, y: ny, x: nx },
    dataType,
    physicalSizes: { x: voxel(float(40), int(28)), y: voxel(float(44), int(32)), z: voxel(float(48), int(36)) },
    channels: [],
    async readRegion(plane, y0, y1, x0, x1) {
      const width = x1 - x0;
      const out = arrayOf(dataType, width * (y1 - y0));
      const bytes = new Uint8Array(out.buffer);
      const rowBytes = width * element;
      for (let y = y0; y < y1; y++) {
        const position = dataStart + ((plane.z * ny + y) * nx + x0) * element;
        const { bytesRead } = await handle.read(bytes, (y - y0) * rowBytes, rowBytes, position);
        if (bytesRead !== rowBytes)
          throw new ImageConvertError(
            'IMAGE_TRUNCATED',
            name,
            `section ${plane.z}, row ${y} lies past the end of the file`,
          );
      }
      if (swap) swapBytes(bytes, element);
      return out as PixelArray;
    },
    async close() {
      await handle.close();
    },
  };
}

function swapBytes(bytes: Uint8Array, element: number): void {
  for (let i = 0; i < bytes.length; i += element) bytes.subarray(i, i + element).reverse();
}
