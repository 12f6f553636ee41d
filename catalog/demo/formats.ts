// Small, deterministic files in real image formats for the demo catalogue (catalog/demo/data.ts). Each writer
// produces the format's real header and structure, so that tools and format sniffers recognise the files; the
// pixels come from scenes.ts, drawn from a seeded generator: the same bytes on every machine.
// Nothing here depends on zlib or the platform; PNG uses stored (uncompressed) deflate blocks for that reason.
import { crc32 } from 'node:zlib';
import { createRandom } from '../random.ts';

export type Random = ReturnType<typeof createRandom>;

/** A 32-bit FNV-1a hash of a string: the seed of each file, from its accession and path. */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (const ch of Buffer.from(text, 'utf8')) hash = Math.imul(hash ^ ch, 0x01000193) >>> 0;
  return hash;
}

/** The planes of an image, each a Float64Array of values in [0, 1) (RGB triples for an RGB image). */
export type PlaneSource = (index: number) => Float64Array;

// ---------------------------------------------------------------------------------------------------------------
// TIFF 6.0 (Adobe, 1992), baseline, little-endian, uncompressed, one strip per page. With `omeXml`, the XML goes
// into the first page's ImageDescription: that is what makes a TIFF an OME-TIFF (OME-TIFF specification).

export interface TiffOptions {
  width: number;
  height: number;
  /** Pages (z-slices, time points or channels, in file order). */
  pages: number;
  bits: 8 | 16;
  /** 3 for RGB (8-bit only), default 1. */
  samples?: 1 | 3;
  omeXml?: string;
}

export function renderTiff(planes: PlaneSource, options: TiffOptions): Uint8Array {
  const { width, height, pages, bits } = options;
  const samples = options.samples ?? 1;
  const bytesPerSample = bits / 8;
  const stripBytes = width * height * samples * bytesPerSample;
  const description = options.omeXml ? Buffer.from(options.omeXml + '\0', 'utf8') : undefined;
  const tagCount = 9 + (description ? 1 : 0);
  const ifdBytes = 2 + tagCount * 12 + 4;
  const extraBytes = samples === 3 ? 6 : 0; // BitsPerSample for RGB does not fit in the entry
  let size = 8;
  for (let p = 0; p < pages; p++)
    size += ifdBytes + extraBytes + (p === 0 && description ? description.length : 0) + stripBytes;
  const buffer = Buffer.alloc(size);
  buffer.write('II', 0, 'latin1');
  buffer.writeUInt16LE(42, 2);
  buffer.writeUInt32LE(8, 4);
  let offset = 8;
  for (let p = 0; p < pages; p++) {
    const ifd = offset;
    const extra = ifd + ifdBytes;
    const descriptionAt = extra + extraBytes;
    const pageDescription = p === 0 ? description : undefined;
    const dataAt = descriptionAt + (pageDescription?.length ?? 0);
    const next = dataAt + stripBytes;
    // Tags in ascending order (TIFF 6.0 §2: "the entries in an IFD must be sorted in ascending order by Tag").
    const tags: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, samples, samples === 3 ? extra : bits],
      [259, 3, 1, 1],
      [262, 3, 1, samples === 3 ? 2 : 1],
    ];
    if (pageDescription) tags.push([270, 2, pageDescription.length, descriptionAt]);
    tags.push([273, 4, 1, dataAt], [277, 3, 1, samples], [278, 4, 1, height], [279, 4, 1, stripBytes]);
    // Keep the count fixed per page: pages after the first have no description, so repeat a harmless tag.
    while (tags.length < tagCount) tags.push([284, 3, 1, 1]);
    tags.sort((a, b) => a[0] - b[0]);
    buffer.writeUInt16LE(tagCount, ifd);
    tags.forEach(([tag, type, count, value], i) => {
      const at = ifd + 2 + i * 12;
      buffer.writeUInt16LE(tag, at);
      buffer.writeUInt16LE(type, at + 2);
      buffer.writeUInt32LE(count, at + 4);
      if (type === 3 && count === 1) buffer.writeUInt16LE(value, at + 8);
      else buffer.writeUInt32LE(value, at + 8);
    });
    buffer.writeUInt32LE(p === pages - 1 ? 0 : next, ifd + 2 + tagCount * 12);
    if (samples === 3) for (let s = 0; s < 3; s++) buffer.writeUInt16LE(8, extra + s * 2);
    pageDescription?.copy(buffer, descriptionAt);
    const values = planes(p);
    for (let i = 0; i < width * height * samples; i++) {
      const at = dataAt + i * bytesPerSample;
      if (bits === 8) buffer[at] = Math.floor(values[i] * 256);
      else buffer.writeUInt16LE(Math.floor(values[i] * 4096), at); // 12-bit camera range in 16-bit words
    }
    offset = next;
  }
  return buffer;
}

