// What a reader found, held to the limits of the manifest schema (`ImageMetadata` in schemas/manifest.schema.json:
// names of at most 40 characters, channel names of at most 200, counts of at least 1), so that no file, however
// written, makes a manifest that fails its own schema. Lists are capped too: a hostile OME-XML can declare a
// million channels, and the manifest is not the place for them.
import type { ImageMetadata } from './types.ts';

/** Most axes and channels kept; real images have at most 6 axes and a few hundred channels (spectral imaging). */
export const maxAxes = 32;
export const maxChannels = 1024;

const cut = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);
const count = (n: number | undefined) => (n !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : undefined);

export function fitMetadata(metadata: ImageMetadata): ImageMetadata {
  const out: ImageMetadata = { status: metadata.status, format: cut(metadata.format, 40) };
  if (metadata.axes)
    out.axes = metadata.axes.slice(0, maxAxes).map((axis) => {
      const fitted: NonNullable<ImageMetadata['axes']>[number] = {
        name: cut(axis.name, 40),
        type: axis.type,
        size: Number.isSafeInteger(axis.size) && axis.size >= 0 ? axis.size : 0,
      };
      if (axis.physicalSize !== undefined && Number.isFinite(axis.physicalSize) && axis.physicalSize > 0) {
        fitted.physicalSize = axis.physicalSize;
        if (axis.unit !== undefined && axis.unit.length <= 40) fitted.unit = axis.unit;
      }
      return fitted;
    });
  if (metadata.dataType) out.dataType = metadata.dataType;
  if (metadata.channels)
    out.channels = metadata.channels.slice(0, maxChannels).map((channel) => ({
      ...(channel.name !== undefined ? { name: cut(channel.name, 200) } : {}),
      ...(channel.color !== undefined && /^[0-9A-F]{6}$/u.test(channel.color) ? { color: channel.color } : {}),
    }));
  const series = count(metadata.seriesCount);
  if (series) out.seriesCount = series;
  const levels = count(metadata.resolutionLevels);
  if (levels) out.resolutionLevels = levels;
  if (metadata.hasLabels !== undefined) out.hasLabels = metadata.hasLabels;
  if (metadata.isPlate !== undefined) out.isPlate = metadata.isPlate;
  return out;
}
