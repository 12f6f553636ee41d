import { readFile } from 'node:fs/promises';
import { parseSource } from './source.ts';

/** Reads a JSON file with the limits of every catalogue file (size, nesting); throws SourceFileError otherwise. */
export async function readJsonFile(path: string): Promise<unknown> {
  return parseSource(path.endsWith('.json') ? path : `${path}.json`, await readFile(path, 'utf8')).data;
}