/** Minimal OME-XML (OME 2016-06 schema) for an OME-TIFF with one image. */
export function omeXml(options: {
  name: string;
  width: number;
  height: number;
  z: number;
  c: number;
  t: number;
  bits: 8 | 16;
  pixelUm: number;
  zUm?: number;
  /** Name and display colour (RRGGBB) of each channel. */
  channels?: readonly { name: string; color: string }[];
}): string {
  const type = options.bits === 8 ? 'uint8' : 'uint16';
  const planes = options.z * options.c * options.t;
  const channels = Array.from({ length: options.c }, (_, i) => {
    const channel = options.channels?.[i];
    // OME 2016-06 Channel/@Color: RGBA packed into a signed 32-bit integer.
    const color = channel
      ? ` Name="${channel.name}" Color="${(parseInt(channel.color + 'FF', 16) | 0).toString()}"`
      : '';
    return `<Channel ID="Channel:0:${i}"${color} SamplesPerPixel="1"/>`;
  }).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" Creator="bioimage-catalogue demo-data">' +
    `<Image ID="Image:0" Name="${options.name}"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="${type}" ` +
    `SizeX="${options.width}" SizeY="${options.height}" SizeZ="${options.z}" ` +
    `SizeC="${options.c}" SizeT="${options.t}" ` +
    `PhysicalSizeX="${options.pixelUm}" PhysicalSizeXUnit="µm" ` +
    `PhysicalSizeY="${options.pixelUm}" PhysicalSizeYUnit="µm"` +
    (options.zUm ? ` PhysicalSizeZ="${options.zUm}" PhysicalSizeZUnit="µm"` : '') +
    `>${channels}<TiffData IFD="0" PlaneCount="${planes}"/></Pixels></Image></OME>`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// PNG (ISO/IEC 15948, W3C PNG 2nd ed.): 8-bit greyscale, filter type 0 on every row, zlib stream (RFC 1950)
// of stored deflate blocks (RFC 1951 §3.2.4), so that the bytes never depend on a zlib version.

export function renderPng(values: Float64Array, width: number, height: number): Uint8Array {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.floor(values[y * width + x] * 256);
  }
  const blocks: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let at = 0; at < raw.length || at === 0; at += 65535) {
    const chunk = raw.subarray(at, Math.min(raw.length, at + 65535));
    const final = at + 65535 >= raw.length ? 1 : 0;
    const head = Buffer.alloc(5);
    head[0] = final;
    head.writeUInt16LE(chunk.length, 1);
    head.writeUInt16LE(~chunk.length & 0xffff, 3);
    blocks.push(head, chunk);
    if (final) break;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32(raw));
  blocks.push(adler);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.concat(blocks)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------------
// MRC2014 (Cheng et al. 2015, doi:10.1016/j.jsb.2015.04.002; https://www.ccpem.ac.uk/mrc_format/mrc2014.php):
// a 1024-byte header, then mode 1 (16-bit signed integers), little-endian (machine stamp 0x44 0x44).

