// The test images written by the reference writers (write-test-images.py: Debian's tifffile, zarr 2, numpy), once
// per test file, into a temporary folder.
import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import sharp from 'sharp';
import type { ZarrSource } from '../../images/planes-zarr.ts';

export const fixtures = new URL('./fixtures/', import.meta.url).pathname;

/** Writes the images; returns their folder. */
export async function writeTestImages(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'catalogue-images-'));
  const script = new URL('./write-test-images.py', import.meta.url).pathname;
  await execa('/usr/bin/python3', [script, folder]);
  return folder;
}

/** An OME-Zarr image in a folder, read file by file. */
export function folderZarr(folder: string): ZarrSource {
  return {
    get: (path) =>
      readFile(join(folder, ...path.split('/'))).then(
        (bytes) => new Uint8Array(bytes),
        () => undefined,
      ),
  };
}

/** Decodes a PNG: size, RGB pixels and the variance of their grey level. */
export async function decodePng(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let sum = 0;
  let squares = 0;
  const pixels = info.width * info.height;
  for (let i = 0; i < pixels; i++) {
    const grey = (data[i * 3] + data[i * 3 + 1] + data[i * 3 + 2]) / 3;
    sum += grey;
    squares += grey * grey;
  }
  const mean = sum / pixels;
  /** The mean RGB of a region given as fractions of the width and height. */
  const region = (x0: number, y0: number, x1: number, y1: number) => {
    const total = [0, 0, 0];
    let count = 0;
    for (let y = Math.floor(y0 * info.height); y < Math.floor(y1 * info.height); y++)
      for (let x = Math.floor(x0 * info.width); x < Math.floor(x1 * info.width); x++) {
        for (let c = 0; c < 3; c++) total[c] += data[(y * info.width + x) * 3 + c];
        count++;
      }
    return total.map((t) => Math.round(t / count));
  };
  return { width: info.width, height: info.height, variance: squares / pixels - mean * mean, region };
}
