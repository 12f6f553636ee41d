import { readFile } from 'node:fs/promises';
import { decodeSource, parseSource } from './source.ts';

/** Reads a JSON file with the limits of every catalogue file (size, nesting); throws SourceFileError otherwise. */
export async function readJsonFile(path: string): Promise<unknown> {
  const file = path.endsWith('.json') ? path : `${path}.json`;
  return parseSource(file, decodeSource(file, await readFile(path))).data;
}
