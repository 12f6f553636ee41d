// OME-XML (OME Data Model, schema 2016-06): what the first Image's Pixels element says, the channels, and how many
// Images the document holds. Read from an OME-TIFF's ImageDescription (OME-TIFF specification: the OME-XML block
// sits in the first IFD) or an .ome.xml file. The XML is untrusted: no entity is expanded (a DOCTYPE cannot make a
// billion laughs), nesting is bounded before the parser sees it, and attributes are read as text and checked.
import { XMLParser } from 'fast-xml-parser';
import { ImageReadError } from './errors.ts';
import type { ImageAxis, ImageChannel, ImageMetadata, PixelType } from './types.ts';
import { unitName } from './units.ts';

/** Deepest element nesting read; real OME-XML (plates with annotations) stays under 20. */
const maxDepth = 128;

// OME 2016-06 PixelType enumeration to numpy names.
const pixelTypes: Record<string, PixelType> = {
  bit: 'bool',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  float: 'float32',
  double: 'float64',
  complex: 'complex64',
  'double-complex': 'complex128',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === 'Image' || name === 'Channel' || name === 'TiffData',
  // Only the elements read below; BinData, annotations and the rest are skipped as text.
  stopNodes: ['*.BinData', '*.StructuredAnnotations', '*.ROI', '*.Instrument'],
});

type Attributes = Record<string, unknown>;

/** Is this text an OME-XML document (its root element is OME in any prefix)? */
export function isOmeXml(text: string): boolean {
  return /<(?:[A-Za-z_][\w.-]*:)?OME[\s>]/u.test(text.slice(0, 4096));
}

/** Throws TOO_LARGE when elements nest deeper than `maxDepth` (a hostile file could exhaust the parser's stack). */
function checkNesting(xml: string): void {
  let depth = 0;
  for (const match of xml.matchAll(/<(\/?)[A-Za-z_][^<>]*?(\/?)>/gu)) {
    if (match[1]) depth--;
    else if (!match[2]) depth++;
    if (depth > maxDepth) throw new ImageReadError('TOO_LARGE', `OME-XML nests elements deeper than ${maxDepth}`);
  }
}

const positive = (value: unknown): number | undefined => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
};
const positiveInteger = (value: unknown): number | undefined => {
  const n = positive(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
};

/**
 * OME Color: a signed 32-bit integer holding RGBA (OME 2016-06 `Color`, e.g. -16776961 is 0xFF0000FF, opaque
 * red), written as RRGGBB.
 */
export function omeColorToHex(value: unknown): string | undefined {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string' || !/^\s*-?\d+\s*$/u.test(value)) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) return undefined;
  return ((n >>> 8) & 0xffffff).toString(16).toUpperCase().padStart(6, '0');
}

/** The axes, slowest first, from Pixels: DimensionOrder lists them fastest first (OME 2016-06 `DimensionOrder`). */
function axesOf(pixels: Attributes, order: string): ImageAxis[] {
  const axes: ImageAxis[] = [];
  for (const letter of [...order].reverse()) {
    const size = positiveInteger(pixels[`Size${letter}`]);
    if (size === undefined) throw new ImageReadError('MALFORMED', `OME-XML Pixels has no valid Size${letter}`);
    const name = letter.toLowerCase();
    const axis: ImageAxis = {
      name,
      type: letter === 'C' ? 'channel' : letter === 'T' ? 'time' : 'space',
      size,
    };
    if (letter === 'T') {
      const increment = positive(pixels.TimeIncrement);
      if (increment !== undefined) {
        axis.physicalSize = increment;
        // OME 2016-06: TimeIncrementUnit defaults to s.
        axis.unit = unitName(String(pixels.TimeIncrementUnit ?? 's')) ?? String(pixels.TimeIncrementUnit);
      }
    } else if (letter !== 'C') {
      const physical = positive(pixels[`PhysicalSize${letter}`]);
      if (physical !== undefined) {
        axis.physicalSize = physical;
        // OME 2016-06: PhysicalSize{X,Y,Z}Unit default to µm.
        const unit = String(pixels[`PhysicalSize${letter}Unit`] ?? 'µm');
        axis.unit = unitName(unit) ?? unit;
      }
    }
    axes.push(axis);
  }
  return axes;
}

function channelsOf(pixels: Attributes): ImageChannel[] {
  const channels = Array.isArray(pixels.Channel) ? (pixels.Channel as unknown[]) : [];
  return channels.map((entry) => {
    const channel: ImageChannel = {};
    const attributes = (typeof entry === 'object' && entry !== null ? entry : {}) as Attributes;
    if (typeof attributes.Name === 'string') channel.name = attributes.Name;
    if (typeof attributes.Color === 'string') {
      const color = omeColorToHex(attributes.Color);
      if (color) channel.color = color;
    }
    return channel;
  });
}

/**
 * An OME-XML document parsed with the bounds above: attributes as text, Image, Channel and TiffData always lists.
 * The one parse of OME-XML for the readers, the previews (tiff-layout.ts) and the converter.
 */
export function parseOmeDocument(xml: string): Attributes {
  checkNesting(xml);
  try {
    return parser.parse(xml) as Attributes;
  } catch (error) {
    throw new ImageReadError('MALFORMED', `OME-XML cannot be parsed: ${(error as Error).message}`, { cause: error });
  }
}

/** The metadata an OME-XML document gives for its first Image; `format` is the caller's (OME-TIFF, OME-XML). */
export function parseOmeXml(xml: string, format: string): ImageMetadata {
  const document = parseOmeDocument(xml);
  const ome = document.OME as Attributes | undefined;
  const images = ome && Array.isArray(ome.Image) ? (ome.Image as Attributes[]) : [];
  const pixels = images[0]?.Pixels as Attributes | undefined;
  if (typeof pixels !== 'object' || pixels === null)
    throw new ImageReadError('MALFORMED', 'OME-XML has no Image with Pixels');
  const order = String(pixels.DimensionOrder ?? '');
  if (!/^XY(?:ZCT|ZTC|CTZ|CZT|TCZ|TZC)$/u.test(order))
    throw new ImageReadError('MALFORMED', `OME-XML DimensionOrder '${order.slice(0, 20)}' is not one OME allows`);
  const metadata: ImageMetadata = { status: 'read', format, axes: axesOf(pixels, order) };
  const type = Object.hasOwn(pixelTypes, String(pixels.Type)) ? pixelTypes[String(pixels.Type)] : undefined;
  if (type) metadata.dataType = type;
  const channels = channelsOf(pixels);
  if (channels.length > 0) metadata.channels = channels;
  metadata.seriesCount = images.length;
  return metadata;
}
