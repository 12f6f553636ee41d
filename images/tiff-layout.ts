// Which TIFF pages (IFDs) hold the plane a preview shows: the middle z section of the first time point, every
// channel. Read from the first page's ImageDescription: OME-XML (OME-TIFF specification, "The TiffData element"
// and Pixels DimensionOrder), an ImageJ hyperstack header (channels, slices, frames; channel fastest), or nothing
// (a plain TIFF: the first page). Only what a preview needs is parsed here.
import { omeColorToHex, parseOmeDocument } from './ome-xml.ts';

export interface TiffLayout {
  /** The page of each channel to draw, in channel order. */
  pages: number[];
  /** OME channel colours (RRGGBB) for the channels drawn, where the file gives them. */
  colors: Array<string | undefined>;
  /** The plane's samples per pixel, as OME-XML states them (3 for an interleaved RGB channel). */
  samplesPerPixel?: number;
}

type Attributes = Record<string, unknown>;

const count = (value: unknown, fallback = 1) => {
  const n = Number(value ?? fallback);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
};
const index = (value: unknown) => {
  const n = Number(value ?? 0);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

/** The pages of the preview plane, with at most `maxChannels` channels. */
export function tiffLayout(description: string | undefined, maxChannels: number): TiffLayout {
  if (description?.includes('<OME')) {
    const layout = omeLayout(description, maxChannels);
    if (layout) return layout;
  }
  if (description?.startsWith('ImageJ=')) return imageJLayout(description, maxChannels);
  return { pages: [0], colors: [undefined] };
}

function omeLayout(xml: string, maxChannels: number): TiffLayout | undefined {
  let document: { OME?: { Image?: Array<{ Pixels?: Attributes }> } };
  try {
    document = parseOmeDocument(xml) as typeof document;
  } catch {
    // Deeper than any real OME-XML, or not XML: drawn as a plain TIFF, from its first page.
    return undefined;
  }
  const pixels = document.OME?.Image?.[0]?.Pixels;
  if (!pixels) return undefined;
  const sizeZ = count(pixels.SizeZ);
  const sizeT = count(pixels.SizeT);
  const channels = (pixels.Channel as Attributes[] | undefined) ?? [];
  const samplesPerPixel = count(channels[0]?.SamplesPerPixel);
  // SizeC counts samples: an interleaved RGB channel is SizeC=3 in one plane (OME-TIFF specification).
  const planesC = Math.max(1, Math.floor(count(pixels.SizeC) / samplesPerPixel));
  const order = String(pixels.DimensionOrder ?? 'XYZCT');
  const sizes: Record<string, number> = { Z: sizeZ, C: planesC, T: sizeT };
  const linear = (z: number, c: number, t: number) => {
    const at: Record<string, number> = { Z: z, C: c, T: t };
    // DimensionOrder names the axes fastest first after X and Y: XYZCT is z + Z * (c + C * t).
    const [a, b, d] = order.slice(2).split('') as Array<'Z' | 'C' | 'T'>;
    return (at[a] ?? 0) + (sizes[a] ?? 1) * ((at[b] ?? 0) + (sizes[b] ?? 1) * (at[d] ?? 0));
  };
  const tiffData = (pixels.TiffData as Attributes[] | undefined) ?? [];
  const pageOf = (plane: number): number => {
    // TiffData maps runs of planes (from FirstZ/FirstC/FirstT, PlaneCount of them) to pages from IFD.
    for (const data of tiffData) {
      const first = linear(index(data.FirstZ), index(data.FirstC), index(data.FirstT));
      const planes = data.PlaneCount === undefined ? (tiffData.length === 1 ? Infinity : 1) : count(data.PlaneCount);
      if (plane >= first && plane < first + planes) return index(data.IFD) + (plane - first);
    }
    return plane;
  };
  const middle = Math.floor((sizeZ - 1) / 2);
  const drawn = Math.min(planesC, maxChannels);
  const pages = Array.from({ length: drawn }, (_, c) => pageOf(linear(middle, c, 0)));
  const colors = Array.from({ length: drawn }, (_, c) => omeColorToHex(channels[c]?.Color));
  return { pages, colors, samplesPerPixel };
}

function imageJLayout(description: string, maxChannels: number): TiffLayout {
  const field = (name: string) => count(new RegExp(`^${name}=(\\d+)$`, 'm').exec(description)?.[1]);
  const channels = field('channels');
  const slices = field('slices');
  // ImageJ hyperstacks store pages channel fastest, then slice, then frame (ImageJ HyperStackConverter, "czt").
  const middle = Math.floor((slices - 1) / 2);
  const drawn = Math.min(channels, maxChannels);
  return {
    pages: Array.from({ length: drawn }, (_, c) => c + channels * middle),
    colors: Array.from({ length: drawn }, () => undefined),
  };
}