export function renderMrc(
  planes: PlaneSource,
  options: { nx: number; ny: number; nz: number; pixelA: number; volume: boolean; label: string },
): Uint8Array {
  const { nx, ny, nz, pixelA } = options;
  const header = Buffer.alloc(1024);
  const data = Buffer.alloc(nx * ny * nz * 2);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let z = 0; z < nz; z++) {
    const values = planes(z);
    for (let i = 0; i < nx * ny; i++) {
      // Centred on zero, as micrographs and maps are stored after normalisation.
      const v = Math.round((values[i] - 0.5) * 2000);
      data.writeInt16LE(v, (z * nx * ny + i) * 2);
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sumSquares += v * v;
    }
  }
  const count = nx * ny * nz;
  const mean = sum / count;
  [nx, ny, nz, 1, 0, 0, 0, nx, ny, nz].forEach((v, i) => header.writeInt32LE(v, i * 4));
  [nx * pixelA, ny * pixelA, nz * pixelA, 90, 90, 90].forEach((v, i) => header.writeFloatLE(v, 40 + i * 4));
  [1, 2, 3].forEach((v, i) => header.writeInt32LE(v, 64 + i * 4));
  header.writeFloatLE(min, 76);
  header.writeFloatLE(max, 80);
  header.writeFloatLE(mean, 84);
  header.writeInt32LE(options.volume ? 1 : 0, 88); // ISPG: 0 = image stack, 1 = single volume
  header.writeInt32LE(0, 92); // NSYMBT: no extended header
  header.writeInt32LE(20140, 108); // NVERSION
  header.write('MAP ', 208, 'latin1');
  header.set([0x44, 0x44, 0x00, 0x00], 212);
  header.writeFloatLE(Math.sqrt(Math.max(0, sumSquares / count - mean * mean)), 216);
  header.writeInt32LE(1, 220);
  header.write(options.label.slice(0, 80).padEnd(80, ' '), 224, 'latin1');
  return Buffer.concat([header, data]);
}

// ---------------------------------------------------------------------------------------------------------------
// HDF5: the 8-byte format signature (HDF5 File Format Specification v3, §II.A) at offset 0, where readers look
// first. The body is placeholder bytes, not an HDF5 object tree: enough for format detection and fixity tests.

export function renderHdf5Placeholder(random: Random, bytes: number): Uint8Array {
  const buffer = Buffer.alloc(bytes);
  buffer.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  for (let i = 8; i < bytes; i += 4)
    buffer.writeUInt32LE(Math.floor(random.next() * 0x100000000), Math.min(i, bytes - 4));
  return buffer;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV (RFC 4180): a header line and numeric rows; an 'id' column counts from 1.

export type CsvColumn = [name: string, min: number, max: number, decimals: number] | [name: string, 'id'];

export function renderCsv(random: Random, columns: readonly CsvColumn[], rows: number): Uint8Array {
  const lines = [columns.map((c) => c[0]).join(',')];
  for (let r = 0; r < rows; r++) {
    lines.push(
      columns
        .map((c) => (c[1] === 'id' ? String(r + 1) : (c[1] + random.next() * (c[2] - c[1])).toFixed(c[3])))
        .join(','),
    );
  }
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// OME-Zarr (https://ngff.openmicroscopy.org/) images: 0.4 on Zarr v2 (multiscales in .zattrs, '.'-separated chunk
// keys) or 0.5 on Zarr v3 (metadata under `ome` in the group's zarr.json, 0.5 §"Image layout"; '/'-separated chunk
// keys under c/). Uncompressed little-endian uint16 chunks, so nothing depends on a codec library. Each level halves
// y and x (and z while it is above 1) of the one before.

export interface ZarrOptions {
  name: string;
  /** Shape as [c, z, y, x]. */
  shape: [number, number, number, number];
  /** Chunk shape as [c, z, y, x]. */
  chunks: [number, number, number, number];
  /** Physical size of a full-resolution voxel in micrometres, [z, y, x]. */
  scaleUm: [number, number, number];
  /** OME-NGFF version (default 0.4). */
  version?: '0.4' | '0.5';
  /** Resolution levels (default 2). */
  levels?: number;
  /** Name and display colour (RRGGBB) of each channel, for the omero block (OME-NGFF 0.4 §"omero metadata"). */
  channels?: readonly { name: string; color: string }[];
}

type Shape4 = [number, number, number, number];

function levelShapes(shape: Shape4, count: number): Shape4[] {
  const out: Shape4[] = [shape];
  while (out.length < count) {
    const [c, z, y, x] = out.at(-1)!;
    out.push([c, Math.max(1, Math.ceil(z / 2)), Math.ceil(y / 2), Math.ceil(x / 2)]);
  }
  return out;
}

/** Plane (c, z) of the next resolution level: each 2 × 2 block of pixels averaged. */
function halve(plane: Float64Array, width: number, height: number): Float64Array {
  const w = Math.ceil(width / 2);
  const h = Math.ceil(height / 2);
  const out = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = 0; dy < 2; dy++)
        for (let dx = 0; dx < 2; dx++)
          if (2 * y + dy < height && 2 * x + dx < width) {
            sum += plane[(2 * y + dy) * width + 2 * x + dx];
            n++;
          }
      out[y * w + x] = sum / n;
    }
  }
  return out;
}

