// What the catalogue knows of an image, read from the file's own bytes. These shapes are shared by the readers
// (images/read-*.ts), the manifest (schemas/manifest.schema.json, `image` of a file), the submission checks
// (catalog/checks/images.ts), the previews and the site. Field names follow OME-NGFF 0.5 where it has one
// (axes with `name`, `type` and `unit`; `omero` channels with a colour as six hexadecimal digits).

/** An axis, in the file's own order (slowest first, as OME-NGFF and numpy order them). */
export interface ImageAxis {
  /** 'x', 'y', 'z', 'c', 't', or another name the file gives. */
  name: string;
  /** OME-NGFF axis type. */
  type: 'space' | 'time' | 'channel' | 'other';
  /** Number of samples along the axis, at full resolution. */
  size: number;
  /** Physical size of one sample along a space or time axis, in `unit`; absent when the file does not say. */
  physicalSize?: number;
  /** A unit of OME-NGFF 0.5's list (UDUNITS-2 names: 'micrometer', 'nanometer', 'angstrom', 'second'...). */
  unit?: string;
}

export interface ImageChannel {
  name?: string;
  /** Six upper-case hexadecimal digits, RRGGBB, as OME-NGFF `omero.channels[].color`. */
  color?: string;
}

/** The element type of the pixel data, named as numpy and zarr name them. */
export type PixelType =
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float16'
  | 'float32'
  | 'float64'
  | 'complex64'
  | 'complex128'
  | 'rgb8';

/**
 * What a reader found. `read` means axes, shape and data type come from the file; `recognised` means the format
 * was identified from its signature but this catalogue has no reader for its metadata (then only `format` is set).
 */
export interface ImageMetadata {
  status: 'read' | 'recognised';
  /** The manifest's format name ('OME-TIFF', 'TIFF', 'OME-Zarr', 'MRC', 'PNG', 'JPEG', 'DM3', 'CZI'...). */
  format: string;
  axes?: ImageAxis[];
  dataType?: PixelType;
  channels?: ImageChannel[];
  /** Number of images (OME series, TIFF image series) the file holds; the axes describe the first. */
  seriesCount?: number;
  /** OME-Zarr only: the multiscale levels and whether labels or a plate are present. */
  resolutionLevels?: number;
  hasLabels?: boolean;
  isPlate?: boolean;
}
