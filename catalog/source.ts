// Parsing of entry files (YAML or JSON) with line and column numbers for problems.
// Speed matters (a 100k-entry catalogue is checked in one pass), so a document is read with js-yaml, which is
// about 9x faster here than `yaml`; `yaml`'s concrete syntax tree, slower, is only built when a problem has to be
// located. Both follow the YAML 1.2 core schema, so `2024-01-01` stays a string and `yes` is not a boolean.
import { load as loadYaml, CORE_SCHEMA, YAMLException } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { SourceFileError } from './errors.ts';
import { splitPointer } from './problems.ts';

/** Largest entry or manifest file accepted (bytes): a hostile file must not exhaust memory. */
export const maxSourceBytes = 8 * 1024 * 1024;

export interface Location {
  line: number;
  column: number;
}

export interface SourceDocument {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  /** Line and column (1-based) of the value at a JSON pointer, or of its nearest existing parent. */
  locate(pointer: string): Location;
}

/** Parses YAML or JSON text; throws SourceFileError (code YAML_SYNTAX, JSON_SYNTAX, YAML_ALIAS...) for bad input. */
export function parseSource(file: string, text: string): SourceDocument {
  if (text.length > maxSourceBytes) {
    throw new SourceFileError('FILE_TOO_LARGE', file, `the file has ${text.length} characters; at most ${maxSourceBytes} are accepted`);
  }
  const data = file.endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
  rejectSharedNodes(file, data);
  let locator: ((pointer: string) => Location) | undefined;
  return {
    file,
    text,
    data,
    locate(pointer) {
      locator ??= createLocator(text);
      return locator(pointer);
    },
  };
}

function parseYaml(file: string, text: string): unknown {
  // An empty document (or comments only) is reported as such by the caller, not as a syntax error.
  if (/^(\s*(#.*)?\n?)*$/.test(text)) return null;
  try {
    return loadYaml(text, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
      throw new SourceFileError('YAML_SYNTAX', file, `YAML syntax error: ${error.reason}`, { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 }, { cause: error });
    }
    throw error;
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 says "... at position N" (and, since Node 20, "(line L column C)"): turn the offset into a location.
    const position = Number(/position (\d+)/.exec(String(error))?.[1] ?? 0);
    const before = text.slice(0, position).split('\n');
    throw new SourceFileError('JSON_SYNTAX', file, `JSON syntax error: ${(error as Error).message}`, { line: before.length, column: before[before.length - 1].length + 1 }, { cause: error });
  }
}

// YAML anchors and aliases make one node appear in many places; a few nested aliases can stand for billions of
// nodes ("billion laughs"). Entries have no use for them, so a node reached twice is refused.
function rejectSharedNodes(file: string, data: unknown): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (seen.has(value)) throw new SourceFileError('YAML_ALIAS', file, 'YAML anchors and aliases (&name, *name) are not allowed in entries', {}, undefined);
    seen.add(value);
    for (const child of Object.values(value)) visit(child);
  };
  visit(data);
}

function createLocator(text: string): (pointer: string) => Location {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (pointer) => {
    let node: unknown = document.contents;
    let offset = (document.contents as YamlNode | null)?.range?.[0] ?? 0;
    for (const token of splitPointer(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === token);
        if (!pair) break;
        // Point at the key: that is the line a person reads as "the field".
        offset = (pair.key as YamlNode).range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item = node.items[Number(token)] as YamlNode | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    return at(offset);
  };
}
