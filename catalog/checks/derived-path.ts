// The folder `.derived/` of an entry's prefix holds the files the catalogue makes from the submitted ones (previews,
// OME-Zarr conversions; schemas/manifest.schema.json `derived`). A submitted file there could be overwritten by a
// preview, or pass for one: so no submitted path may start with it, and every derived path must.

/** Submitted files may not be under `.derived/`: the catalogue writes its previews and conversions there. */
export const derivedFolder = '.derived/';

/** Code, message and fix of a submitted path under `.derived/`. */
export const derivedPathReserved = [
  'DERIVED_PATH_RESERVED',
  `'${derivedFolder}' is the catalogue's own folder (previews, conversions): no submitted file may be in it`,
  `rename the folder (for example to 'derived/') and make the manifest again with \`catalogue manifest create\``,
] as const;
