// Image formats from their first bytes (and, for MRC, the extension with a sane header). Magic numbers, each
// cited: TIFF 6.0 §2 ("II*\0" / "MM\0*"), BigTIFF (version 43); PNG §5.2; JPEG (ITU T.81 §B.1.1.3: SOI FF D8, then
// a marker FF); MRC2014 ("MAP " at byte 208); DM3/DM4 (Gatan: big-endian version 3 or 4 in the first 4 bytes);
// CZI (segment id "ZISRAWFILE" at 0); ND2 (Nikon chunk magic 0x0ABECEDA, little-endian, at 0); LIF (Leica: 0x70
// then the test value 0x2A at byte 8); HDF5 §III.A (superblock signature at 0, 512, 1024...).

export type ImageFormat = 'TIFF' | 'PNG' | 'JPEG' | 'MRC' | 'DM3' | 'DM4' | 'CZI' | 'ND2' | 'LIF' | 'HDF5';

/** How many bytes detection looks at. */
export const detectionBytes = 1024;

const startsWith = (head: Uint8Array, bytes: readonly number[], offset = 0) =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const hdf5Signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const signatures: Array<{ format: ImageFormat; test: (head: Uint8Array) => boolean }> = [
  {
    format: 'TIFF',
    test: (h) =>
      startsWith(h, [0x49, 0x49, 0x2a, 0x00]) ||
      startsWith(h, [0x4d, 0x4d, 0x00, 0x2a]) ||
      startsWith(h, [0x49, 0x49, 0x2b, 0x00]) ||
      startsWith(h, [0x4d, 0x4d, 0x00, 0x2b]),
  },
  { format: 'PNG', test: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { format: 'JPEG', test: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { format: 'CZI', test: (h) => startsWith(h, ascii('ZISRAWFILE')) },
  { format: 'ND2', test: (h) => startsWith(h, [0xda, 0xce, 0xbe, 0x0a]) },
  { format: 'LIF', test: (h) => startsWith(h, [0x70, 0x00, 0x00, 0x00]) && h[8] === 0x2a },
  { format: 'MRC', test: (h) => startsWith(h, ascii('MAP '), 208) },
  { format: 'DM3', test: (h) => startsWith(h, [0, 0, 0, 3]) },
  { format: 'DM4', test: (h) => startsWith(h, [0, 0, 0, 4]) },
  { format: 'HDF5', test: (h) => startsWith(h, hdf5Signature) || startsWith(h, hdf5Signature, 512) },
];

/** MRC files written before MRC2014 lack the map word; their extension and a sane header identify them. */
const mrcExtensions = ['.mrc', '.map', '.mrcs', '.rec', '.st'];

/** MRC2014 MODE values (§"MODE"): 0 int8, 1 int16, 2 float32, 3 complex int16, 4 complex float32, 6 uint16, 12
 * float16, 101 4-bit. */
export const mrcModes = new Set([0, 1, 2, 3, 4, 6, 12, 101]);

/** A header whose NX, NY, NZ are positive and whose MODE is one MRC2014 defines, read in either byte order. */
export function looksLikeMrcHeader(head: Uint8Array): boolean {
  if (head.length < 224) return false;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return [true, false].some((little) => {
    const [nx, ny, nz, mode] = [0, 4, 8, 12].map((at) => view.getInt32(at, little));
    return nx > 0 && ny > 0 && nz > 0 && mrcModes.has(mode);
  });
}

/** The image format of a file from its name and first bytes (at least `detectionBytes` when the file has them). */
export function detectImageFormat(name: string, head: Uint8Array): ImageFormat | undefined {
  const found = signatures.find((s) => s.test(head))?.format;
  if (found) return found;
  const lower = name.toLowerCase();
  if (mrcExtensions.some((ext) => lower.endsWith(ext)) && looksLikeMrcHeader(head)) return 'MRC';
  return undefined;
}
