// The harvester's log (<catalog>/harvest-log.json) and the mirrors' audit report (<catalog>/mirror-status.json)
// are written by other parts of the project, possibly while the site builds. They are read defensively: a
// missing, half-written or unexpected file gives an explained empty state, never a failed build.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxNestingDepth, tooDeepPointer } from '../../catalog/source.ts';

export type Cell = string | number | boolean | null;

export interface StatusTable {
  /** 'ok' with rows, 'missing' (no file yet), 'unreadable' (not JSON or not a list of objects). */
  state: 'ok' | 'missing' | 'unreadable';
  /** Why the table is empty, for the page. */
  note?: string;
  columns: string[];
  rows: Record<string, Cell>[];
  /** Top-level scalar fields (e.g. generatedAt). */
  info: Record<string, Cell>;
}

const listKeys = ['partners', 'mirrors', 'runs', 'entries', 'results', 'records', 'reports', 'items', 'audits'];

function cell(value: unknown): Cell {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (Array.isArray(value))
    return value.every((v) => typeof v !== 'object' || v === null) ? value.join(', ') : `${value.length} item(s)`;
  if (value && typeof value === 'object') return JSON.stringify(value).slice(0, 200);
  return null;
}

/**
 * Reads a status file into a generic table; the file's shape is whatever the producer writes (a list of objects, or
 * an object holding one).
 */
export async function readStatusTable(catalog: string, file: string): Promise<StatusTable> {
  let text: string;
  try {
    text = await readFile(join(catalog, file), 'utf8');
  } catch {
    return { state: 'missing', note: `${file} does not exist yet in the catalogue.`, columns: [], rows: [], info: {} };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      state: 'unreadable',
      note:
        `${file} is not valid JSON (${(error as Error).message}); it may be being written. The next build will ` +
        `read it again.`,
      columns: [],
      rows: [],
      info: {},
    };
  }
  // Its cells are shown with JSON.stringify, which overflows the stack on data nested thousands deep.
  const deep = tooDeepPointer(data);
  if (deep !== undefined)
    return {
      state: 'unreadable',
      note:
        `${file} nests lists and mappings more than ${maxNestingDepth} deep (at ${deep}); it is not a file this ` +
        `catalogue writes.`,
      columns: [],
      rows: [],
      info: {},
    };
  let list: unknown[] | undefined;
  const info: Record<string, Cell> = {};
  if (Array.isArray(data)) list = data;
  else if (data && typeof data === 'object') {
    const object = data as Record<string, unknown>;
    const key =
      listKeys.find((k) => Array.isArray(object[k])) ?? Object.keys(object).find((k) => Array.isArray(object[k]));
    if (key) list = object[key] as unknown[];
    else if (Object.values(object).every((v) => v && typeof v === 'object' && !Array.isArray(v))) {
      // { "<id>": { ... }, ... }: one row per key.
      list = Object.entries(object).map(([id, v]) => ({ id, ...(v as object) }));
    }
    for (const [k, v] of Object.entries(object))
      if (!Array.isArray(v) && (typeof v !== 'object' || v === null)) info[k] = cell(v);
  }
  const objects = (list ?? []).filter(
    (item): item is Record<string, unknown> => Boolean(item) && typeof item === 'object' && !Array.isArray(item),
  );
  if (!list)
    return {
      state: 'unreadable',
      note: `${file} holds no list of results that this page understands.`,
      columns: [],
      rows: [],
      info,
    };
  const columns: string[] = [];
  for (const item of objects) for (const key of Object.keys(item)) if (!columns.includes(key)) columns.push(key);
  const rows = objects.map((item) => Object.fromEntries(columns.map((c) => [c, cell(item[c])])));
  return {
    state: 'ok',
    columns: columns.slice(0, 12),
    rows: rows.slice(0, 2000),
    info,
    ...(rows.length === 0 ? { note: `${file} lists no results yet.` } : {}),
  };
}