/** A level's voxel size: doubled per level in y and x, and in z by as much as z was reduced. */
function levelScale(options: ZarrOptions, shapes: Shape4[], level: number): number[] {
  const [sz, sy, sx] = options.scaleUm;
  const factor = 2 ** level;
  const zFactor = shapes[0][1] === 1 ? 1 : shapes[0][1] / shapes[level][1];
  return [1, level === 0 ? sz : sz * Math.round(zFactor), sy * factor, sx * factor];
}

const voxelMaximum = 4096;

/** The planes of each level, [c * z + zi], the next from the one before: every second z-plane, pixels halved. */
function pyramidPlanes(planes: PlaneSource, shapes: Shape4[]): Float64Array[][] {
  const [c, z] = shapes[0];
  const levels = [Array.from({ length: c * z }, (_, i) => planes(i))];
  for (let level = 1; level < shapes.length; level++) {
    const [, pz, py, px] = shapes[level - 1];
    const [, lz] = shapes[level];
    const previous = levels[level - 1];
    levels.push(
      Array.from({ length: c * lz }, (_, i) => {
        const ci = Math.floor(i / lz);
        const zi = Math.min(pz - 1, (i % lz) * (pz > lz ? 2 : 1));
        return halve(previous[ci * pz + zi], px, py);
      }),
    );
  }
  return levels;
}

