// Parsing of entry files (YAML or JSON) with line and column numbers for problems.
// Speed matters (a 100k-entry catalogue is checked in one pass), so a document is read with js-yaml, which is
// several times faster here than `yaml`; `yaml`'s concrete syntax tree, slower, is only built when a problem has to be
// located. Both follow the YAML 1.2 core schema, so `2024-01-01` stays a string and `yes` is not a boolean.
import { load as loadYaml, CORE_SCHEMA, YAMLException } from 'js-yaml';
import {
  CST,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  parseDocument,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
} from 'yaml';
import { SourceFileError } from './errors.ts';
import { joinPointer, splitPointer } from './problems.ts';

/** Largest entry or manifest file accepted (bytes): a hostile file must not exhaust memory. */
export const maxSourceBytes = 8 * 1024 * 1024;

/** What to do about FILE_TOO_LARGE. */
export const tooLargeFix =
  'an entry needs a few kB: list the data files in manifest.json rather than writing data here; ' +
  'split a manifest of more files into several entries';

/**
 * Deepest nesting of lists and mappings accepted (the document itself is level 1). An entry nests about 6 deep;
 * a hostile file nested thousands deep would otherwise overflow the stack of every recursive walk downstream
 * (schema validation, exports, JSON.stringify, the site build). Refused here, once, for every file kind.
 */
export const maxNestingDepth = 64;

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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a file's bytes, which must be UTF-8 (YAML 1.2 §5.2, RFC 8259 §8.1). Decoding them leniently would
 * turn each bad byte into U+FFFD in a published title without a word; instead the first bad byte is reported as
 * ENCODING_INVALID at its line and column. A byte-order mark is dropped.
 */
export function decodeSource(file: string, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // The longest prefix that decodes (a sequence cut at the end of a prefix is not an error while streaming).
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const middle = (good + bad) >>> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, middle), { stream: true });
        good = middle;
      } catch {
        bad = middle;
      }
    }
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, bad - 1)).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    throw new SourceFileError(
      'ENCODING_INVALID',
      file,
      `the file is not valid UTF-8 (byte ${bad} is not part of a UTF-8 character)`,
      { line, column, fix: 'save the file as UTF-8 (most editors: "Save with encoding" or "Reopen with encoding")' },
    );
  }
}

/** Parses YAML or JSON text; throws SourceFileError (code YAML_SYNTAX, JSON_SYNTAX, YAML_ALIAS...) for bad input. */
export function parseSource(file: string, text: string): SourceDocument {
  if (text.length > maxSourceBytes) {
    throw new SourceFileError(
      'FILE_TOO_LARGE',
      file,
      `the file has ${text.length} characters; at most ${maxSourceBytes} are accepted`,
      { line: 1, column: 1, fix: tooLargeFix },
    );
  }
  const data = file.endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
  checkShape(file, text, data);
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
    // js-yaml counts keys, scalars and compact nodes too (up to two of its levels for one of ours): its own limit
    // only keeps its recursion short, and checkShape decides.
    return loadYaml(text, { schema: CORE_SCHEMA, filename: file, maxDepth: 2 * maxNestingDepth + 2 });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
      if (error.reason.startsWith('nesting exceeded maxDepth')) {
        const position = (error as YAMLException & { mark?: { position: number } }).mark?.position ?? text.length;
        throw tooDeep(file, text.slice(0, position + 1), {
          line: (mark?.line ?? 0) + 1,
          column: (mark?.column ?? 0) + 1,
        });
      }
      const fix =
        'look at this line and the one before: indent with spaces (not tabs), put a space after : and -, ' +
        'and close every quote and bracket';
      throw new SourceFileError(
        'YAML_SYNTAX',
        file,
        `YAML syntax error: ${error.reason}`,
        { line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, fix },
        { cause: error },
      );
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
    const fix = 'look for a missing or extra comma, quote, bracket or brace at this place';
    throw new SourceFileError(
      'JSON_SYNTAX',
      file,
      `JSON syntax error: ${(error as Error).message}`,
      { line: before.length, column: before[before.length - 1].length + 1, fix },
      { cause: error },
    );
  }
}

// YAML anchors and aliases make one node appear in many places; a few nested aliases can stand for billions of
// nodes ("billion laughs"). Entries have no use for them, so a node reached twice is refused. The walk keeps its
// own stack: JSON.parse accepts any depth, and a recursive walk would overflow on a file of nested brackets.
function checkShape(file: string, text: string, data: unknown): void {
  const seen = new Set<object>();
  const values: unknown[] = [data];
  const depths: number[] = [1];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxNestingDepth)
      throw tooDeep(file, file.endsWith('.json') ? text.slice(0, deepJsonOffset(text) + 1) : text);
    if (seen.has(value)) {
      throw new SourceFileError(
        'YAML_ALIAS',
        file,
        'YAML anchors and aliases (&name, *name) are not allowed in entries',
        {
          ...(findAlias(text) ?? { line: 1, column: 1, pointer: '' }),
          fix: 'write the repeated value out in full where the alias is, and remove the &name anchor',
        },
      );
    }
    seen.add(value);
    for (const child of Object.values(value)) {
      values.push(child);
      depths.push(depth + 1);
    }
  }
}

