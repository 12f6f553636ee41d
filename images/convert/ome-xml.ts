// The little of OME-XML (OME Data Model 2016-06, `Image/Pixels`) the converter needs: sizes, the order in which the
// TIFF pages hold the planes, physical sizes and channels. Only the first Image is read; other series are not
// converted.
import { omeColorToHex, parseOmeDocument } from '../ome-xml.ts';
import { ngffLengthUnits, type PhysicalSize, type SourceChannel } from './pixel-source.ts';

export interface OmePixels {
  /** e.g. `XYZCT`: X fastest, then the order of the planes across pages (OME 2016-06 `DimensionOrder`). */
  dimensionOrder: string;
  sizes: { t: number; c: number; z: number; y: number; x: number };
  physicalSizes: { z?: PhysicalSize; y?: PhysicalSize; x?: PhysicalSize };
  channels: SourceChannel[];
}

/** The first Image's Pixels of an OME-XML document, or undefined when the text is not OME-XML. */
export function parseOmePixels(xml: string): OmePixels | undefined {
  if (!xml.includes('<OME')) return undefined;
  let document: Record<string, unknown>;
  try {
    document = parseOmeDocument(xml);
  } catch {
    return undefined;
  }
  const ome = document.OME as { Image?: Array<{ Pixels?: Record<string, unknown> }> } | undefined;
  const pixels = ome?.Image?.[0]?.Pixels;
  if (!pixels) return undefined;
  const size = (name: string) => {
    const value = Number(pixels[`Size${name}`] ?? 1);
    return Number.isInteger(value) && value >= 1 ? value : 1;
  };
  const dimensionOrder = String(pixels.DimensionOrder ?? 'XYZCT');
  return {
    dimensionOrder: /^XY(ZCT|ZTC|CZT|CTZ|TZC|TCZ)$/.test(dimensionOrder) ? dimensionOrder : 'XYZCT',
    sizes: { t: size('T'), c: size('C'), z: size('Z'), y: size('Y'), x: size('X') },
    physicalSizes: {
      z: physicalSize(pixels.PhysicalSizeZ, pixels.PhysicalSizeZUnit),
      y: physicalSize(pixels.PhysicalSizeY, pixels.PhysicalSizeYUnit),
      x: physicalSize(pixels.PhysicalSizeX, pixels.PhysicalSizeXUnit),
    },
    channels: ((pixels.Channel ?? []) as Array<Record<string, unknown>>).map((channel) => ({
      ...(typeof channel.Name === 'string' && channel.Name !== '' ? { name: channel.Name } : {}),
      ...(omeColorToHex(channel.Color) ? { color: omeColorToHex(channel.Color) } : {}),
    })),
  };
}

/** OME 2016-06: PhysicalSize* is a positive float, its unit defaults to µm. */
function physicalSize(value: unknown, unit: unknown): PhysicalSize | undefined {
  const number = Number(value);
  if (value === undefined || !Number.isFinite(number) || number <= 0) return undefined;
  const ngffUnit = ngffLengthUnits[typeof unit === 'string' ? unit : 'µm'];
  return ngffUnit ? { value: number, unit: ngffUnit } : undefined;
}
