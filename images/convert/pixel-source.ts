// What the converter reads from an original image: its shape as (t, c, z, y, x), its pixel type, what the file says
// of physical sizes and channels, and any rectangle of one plane. Every reader (TIFF, PNG/JPEG, MRC) gives this
// shape, so the pyramid writer knows nothing of file formats.

/** Element types the converter writes, named as Zarr v3 names them (Zarr v3 core §data types). */
export type ZarrDataType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface PhysicalSize {
  value: number;
  /** A unit of OME-NGFF 0.5 §axes (UDUNITS-2 names): `micrometer`, `nanometer`, `angstrom`... */
  unit: string;
}

export interface SourceChannel {
  name?: string;
  /** Six hexadecimal digits, RRGGBB. */
  color?: string;
}

export interface PixelSource {
  /** Sizes along t, c, z, y, x (1 where the image has no such axis). */
  readonly shape: { t: number; c: number; z: number; y: number; x: number };
  readonly dataType: ZarrDataType;
  /** Physical size of one voxel along z, y, x when the file says it. */
  readonly physicalSizes: { z?: PhysicalSize; y?: PhysicalSize; x?: PhysicalSize };
  /** One per channel when the file names or colours them; empty otherwise. */
  readonly channels: SourceChannel[];
  /** Rows y0..y1-1 and columns x0..x1-1 of plane (t, c, z), row-major, as a new array. */
  readRegion(
    plane: { t: number; c: number; z: number },
    y0: number,
    y1: number,
    x0: number,
    x1: number,
  ): Promise<PixelArray>;
  close(): Promise<void>;
}

/** The typed array of a data type. */
export function arrayOf(dataType: ZarrDataType, length: number): PixelArray {
  switch (dataType) {
    case 'uint8':
      return new Uint8Array(length);
    case 'int8':
      return new Int8Array(length);
    case 'uint16':
      return new Uint16Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'uint32':
      return new Uint32Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
  }
}

export const bytesPerElement = (dataType: ZarrDataType): number => arrayOf(dataType, 0).BYTES_PER_ELEMENT;

/**
 * The largest plane the converter takes (pixels): 2^32, 65536 x 65536. A header claiming more is refused before
 * anything is read, so a hostile size cannot make the converter loop over chunks that do not exist.
 */
export const maxPlanePixels = 2 ** 32;

/** Units of OME-XML (OME 2016-06 UnitsLength) as OME-NGFF 0.5 §axes spells them; unknown units are dropped. */
export const ngffLengthUnits: Readonly<Record<string, string>> = {
  Å: 'angstrom',
  pm: 'picometer',
  nm: 'nanometer',
  µm: 'micrometer',
  μm: 'micrometer',
  um: 'micrometer',
  mm: 'millimeter',
  cm: 'centimeter',
  m: 'meter',
};
