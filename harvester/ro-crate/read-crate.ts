// Reads an RO-Crate metadata file from a partner: bounded before JSON.parse runs (size in bytes, nesting depth by a
// linear scan of the text), `__proto__` keys refused while parsing, then the crate's shape checked as RO-Crate 1.2
// §"Root Data Entity" asks: a flat @graph, the metadata descriptor, and the root Dataset it is `about`.
import { HarvestError } from '../errors.ts';

/** Why a crate was refused; each is quarantined under this code. */
export type CrateErrorCode =
  | 'CRATE_TOO_LARGE'
  | 'CRATE_TOO_DEEP'
  | 'CRATE_NOT_JSON'
  | 'CRATE_FORBIDDEN_KEY'
  | 'CRATE_NO_GRAPH'
  | 'CRATE_NO_DESCRIPTOR'
  | 'CRATE_NO_ROOT';

/** A crate that cannot be read; `pointer` is the JSON pointer of the part at fault ('' for the whole file). */
export class CrateError extends HarvestError {
  declare readonly code: CrateErrorCode;
  readonly pointer: string;
  constructor(code: CrateErrorCode, message: string, pointer = '') {
    super(code, message);
    this.name = 'CrateError';
    this.pointer = pointer;
  }
}

/** One entity of the @graph: an object with an @id (RO-Crate 1.2 §"Describing entities in JSON-LD"). */
export type CrateEntity = { readonly '@id': string; readonly [key: string]: unknown };

export interface Crate {
  /** The root data entity (the Dataset the descriptor is `about`). */
  root: CrateEntity;
  /** Every entity by its @id. */
  entities: ReadonlyMap<string, CrateEntity>;
}

export interface ReadCrateOptions {
  /** Largest file accepted, in bytes (default 2 MiB; the real crates are 5-25 KB). */
  maxBytes?: number;
  /** Deepest nesting of objects and arrays accepted (default 32; the real crates are 5 deep). */
  maxDepth?: number;
}

export const defaultMaxCrateBytes = 2 * 1024 * 1024;
const defaultMaxDepth = 32;

/**
 * The deepest nesting of `{` and `[` outside strings, stopping as soon as it passes `limit`: JSON.parse recurses
 * once per level, so a file of a million `[` would otherwise end the process with a stack overflow.
 */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The @id of a reference `{ "@id": ... }` or of an entity; undefined for anything else. */
export function idOf(value: unknown): string | undefined {
  return isObject(value) && typeof value['@id'] === 'string' ? value['@id'] : undefined;
}

/** The @type of an entity as a list (JSON-LD allows a string or an array). */
export function typesOf(entity: Record<string, unknown> | undefined): string[] {
  const type = entity?.['@type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

// RO-Crate 1.2 §"RO-Crate Metadata Descriptor": its @id is ro-crate-metadata.json; a detached crate published
// under a prefix names it <prefix>-ro-crate-metadata.json (§"Detached RO-Crate Package"), as the GIDE crates do.
const isDescriptorId = (id: string) => /(^|[/-])ro-crate-metadata\.json$/.test(id);

/** Parses and checks a crate. Throws CrateError, never anything else, whatever the bytes. */
export function readCrate(bytes: Uint8Array | string, options: ReadCrateOptions = {}): Crate {
  const maxBytes = options.maxBytes ?? defaultMaxCrateBytes;
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (size > maxBytes) throw new CrateError('CRATE_TOO_LARGE', `the crate is ${size} bytes, above ${maxBytes}`);
  const text = (typeof bytes === 'string' ? bytes : new TextDecoder('utf-8').decode(bytes)).replace(/^\uFEFF/, '');
  const maxDepth = options.maxDepth ?? defaultMaxDepth;
  if (exceedsDepth(text, maxDepth))
    throw new CrateError('CRATE_TOO_DEEP', `the crate nests objects and arrays more than ${maxDepth} levels deep`);
  let document: unknown;
  try {
    document = JSON.parse(text, (key, value: unknown) => {
      // JSON.parse makes "__proto__" an own key, but any later spread or Object.assign of that object would set a
      // prototype: such a key has no place in a crate, so the file is refused.
      if (key === '__proto__') throw new CrateError('CRATE_FORBIDDEN_KEY', 'the crate has a "__proto__" key');
      return value;
    });
  } catch (error) {
    if (error instanceof CrateError) throw error;
    throw new CrateError('CRATE_NOT_JSON', `the crate is not JSON: ${(error as Error).message}`);
  }
  // RO-Crate 1.2 §"RO-Crate JSON-LD": a flattened document, every entity in @graph.
  const graph = isObject(document) ? document['@graph'] : undefined;
  if (!Array.isArray(graph)) throw new CrateError('CRATE_NO_GRAPH', 'the crate has no "@graph" array', '/@graph');
  const entities = new Map<string, CrateEntity>();
  for (const node of graph) {
    const id = idOf(node);
    if (id !== undefined && !entities.has(id)) entities.set(id, node as CrateEntity);
  }
  // `about` is one reference, or (as the GIDE search examples write it) an array holding one.
  const aboutOf = (e: CrateEntity) => idOf(Array.isArray(e.about) && e.about.length === 1 ? e.about[0] : e.about);
  const descriptor = [...entities.values()].find((e) => isDescriptorId(e['@id']) && aboutOf(e));
  if (!descriptor)
    throw new CrateError(
      'CRATE_NO_DESCRIPTOR',
      'the crate has no metadata descriptor (an entity "ro-crate-metadata.json" whose "about" names the root)',
      '/@graph',
    );
  const rootId = aboutOf(descriptor)!;
  const root = entities.get(rootId);
  if (!root || !typesOf(root).includes('Dataset'))
    throw new CrateError(
      'CRATE_NO_ROOT',
      `the descriptor is about '${rootId.slice(0, 200)}', which is not a Dataset of the @graph`,
      '/@graph',
    );
  return { root, entities };
}
