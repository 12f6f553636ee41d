// The IANA media type of each file format a manifest names (manifest.schema.json `format`), for RO-Crate
// `encodingFormat` and Signposting `item` links. Formats without a registered type (CZI, ND2, LIF, MRC, DM3/4,
// OME-Zarr's chunks) are application/octet-stream (RFC 2046 §4.5.1: arbitrary binary data).
const mediaTypes: Record<string, string> = {
  'OME-TIFF': 'image/tiff',
  TIFF: 'image/tiff',
  HDF5: 'application/x-hdf5',
  PNG: 'image/png',
  JPEG: 'image/jpeg',
  CSV: 'text/csv',
  TSV: 'text/tab-separated-values',
  JSON: 'application/json',
  XML: 'application/xml',
  TXT: 'text/plain',
};

export const binaryMediaType = 'application/octet-stream';

/** The media type of a manifest format; application/octet-stream when none is registered. */
export function mediaTypeOf(format: string | undefined): string {
  return (
    (format !== undefined && Object.hasOwn(mediaTypes, format) ? mediaTypes[format] : undefined) ?? binaryMediaType
  );
}
