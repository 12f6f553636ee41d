// OME-Zarr 0.5 (Zarr v3): metadata under `ome` in zarr.json, arrays with the v3 chunk key encoding. Debian's zarr
// 2.13 writes only Zarr v2, so this image is written by zarrita (the Zarr v3 implementation the reader uses) into
// memory: czyx, two channels, two levels, colours in `ome.omero`.
import * as zarr from 'zarrita';
import { describe, expect, it } from 'vitest';
import { readZarrPlane } from '../../images/planes-zarr.ts';
import { renderPreviews } from '../../images/preview.ts';
import { decodePng } from './test-images.ts';

async function writeImage(): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const store = {
    get: (key: string) => files.get(key),
    set: (key: string, value: Uint8Array) => void files.set(key, value),
  };
  const root = zarr.root(store);
  const levels = [
    { path: '0', y: 300, x: 1200 },
    { path: '1', y: 150, x: 600 },
  ];
  await zarr.create(root, {
    attributes: {
      ome: {
        version: '0.5',
        multiscales: [
          {
            axes: [
              { name: 'c', type: 'channel' },
              { name: 'z', type: 'space' },
              { name: 'y', type: 'space' },
              { name: 'x', type: 'space' },
            ],
            datasets: levels.map((l, i) => ({
              path: l.path,
              coordinateTransformations: [{ type: 'scale', scale: [1, 1, 2 ** i, 2 ** i] }],
            })),
          },
        ],
        omero: { channels: [{ color: '00FFFF' }, { color: 'FF0000' }] },
      },
    },
  });
  for (const level of levels) {
    const array = await zarr.create(root.resolve(level.path), {
      shape: [2, 3, level.y, level.x],
      chunkShape: [1, 1, 64, 64],
      dtype: 'uint16',
    });
    const plane = level.y * level.x;
    const data = new Uint16Array(2 * 3 * plane);
    for (let z = 0; z < 3; z++)
      for (let i = 0; i < plane; i++) {
        const x = i % level.x;
        // Channel 0 (cyan) on the left third at every z; channel 1 (red) on the right third at z=1 only.
        data[(0 * 3 + z) * plane + i] = x < level.x / 3 ? 1000 + (i % 7) : i % 5;
        data[(1 * 3 + z) * plane + i] = z === 1 && x >= (2 * level.x) / 3 ? 3000 + (i % 11) : i % 3;
      }
    await zarr.set(array, null, { data, shape: [2, 3, level.y, level.x], stride: [3 * plane, plane, level.x, 1] });
  }
  return files;
}

describe('OME-Zarr 0.5 (Zarr v3)', () => {
  it('reads the level covering 1024 px, the middle z, and colours the channels by ome.omero', async () => {
    const files = await writeImage();
    const read: string[] = [];
    const source = {
      get: async (path: string) => {
        read.push(path);
        return files.get(`/${path}`);
      },
    };
    const plane = await readZarrPlane(source, { target: 1024 });
    expect([plane.width, plane.height]).toEqual([1200, 300]);
    // Only chunks of level 0 at z=1 are read, never those of other sections.
    const chunks = read.filter((p) => p.startsWith('0/c/'));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((p) => p.split('/')[3] === '1')).toBe(true);
    expect(read.some((p) => p.startsWith('1/c/'))).toBe(false);
    const picture = await decodePng((await renderPreviews({ format: 'OME-Zarr', zarr: source })).thumbnail);
    expect([picture.width, picture.height]).toEqual([256, 64]);
    expect(picture.region(0.02, 0.1, 0.3, 0.9)).toEqual([0, 255, 255].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.7, 0.1, 0.98, 0.9)).toEqual([255, 0, 0].map((v) => expect.closeTo(v, -1.5)));
    expect(picture.region(0.4, 0.1, 0.6, 0.9)).toEqual([0, 0, 0].map((v) => expect.closeTo(v, -1.5)));
  });
});