/**
 * JSON pointer of the first list or mapping in `value` nested deeper than `limit` (the value itself is level 1),
 * or undefined; for data parsed elsewhere (a partner's JSON inside XML). Keeps its own stack, like checkShape.
 */
export function tooDeepPointer(value: unknown, limit = maxNestingDepth): string | undefined {
  interface Step {
    readonly value: unknown;
    readonly depth: number;
    readonly parent?: Step;
    readonly key?: string;
  }
  const stack: Step[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if (step.value === null || typeof step.value !== 'object') continue;
    if (step.depth > limit) {
      const keys: string[] = [];
      for (let at: Step | undefined = step; at?.key !== undefined; at = at.parent) keys.push(at.key);
      return joinPointer(...keys.reverse());
    }
    const entries = Object.entries(step.value);
    for (let i = entries.length - 1; i >= 0; i--)
      stack.push({ value: entries[i][1], depth: step.depth + 1, parent: step, key: entries[i][0] });
  }
  return undefined;
}

/** Offset of the first `[` or `{` of valid JSON text that opens a level deeper than maxNestingDepth. */
function deepJsonOffset(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: up to the next quote not escaped by a backslash.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxNestingDepth) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return text.length;
}

/** TOO_DEEP for `text`, or for the part of it that ends where the limit is passed (the rest is not read). */
function tooDeep(file: string, text: string, otherwise: Location = { line: 1, column: 1 }): SourceFileError {
  const found = findTooDeep(text) ?? { ...otherwise, pointer: '' };
  return new SourceFileError('TOO_DEEP', file, `lists and mappings are nested more than ${maxNestingDepth} deep`, {
    ...found,
    fix:
      `nest lists and mappings at most ${maxNestingDepth} deep (an entry needs about 6); ` +
      'look for a run of [, { or "- " here',
  });
}

interface Frame {
  readonly token: CST.Token;
  readonly depth: number;
  readonly parent?: Frame;
  readonly key?: string;
}

/**
 * Line, column and JSON pointer of the first token of a document that `match`es (in document order), reading
 * yaml's concrete syntax tree (JSON is YAML flow syntax), whose parser keeps its own stack, so any depth is safe.
 * Only called once a file is known to be bad: it costs several times a parse.
 */
function findInSyntaxTree(
  text: string,
  match: (token: CST.Token, depth: number) => boolean,
): { line: number; column: number; pointer: string } | undefined {
  const lineCounter = new LineCounter();
  for (const document of new Parser(lineCounter.addNewLine).parse(text)) {
    if (document.type !== 'document' || !document.value) continue;
    const stack: Frame[] = [{ token: document.value, depth: 1 }];
    while (stack.length > 0) {
      const frame = stack.pop()!;
      const { token, depth } = frame;
      if (match(token, depth)) {
        const keys: string[] = [];
        for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) keys.push(at.key);
        const { line, col } = lineCounter.linePos('offset' in token ? token.offset : 0);
        return { line, column: col, pointer: joinPointer(...keys.reverse()) };
      }
      if (!CST.isCollection(token)) continue;
      const sequence = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[');
      for (let i = token.items.length - 1; i >= 0; i--) {
        const item = token.items[i];
        const key = sequence ? String(i) : item.key ? String(CST.resolveAsScalar(item.key)?.value ?? '') : '';
        if (item.value) stack.push({ token: item.value, depth: depth + 1, parent: frame, key });
        // A complex key (`? [...]`) nests as deep as a value does.
        if (item.key) stack.push({ token: item.key, depth: depth + 1, parent: frame, key });
      }
    }
  }
  return undefined;
}

/** Where a document first nests deeper than maxNestingDepth. */
const findTooDeep = (text: string) =>
  findInSyntaxTree(text, (token, depth) => CST.isCollection(token) && depth > maxNestingDepth);

/** Where a document first uses an alias (`*name`). */
const findAlias = (text: string) => findInSyntaxTree(text, (token) => token.type === 'alias');

function createLocator(text: string): (pointer: string) => Location {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const at = (offset: number): Location => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Each mapping's keys are indexed the first time a pointer passes through it: a hostile file with a million
  // unknown fields gets a million problems, and searching the mapping for each would take hours.
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, token: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items)
        if (isPair(item) && isScalar(item.key) && !index.has(String(item.key.value)))
          index.set(String(item.key.value), item);
      indexes.set(map, index);
    }
    return index.get(token);
  };
  return (pointer) => {
    let node: unknown = document.contents;
    let offset = (document.contents as YamlNode | null)?.range?.[0] ?? 0;
    for (const token of splitPointer(pointer)) {
      if (isMap(node)) {
        const pair = pairOf(node, token);
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
