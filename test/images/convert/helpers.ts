// Test helpers: a folder as a ChunkStore, a .npy reader (numpy format 1.0/2.0: magic, header dict, C-order data),
// the reference writers run through Debian's Python (which has tifffile, numpy and zarr 2.13).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ChunkStore } from '../../../images/convert/zarr-store.ts';

export const debianPython = '/usr/bin/python3';
export const fixtures = new URL('./fixtures/', import.meta.url).pathname;

export function runPython(script: string, args: string[]): string {
  return execFileSync(debianPython, [join(fixtures, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    // The scripts import reference_pyramid.py from the fixtures: no __pycache__ is left beside it.
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
}

export function folderChunkStore(root: string): ChunkStore {
  return {
    async get(key) {
      return readFile(join(root, key)).then(
        (bytes) => new Uint8Array(bytes),
        () => undefined,
      );
    },
    async set(key, bytes) {
      await mkdir(dirname(join(root, key)), { recursive: true });
      await writeFile(join(root, key), bytes);
    },
  };
}

export interface Npy {
  shape: number[];
  data: ArrayLike<number>;
}

const npyTypes: Record<string, new (buffer: ArrayBuffer) => ArrayLike<number>> = {
  '|u1': Uint8Array,
  '|i1': Int8Array,
  '<u2': Uint16Array,
  '<i2': Int16Array,
  '<u4': Uint32Array,
  '<i4': Int32Array,
  '<f4': Float32Array,
  '<f8': Float64Array,
};

export function readNpy(path: string): Npy {
  const bytes = readFileSync(path);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  const data = bytes.subarray(start + headerLength);
  const copy = new Uint8Array(data).buffer;
  return { shape, data: new npyTypes[descr](copy) };
}
