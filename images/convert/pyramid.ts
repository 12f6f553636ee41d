// The multiscale pyramid: which levels, their shapes and scales, and the 2 x 2 (x 2) block mean that makes each
// level from the one before. OME-NGFF 0.5 §multiscales: level 0 is the full resolution, each next level smaller.
import { arrayOf, type PixelArray, type PixelSource, type ZarrDataType } from './pixel-source.ts';

export interface PyramidLevel {
  /** Sizes along z, y, x. */
  z: number;
  y: number;
  x: number;
  /** How many voxels of level 0 one voxel of this level spans along z, y, x. */
  factor: { z: number; y: number; x: number };
  /** Whether this level halves z of the level before (level 0: false). */
  halvesZ: boolean;
}

/**
 * Levels until the smallest fits one chunk in y and x. Each level halves y and x (sizes rounded up); it halves z
 * too when the z voxel of the level before is smaller than the x voxel of the new level, so a stack that is
 * isotropic stays so and an anisotropic one (z step larger than the pixel) keeps its planes until x catches up.
 * Without physical sizes z is never halved.
 */
export function planPyramid(source: Pick<PixelSource, 'shape' | 'physicalSizes'>, chunk: number): PyramidLevel[] {
  const { z, y, x } = source.shape;
  const levels: PyramidLevel[] = [{ z, y, x, factor: { z: 1, y: 1, x: 1 }, halvesZ: false }];
  const sizes = source.physicalSizes;
  const sameUnit = sizes.z && sizes.x && sizes.z.unit === sizes.x.unit;
  while (levels.at(-1)!.y > chunk || levels.at(-1)!.x > chunk) {
    const last = levels.at(-1)!;
    const factor = { z: last.factor.z, y: last.factor.y * 2, x: last.factor.x * 2 };
    const halvesZ = Boolean(sameUnit) && last.z > 1 && sizes.z!.value * last.factor.z < sizes.x!.value * factor.x;
    if (halvesZ) factor.z *= 2;
    levels.push({
      z: halvesZ ? Math.ceil(last.z / 2) : last.z,
      y: Math.ceil(last.y / 2),
      x: Math.ceil(last.x / 2),
      factor,
      halvesZ,
    });
  }
  return levels;
}

const integerTypes = new Set<ZarrDataType>(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32']);

/**
 * One region of the next level from the region under it: each output voxel is the mean of the 2 x 2 (or 2 x 2 x 2
 * with `planes` of two) voxels under it that exist (at an odd edge, the 1 or 2 that do). Integers are rounded half
 * up, floor((2 * sum + n) / (2 * n)); floats are the mean computed in float64, then stored in the element type.
 * `planes` hold rows x cols voxels each; the result has ceil(rows / 2) x ceil(cols / 2).
 */
export function downsample(planes: PixelArray[], rows: number, cols: number, dataType: ZarrDataType): PixelArray {
  const outRows = Math.ceil(rows / 2);
  const outCols = Math.ceil(cols / 2);
  const out = arrayOf(dataType, outRows * outCols);
  const integer = integerTypes.has(dataType);
  for (let oy = 0; oy < outRows; oy++) {
    const top = 2 * oy * cols;
    const bottom = 2 * oy + 1 < rows ? top + cols : -1;
    for (let ox = 0; ox < outCols; ox++) {
      const left = 2 * ox;
      const right = left + 1 < cols;
      // The voxels in the order y, then x, plane by plane: the same sum, to the last bit, as a loop over the block.
      let sum = 0;
      for (const plane of planes) {
        sum += plane[top + left];
        if (right) sum += plane[top + left + 1];
        if (bottom >= 0) {
          sum += plane[bottom + left];
          if (right) sum += plane[bottom + left + 1];
        }
      }
      const count = planes.length * (right ? 2 : 1) * (bottom >= 0 ? 2 : 1);
      out[oy * outCols + ox] = integer ? Math.floor((2 * sum + count) / (2 * count)) : sum / count;
    }
  }
  return out;
}
