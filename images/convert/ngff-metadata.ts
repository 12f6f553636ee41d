// The OME-NGFF metadata of a conversion: axes, one dataset per level with its scale and translation, and the
// `omero` channels. 0.5 puts it under `attributes.ome` of the root zarr.json; 0.4 in the root `.zattrs`.
import type { PyramidLevel } from './pyramid.ts';
import type { PixelSource, ZarrDataType } from './pixel-source.ts';
import type { NgffVersion } from './zarr-arrays.ts';

export interface ChannelRange {
  min: number;
  max: number;
}

/** The axes the image has, slowest first (OME-NGFF 0.5 §axes: t, c, then z, y, x). */
export function axesOf(source: Pick<PixelSource, 'shape'>): string[] {
  const { t, c, z } = source.shape;
  return [...(t > 1 ? ['t'] : []), ...(c > 1 ? ['c'] : []), ...(z > 1 ? ['z'] : []), 'y', 'x'];
}

const axisTypes: Record<string, string> = { t: 'time', c: 'channel', z: 'space', y: 'space', x: 'space' };

/**
 * The `multiscales` and `omero` objects. Scales are the physical voxel size times the level's factor (1 without a
 * physical size). Each level is translated by half of its voxel minus half of level 0's along the axes it
 * shrinks, (factor - 1) / 2 voxels of level 0: a block mean's voxel centre lies at the centre of its block
 * (OME-NGFF 0.5 §coordinateTransformations: scale, then translation).
 */
export function ngffAttributes(
  source: Pick<PixelSource, 'shape' | 'physicalSizes' | 'channels' | 'dataType'>,
  levels: PyramidLevel[],
  name: string,
  version: NgffVersion,
  ranges: ChannelRange[],
): Record<string, unknown> {
  const axesNames = axesOf(source);
  const axes = axesNames.map((axis) => {
    const size = source.physicalSizes[axis as 'z' | 'y' | 'x'];
    return { name: axis, type: axisTypes[axis], ...(size ? { unit: size.unit } : {}) };
  });
  const datasets = levels.map((level, index) => {
    const scale = axesNames.map((axis) =>
      axis === 't' || axis === 'c'
        ? 1
        : (source.physicalSizes[axis as 'z' | 'y' | 'x']?.value ?? 1) * level.factor[axis as 'z' | 'y' | 'x'],
    );
    const translation = axesNames.map((axis) =>
      axis === 't' || axis === 'c'
        ? 0
        : ((source.physicalSizes[axis as 'z' | 'y' | 'x']?.value ?? 1) * (level.factor[axis as 'z' | 'y' | 'x'] - 1)) /
          2,
    );
    return {
      path: String(index),
      coordinateTransformations: [
        { type: 'scale', scale },
        ...(index > 0 ? [{ type: 'translation', translation }] : []),
      ],
    };
  });
  const multiscale = {
    ...(version === '0.4' ? { version: '0.4' } : {}),
    name,
    axes,
    datasets,
    // OME-NGFF 0.5 §multiscales: `type` and `metadata` SHOULD say how the levels were made.
    type: 'mean',
    metadata: {
      description:
        'each level halves y and x (and z where noted by the scales) by the mean of the 2 x 2 (x 2) voxels under ' +
        'each voxel, integers rounded half up, made from the level before',
      method: 'catalogue convert (block mean)',
    },
  };
  const typeRange = rangeOf(source.dataType);
  const omero = {
    channels: Array.from({ length: source.shape.c }, (_, c) => {
      const channel = source.channels[c] ?? {};
      const range = ranges[c] ?? { min: 0, max: 0 };
      return {
        label: channel.name ?? `Channel ${c}`,
        color: channel.color ?? (source.shape.c === 1 ? 'FFFFFF' : defaultColors[c % defaultColors.length]),
        active: true,
        window: {
          min: typeRange?.min ?? range.min,
          max: typeRange?.max ?? range.max,
          start: range.min,
          end: range.max,
        },
      };
    }),
  };
  return version === '0.5'
    ? { ome: { version: '0.5', multiscales: [multiscale], omero } }
    : { multiscales: [multiscale], omero };
}

const defaultColors = ['FF0000', '00FF00', '0000FF', 'FF00FF', '00FFFF', 'FFFF00', 'FFFFFF'];

function rangeOf(dataType: ZarrDataType): ChannelRange | undefined {
  const ranges: Partial<Record<ZarrDataType, ChannelRange>> = {
    uint8: { min: 0, max: 255 },
    int8: { min: -128, max: 127 },
    uint16: { min: 0, max: 65535 },
    int16: { min: -32768, max: 32767 },
    uint32: { min: 0, max: 4294967295 },
    int32: { min: -2147483648, max: 2147483647 },
  };
  return ranges[dataType];
}
