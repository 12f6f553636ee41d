// ImageJ's ImageDescription in a TIFF's first IFD: `key=value` lines (ImageJ 1.x `FileSaver.getDescriptionString`:
// images, channels, slices, frames, unit, spacing, finterval). ImageJ hyperstacks store planes in XYCZT order.

export interface ImageJDescription {
  images?: number;
  channels?: number;
  slices?: number;
  frames?: number;
  /** The unit of XResolution, YResolution and `spacing` (ImageJ writes "micron" or "\u00B5m"). */
  unit?: string;
  /** Distance between slices, in `unit`. */
  spacing?: number;
  /** Time between frames, in seconds. */
  frameInterval?: number;
}

/** Is this ImageDescription ImageJ's? */
export function isImageJDescription(text: string): boolean {
  return text.startsWith('ImageJ=');
}

const count = (value: string | undefined) => {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};
const positive = (value: string | undefined) => {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** The fields of an ImageJ description the catalogue reads; unknown or malformed lines are ignored. */
export function parseImageJDescription(text: string): ImageJDescription {
  const fields = new Map<string, string>();
  for (const line of text.slice(0, 64 * 1024).split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  // ImageJ escapes non-ASCII characters as \uXXXX in the description.
  const unit = fields
    .get('unit')
    ?.replace(/\\u([0-9a-fA-F]{4})/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const description: ImageJDescription = {
    images: count(fields.get('images')),
    channels: count(fields.get('channels')),
    slices: count(fields.get('slices')),
    frames: count(fields.get('frames')),
    unit: unit && unit !== 'pixel' ? unit : undefined,
    spacing: positive(fields.get('spacing')),
    frameInterval: positive(fields.get('finterval')),
  };
  for (const key of Object.keys(description) as Array<keyof ImageJDescription>)
    if (description[key] === undefined) delete description[key];
  return description;
}
