// The preview plane of an OME-Zarr image (OME-NGFF 0.4 on Zarr v2, 0.5 on Zarr v3), read with zarrita: the
// multiscales metadata (OME-NGFF 0.5 §"multiscales metadata": `datasets` from highest to lowest resolution), the
// smallest level whose long side still covers the preview, and of it only the chunks of the middle z section at
// the first time point, one channel at a time. Channel colours come from `omero.channels[].color`.
import * as zarr from 'zarrita';
import {
  assertPlaneBytes,
  assertPlaneFits,
  maxChannels,
  maxPlanePixels,
  reduceChannel,
  type Plane,
  type Samples,
} from './plane.ts';
import { asPreviewError, PreviewError } from './preview-error.ts';
import type { ReadPlaneOptions } from './planes-tiff.ts';

/**
 * Where an OME-Zarr image's files are: `get('0/.zarray')` gives the bytes of that file, relative to the image's
 * root folder, or undefined when there is no such file. The caller bounds each read.
 */
export interface ZarrSource {
  get(path: string): Promise<Uint8Array | undefined>;
}

interface Multiscale {
  axes?: Array<{ name?: unknown; type?: unknown } | string>;
  datasets?: Array<{ path?: unknown }>;
}

type Attributes = Record<string, unknown>;

export async function readZarrPlane(source: ZarrSource, options: ReadPlaneOptions): Promise<Plane> {
  return asPreviewError('the OME-Zarr image', async () => {
    const store: zarr.AsyncReadable = {
      get: (key) => source.get(key.replace(/^\/+/, '')),
    };
    const root = zarr.root(store);
    const group = await zarr.open(root, { kind: 'group' });
    const attributes = group.attrs as Attributes;
    // OME-NGFF 0.5 keeps its metadata under `ome`; 0.4 at the top of .zattrs.
    const ome = (isObject(attributes.ome) ? attributes.ome : attributes) as Attributes;
    const multiscale = (Array.isArray(ome.multiscales) ? ome.multiscales[0] : undefined) as Multiscale | undefined;
    const datasets = (multiscale?.datasets ?? []).map((d) => d.path).filter((p): p is string => typeof p === 'string');
    if (datasets.length === 0)
      throw new PreviewError('PREVIEW_UNSUPPORTED', 'the group has no multiscales datasets (a plate or a label group)');
    const axes = (multiscale?.axes ?? []).map((a) => String(typeof a === 'string' ? a : a.name).toLowerCase());
    const levels: Array<zarr.Array<zarr.DataType, zarr.AsyncReadable>> = [];
    for (const path of datasets.slice(0, 32)) {
      if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) || path.split('/').includes('..'))
        throw new PreviewError('PREVIEW_UNREADABLE', `the dataset path '${path.slice(0, 80)}' is not a safe path`);
      levels.push(await zarr.open(root.resolve(path), { kind: 'array' }));
    }
    const dims = axes.length === levels[0].shape.length ? axes : defaultAxes(levels[0].shape.length);
    const [x, y] = [dims.lastIndexOf('x'), dims.lastIndexOf('y')];
    if (x < 0 || y < 0 || y > x)
      throw new PreviewError('PREVIEW_UNSUPPORTED', `the axes ${dims.join(', ')} do not end with y, x`);
    const longSide = (level: (typeof levels)[number]) => Math.max(level.shape[x], level.shape[y]);
    const covering = levels.filter((l) => longSide(l) >= options.target).sort((a, b) => longSide(a) - longSide(b));
    const level = covering[0] ?? [...levels].sort((a, b) => longSide(b) - longSide(a))[0];
    const [height, width] = [level.shape[y], level.shape[x]];
    assertPlaneFits(width, height, options.maxPixels ?? maxPlanePixels);
    // Each chunk is decoded whole: a chunk larger than the plane bound would break the memory bound on its own.
    assertPlaneFits(
      level.chunks.reduce((a, b) => a * b, 1),
      1,
      options.maxPixels ?? maxPlanePixels,
    );
    // One channel is read at a time; its elements are at most 8 bytes (float64, int64).
    const elementBytes = Number(/(\d+)$/.exec(String(level.dtype))?.[1] ?? 64) / 8;
    assertPlaneBytes(width * height * Math.max(1, elementBytes));
    const channelAxis = dims.indexOf('c');
    const channelCount = channelAxis >= 0 ? Math.min(level.shape[channelAxis], maxChannels) : 1;
    const omero = isObject(ome.omero) ? (ome.omero as Attributes) : undefined;
    const colors = (Array.isArray(omero?.channels) ? omero.channels : []).map((c: unknown) =>
      isObject(c) && typeof c.color === 'string' && /^[0-9A-Fa-f]{6}$/.test(c.color)
        ? c.color.toUpperCase()
        : undefined,
    );
    const channels: Float32Array[] = [];
    let size = { width, height };
    for (let c = 0; c < channelCount; c++) {
      const selection = dims.map((name, i) => {
        if (i === x || i === y) return null;
        if (i === channelAxis) return c;
        // OME-NGFF: the middle z section; any other axis (t, or one of the file's own) at its first index.
        return name === 'z' ? Math.floor((level.shape[i] - 1) / 2) : 0;
      });
      const chunk = await zarr.get(level, selection);
      if (typeof chunk !== 'object' || chunk === null || !('data' in chunk))
        throw new PreviewError('PREVIEW_UNREADABLE', 'the plane read is not an array');
      const data = chunk.data as unknown;
      if (!ArrayBuffer.isView(data))
        throw new PreviewError('PREVIEW_UNSUPPORTED', `the data type ${level.dtype} is not drawn`);
      // zarrita keeps the remaining axes in order: y before x in every OME-NGFF image (axes end with y, x).
      const reduced = reduceChannel(data as unknown as Samples, width, height);
      size = { width: reduced.width, height: reduced.height };
      channels.push(reduced.data);
    }
    return { ...size, channels, colors: channels.map((_, c) => colors[c]), rgb: false };
  });
}

function defaultAxes(rank: number): string[] {
  // OME-NGFF 0.1–0.3 had no `axes`: the arrays were 5-D, tczyx.
  return ['t', 'c', 'z', 'y', 'x'].slice(-rank);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
