// File formats, from the extension and the first bytes. Pure (no Node imports): the site may call it too.
// Magic numbers, each cited: TIFF 6.0 §2 ("II*\0"/"MM\0*"), BigTIFF ("II+\0"); CZI: Zeiss ZISRAW file
// format, segment id "ZISRAWFILE" at offset 0; ND2: Nikon chunk magic 0x0ABECEDA (little-endian) at 0;
// LIF: Leica, 0x70 then a 0x2A test value at offset 8; MRC2014 §"MAP " at byte 208; DM3/DM4: Gatan, big-endian
// version 3 or 4 in the first 4 bytes; HDF5 §III.A superblock signature at 0, 512, 1024...; PNG §5.2;
// JPEG SOI FF D8 FF.
import type { ManifestFile } from '../schemas/index.ts';

export type Format = ManifestFile['format'];
export type Role = ManifestFile['role'];

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

export function isTiff(head: Uint8Array): boolean {
  return (
    startsWith(head, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(head, [0x49, 0x49, 0x2b, 0x00]) ||
    startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])
  );
}

const magic: Array<{ format: Format; test: (head: Uint8Array) => boolean }> = [
  { format: 'TIFF', test: isTiff },
  { format: 'CZI', test: (h) => startsWith(h, ascii('ZISRAWFILE')) },
  { format: 'ND2', test: (h) => startsWith(h, [0xda, 0xce, 0xbe, 0x0a]) },
  { format: 'LIF', test: (h) => startsWith(h, [0x70, 0x00, 0x00, 0x00]) && h[8] === 0x2a },
  { format: 'MRC', test: (h) => startsWith(h, ascii('MAP'), 208) },
  { format: 'DM3', test: (h) => startsWith(h, [0, 0, 0, 3]) },
  { format: 'DM4', test: (h) => startsWith(h, [0, 0, 0, 4]) },
  {
    format: 'HDF5',
    test: (h) =>
      startsWith(h, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]) ||
      startsWith(h, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512),
  },
  { format: 'PNG', test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { format: 'JPEG', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
];

/** Extensions (lower case, longest first) and the format they claim. */
const extensions: Array<[string, Format]> = [
  ['.ome.tiff', 'OME-TIFF'],
  ['.ome.tif', 'OME-TIFF'],
  ['.ome.btf', 'OME-TIFF'],
  ['.tiff', 'TIFF'],
  ['.tif', 'TIFF'],
  ['.btf', 'TIFF'],
  ['.czi', 'CZI'],
  ['.nd2', 'ND2'],
  ['.lif', 'LIF'],
  ['.mrcs', 'MRC'],
  ['.mrc', 'MRC'],
  ['.map', 'MRC'],
  ['.st', 'MRC'],
  ['.rec', 'MRC'],
  ['.dm3', 'DM3'],
  ['.dm4', 'DM4'],
  ['.h5', 'HDF5'],
  ['.hdf5', 'HDF5'],
  ['.hdf', 'HDF5'],
  ['.ims', 'HDF5'],
  ['.png', 'PNG'],
  ['.jpg', 'JPEG'],
  ['.jpeg', 'JPEG'],
  ['.csv', 'CSV'],
  ['.tsv', 'TSV'],
  ['.json', 'JSON'],
  ['.xml', 'XML'],
  ['.txt', 'TXT'],
  ['.md', 'TXT'],
];

/** The format an extension claims, or undefined. */
export function formatFromExtension(path: string): Format | undefined {
  const lower = path.toLowerCase();
  return extensions.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** The format the first bytes show, or undefined. */
export function formatFromMagic(head: Uint8Array): Format | undefined {
  return magic.find((m) => m.test(head))?.format;
}

const textFormats = new Set<Format>(['CSV', 'TSV', 'JSON', 'XML', 'TXT']);

/**
 * The format of one file. Extension and bytes must agree: a `.tif` that is not a TIFF is `other` (a
 * renamed or truncated file should not be advertised as an image). Text formats have no magic number and go by
 * their extension alone; OME-TIFF is a TIFF named `.ome.tif(f)` (OME-TIFF spec: the OME-XML sits in the first
 * IFD's ImageDescription, which a 512-byte head cannot always reach).
 */
export function detectFormat(path: string, head: Uint8Array): Format {
  const claimed = formatFromExtension(path);
  const shown = formatFromMagic(head);
  if (claimed && textFormats.has(claimed)) return claimed;
  if (claimed === 'OME-TIFF') return shown === 'TIFF' ? 'OME-TIFF' : 'other';
  if (claimed === 'MRC') return shown === 'MRC' || head.length < 212 ? 'MRC' : 'other';
  if (claimed) return shown === claimed ? claimed : 'other';
  // No known extension: trust a distinctive magic number (not the short DM3/DM4 one).
  return shown && shown !== 'DM3' && shown !== 'DM4' ? shown : 'other';
}

const imageFormats = new Set<Format>([
  'OME-TIFF',
  'TIFF',
  'OME-Zarr',
  'CZI',
  'ND2',
  'LIF',
  'MRC',
  'DM3',
  'DM4',
  'HDF5',
  'PNG',
  'JPEG',
]);

/** A default role from the format: images are images, tables and text are annotations, the rest other. */
export function roleOf(format: Format): Role {
  if (imageFormats.has(format)) return 'image';
  if (format === 'CSV' || format === 'TSV' || format === 'JSON' || format === 'XML') return 'annotation';
  return 'other';
}

/** MIME type for an object of this format (IANA names where they exist). */
export function contentTypeOf(format: Format): string {
  const types: Partial<Record<Format, string>> = {
    'OME-TIFF': 'image/tiff',
    TIFF: 'image/tiff',
    PNG: 'image/png',
    JPEG: 'image/jpeg',
    CSV: 'text/csv',
    TSV: 'text/tab-separated-values',
    JSON: 'application/json',
    XML: 'application/xml',
    TXT: 'text/plain',
    HDF5: 'application/x-hdf5',
  };
  return types[format] ?? 'application/octet-stream';
}

/**
 * OME-Zarr (OME-NGFF 0.4: `.zattrs` with `multiscales`; 0.5: `zarr.json` with `attributes.ome`): a folder that
 * is one image. Given the text of the folder's `.zattrs` or `zarr.json`, says whether it is one.
 */
export function isOmeZarrAttributes(text: string): boolean {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const attributes = (value.attributes as Record<string, unknown> | undefined) ?? value;
    return Boolean(
      attributes.multiscales || (attributes.ome as Record<string, unknown> | undefined)?.multiscales || attributes.ome,
    );
  } catch {
    return false;
  }
}