/** `planes(c * z + zi)` gives channel c, plane zi at full resolution. */
export function renderOmeZarr(planes: PlaneSource, options: ZarrOptions): { path: string; bytes: Uint8Array }[] {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
  const version = options.version ?? '0.4';
  const shapes = levelShapes(options.shape, options.levels ?? 2);
  const axes = [
    { name: 'c', type: 'channel' },
    { name: 'z', type: 'space', unit: 'micrometer' },
    { name: 'y', type: 'space', unit: 'micrometer' },
    { name: 'x', type: 'space', unit: 'micrometer' },
  ];
  const multiscale = {
    ...(version === '0.4' ? { version: '0.4' } : {}),
    name: options.name,
    axes,
    datasets: shapes.map((_, level) => ({
      path: String(level),
      coordinateTransformations: [{ type: 'scale', scale: levelScale(options, shapes, level) }],
    })),
    // How the levels were made, which the strict 0.5 schema asks for (OME-NGFF 0.5 §"multiscales": SHOULD).
    ...(version === '0.5'
      ? {
          type: 'mean',
          metadata: {
            description: 'Each level averages 2 x 2 pixels of the level before and keeps every second z-plane.',
            method: 'catalog/demo/formats.ts renderOmeZarr',
          },
        }
      : {}),
  };
  const omero = options.channels && {
    channels: options.channels.slice(0, options.shape[0]).map((channel) => ({
      label: channel.name,
      color: channel.color,
      active: true,
      window: { min: 0, max: voxelMaximum - 1, start: 0, end: voxelMaximum - 1 },
    })),
    rdefs: { defaultZ: Math.floor(options.shape[1] / 2), defaultT: 0, model: 'color' },
  };
  const attributes = { multiscales: [multiscale], ...(omero ? { omero } : {}) };
  const files: { path: string; bytes: Uint8Array }[] =
    version === '0.4'
      ? [
          { path: '.zgroup', bytes: json({ zarr_format: 2 }) },
          { path: '.zattrs', bytes: json(attributes) },
        ]
      : [
          {
            path: 'zarr.json',
            bytes: json({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', ...attributes } } }),
          },
        ];
  const levelPlanes = pyramidPlanes(planes, shapes);
  shapes.forEach((shape, level) => {
    const data = levelPlanes[level];
    const chunks = options.chunks.map((n, i) => Math.min(n, shape[i])) as Shape4;
    files.push(
      version === '0.4'
        ? {
            path: `${level}/.zarray`,
            bytes: json({
              chunks,
              compressor: null,
              dimension_separator: '.',
              dtype: '<u2',
              fill_value: 0,
              filters: null,
              order: 'C',
              shape,
              zarr_format: 2,
            }),
          }
        : {
            // Zarr v3 §"Array metadata": the default chunk key encoding with '/' and the bytes codec alone.
            path: `${level}/zarr.json`,
            bytes: json({
              zarr_format: 3,
              node_type: 'array',
              shape,
              data_type: 'uint16',
              chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
              chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
              fill_value: 0,
              codecs: [{ name: 'bytes', configuration: { endian: 'little' } }],
              dimension_names: axes.map((a) => a.name),
            }),
          },
    );
    const counts = shape.map((n, i) => Math.ceil(n / chunks[i]));
    for (let ci = 0; ci < counts[0]; ci++) {
      for (let zi = 0; zi < counts[1]; zi++) {
        for (let yi = 0; yi < counts[2]; yi++) {
          for (let xi = 0; xi < counts[3]; xi++) {
            const key = version === '0.4' ? `${ci}.${zi}.${yi}.${xi}` : `c/${ci}/${zi}/${yi}/${xi}`;
            files.push({ path: `${level}/${key}`, bytes: chunkOf(data, shape, chunks, [ci, zi, yi, xi]) });
          }
        }
      }
    }
  });
  return files;
}

/** One chunk of a level, little-endian uint16. Edge chunks are stored whole (Zarr v2 and v3), zero outside. */
function chunkOf(data: Float64Array[], shape: Shape4, chunks: Shape4, at: Shape4): Buffer {
  const [ci, zi, yi, xi] = at;
  const buffer = Buffer.alloc(chunks[0] * chunks[1] * chunks[2] * chunks[3] * 2);
  let offset = 0;
  for (let cc = 0; cc < chunks[0]; cc++) {
    for (let zz = 0; zz < chunks[1]; zz++) {
      const cPos = ci * chunks[0] + cc;
      const zPos = zi * chunks[1] + zz;
      for (let yy = 0; yy < chunks[2]; yy++) {
        for (let xx = 0; xx < chunks[3]; xx++) {
          const yPos = yi * chunks[2] + yy;
          const xPos = xi * chunks[3] + xx;
          const inside = cPos < shape[0] && zPos < shape[1] && yPos < shape[2] && xPos < shape[3];
          const v = inside ? data[cPos * shape[1] + zPos][yPos * shape[3] + xPos] : 0;
          buffer.writeUInt16LE(Math.min(voxelMaximum - 1, Math.floor(v * voxelMaximum)), offset);
          offset += 2;
        }
      }
    }
  }
  return buffer;
}
