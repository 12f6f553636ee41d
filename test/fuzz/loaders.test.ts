// Property-based tests of every loader of untrusted input: entry.yaml (entries and submissions), manifest.json,
// tombstone.yaml, harvested/<partner>/<id>.json and storage/mirrors.yaml. Whatever the bytes, a loader never
// throws, never shows a stack trace, never touches Object.prototype, and says what is wrong as problem lines
// (`file:line:column #/pointer CODE message`), one line each. Inputs are arbitrary text and bytes, and mutations
// of the valid files: wrong types, huge numbers, deep nesting, __proto__ and constructor keys, duplicate keys,
// byte-order marks, invalid UTF-8, YAML tags, anchors and aliases, very long strings.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { parse, stringify } from 'yaml';
import { listRecords, type RecordLocation } from '../../catalog/layout.ts';
import { formatProblem, type Problem } from '../../catalog/problems.ts';
import { inspectRecord } from '../../catalog/records.ts';
import { loadMirrors } from '../../storage/mirrors.ts';
import { MirrorConfigError } from '../../storage/errors.ts';

const archive = new URL('../../archive/', import.meta.url).pathname;
const harvestedFixture = new URL(
  '../site/fixtures/valid/catalogue/harvested/partnerx/partnerx.rec-0001.json',
  import.meta.url,
).pathname;
const submissionFixture = new URL('../catalog/fixtures/submissions/valid/minimal-confocal/', import.meta.url).pathname;
const mirrorsFixture = new URL('../storage/fixtures/mirrors/valid/mirrors.yaml', import.meta.url).pathname;

/** Enough runs to meet the rare shapes, few enough that each property takes a few seconds; FUZZ_RUNS for more. */
const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 150 };
const timeout = process.env.FUZZ_RUNS ? 30 * runs.numRuns : undefined;
const today = '2026-06-01';

const valid = {
  entry: readFileSync(join(archive, 'entries', 'BIC0000013', 'entry.yaml'), 'utf8'),
  manifest: readFileSync(join(archive, 'entries', 'BIC0000013', 'manifest.json'), 'utf8'),
  submission: readFileSync(join(submissionFixture, 'entry.yaml'), 'utf8'),
  tombstone: readFileSync(join(archive, 'entries', 'BIC0000229', 'tombstone.yaml'), 'utf8'),
  harvested: readFileSync(harvestedFixture, 'utf8'),
  mirrors: readFileSync(mirrorsFixture, 'utf8'),
};
let root: string;
const where = {} as Record<'entry' | 'submission' | 'tombstone' | 'harvested', RecordLocation>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-fuzz-'));
  await cp(join(archive, 'entries', 'BIC0000013'), join(root, 'entries', 'BIC0000013'), { recursive: true });
  await cp(join(archive, 'entries', 'BIC0000229'), join(root, 'entries', 'BIC0000229'), { recursive: true });
  await cp(submissionFixture, join(root, 'submissions', 'fuzzed-submission'), { recursive: true });
  await mkdir(join(root, 'harvested', 'partnerx'), { recursive: true });
  await cp(harvestedFixture, join(root, 'harvested', 'partnerx', 'partnerx.rec-0001.json'));
  const { records } = await listRecords(root);
  for (const kind of ['entry', 'submission', 'tombstone', 'harvested'] as const)
    where[kind] = records.find((r) => r.kind === kind)!;
  // The unmutated files are valid: a mutation that is refused is refused for what the mutation did.
  for (const kind of ['entry', 'submission', 'tombstone', 'harvested'] as const)
    expect(inspectRecord(root, where[kind], today).record, kind).toBeDefined();
});
afterAll(() => rm(root, { recursive: true, force: true }));

const isUtf8 = (bytes: Uint8Array) => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const prototypeNames = (value: object) => Object.getOwnPropertyNames(value).sort().join(' ');
const before = { object: prototypeNames(Object.prototype), array: prototypeNames(Array.prototype) };

/** No prototype was polluted: no new property on Object.prototype or Array.prototype, nor an inherited one. */
function expectPrototypesUntouched(): void {
  expect(prototypeNames(Object.prototype)).toBe(before.object);
  expect(prototypeNames(Array.prototype)).toBe(before.array);
  const probe: Record<string, unknown> = {};
  for (const name of ['polluted', 'isAdmin', 'toString2']) expect(probe[name]).toBeUndefined();
}

const problemLine = /^[^\s:][^:\n]*:\d+:\d+ #\S* [A-Z][A-Z0-9_]*( \(warning\))? \S/;

/** Each problem is one line naming file, line, column, pointer and code, without a stack trace. */
function expectProblemLines(problems: readonly Problem[]): void {
  for (const problem of problems) {
    const line = formatProblem(problem);
    expect(line, line).toMatch(problemLine);
    expect(line, line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line, line).not.toMatch(/\bat .+\.ts:\d+/);
    // Bad input is told how to fix it.
    if (problem.severity === 'error') expect(line, line).toMatch(/ Fix: \S/);
  }
}

/** Writes `content` as the file of `kind`, inspects the record, and checks what a loader must always do. */
function inspectWith(
  kind: 'entry' | 'manifest' | 'submission' | 'tombstone' | 'harvested',
  content: string | Uint8Array,
): void {
  const location = kind === 'manifest' ? where.entry : where[kind];
  writeFileSync(kind === 'manifest' ? location.manifest! : location.file, content);
  let result: ReturnType<typeof inspectRecord>;
  try {
    result = inspectRecord(root, location, today);
  } finally {
    // The other file of the record stays valid for the next run.
    writeFileSync(kind === 'manifest' ? location.manifest! : location.file, valid[kind]);
  }
  expectProblemLines(result.problems);
  if (!result.record) expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
  // Bytes that are not UTF-8 are said to be so, never read as U+FFFD into a record.
  if (typeof content !== 'string' && !isUtf8(content))
    expect(result.problems.map((p) => p.code)).toEqual(['ENCODING_INVALID']);
  const file = relative(root, kind === 'manifest' ? location.manifest! : location.file);
  for (const problem of result.problems.filter(
    (p) => p.severity === 'error' && p.file.endsWith('.json') === file.endsWith('.json'),
  ))
    expect(problem.file).toBe(file);
  expectPrototypesUntouched();
}

// --- Generators -------------------------------------------------------------------------------------------

/** Snippets that have broken YAML and JSON loaders elsewhere. */
const nasty = [
  '\uFEFF',
  '\u0000',
  '\r',
  '\r\n',
  '\t',
  '\u2028',
  '\u0085',
  '\uD800',
  '\uDFFF',
  '\uFFFE',
  '!!js/function "function () { globalThis.polluted = 1 }"',
  '!!js/undefined ""',
  '!!js/regexp /a/',
  '!!python/object/apply:os.system ["true"]',
  '!<tag:yaml.org,2002:js/function> x',
  '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!custom x',
  '&anchor ',
  '*anchor',
  '<<: *anchor',
  '<<: {polluted: yes}',
  'a: &a [1]\nb: *a\n',
  '? [complex, key]\n: v\n',
  '__proto__: {polluted: yes}\n',
  '"__proto__": {"polluted": true}',
  'constructor:\n  prototype:\n    polluted: yes\n',
  '{"constructor": {"prototype": {"polluted": 1}}}',
  'toString: 1\n',
  'hasOwnProperty: x\n',
  'valueOf: []\n',
  '1e999',
  '-1e999',
  '0x' + 'f'.repeat(40),
  '9'.repeat(400),
  '-0',
  '.nan',
  '.inf',
  '0o777',
  '1_000',
  'NaN',
  'Infinity',
  '%YAML 1.1\n',
  '%TAG ! tag:example.org,2000:\n',
  '---\n',
  '...\n',
  '--- |\n  x\n',
  '>-\n',
  '|+\n',
  '#',
  ' #',
  '- ',
  '? ',
  ': ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '\\',
  '`',
  '@',
  '%',
  '[['.repeat(70),
  '{a: '.repeat(70),
  '- '.repeat(70),
  '['.repeat(5000),
  'x'.repeat(70_000),
];

const nastySnippet = fc.oneof(
  fc.constantFrom(...nasty),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** A text-level mutation of `text`: insert, delete, duplicate a line (duplicate keys), or truncate. */
function mutatedText(text: string) {
  const position = fc.integer({ min: 0, max: text.length });
  return fc.oneof(
    fc.tuple(position, nastySnippet).map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc.tuple(position, fc.integer({ min: 1, max: 200 })).map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    fc.integer({ min: 0, max: 200 }).map((n) => {
      const lines = text.split('\n');
      const i = n % lines.length;
      return [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
    }),
    position.map((at) => text.slice(0, at)),
    fc.constantFrom('\uFEFF' + text, text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r'), text + '\u0000'),
  );
}

/** Bytes of `text` with invalid UTF-8 put in: lone continuation bytes, truncated sequences, surrogates, overlongs. */
function mutatedBytes(text: string) {
  const bytes = Buffer.from(text, 'utf8');
  const bad = fc.constantFrom(
    [0xff],
    [0xfe],
    [0x80],
    [0xc3],
    [0xe2, 0x82],
    [0xed, 0xa0, 0x80],
    [0xc0, 0xaf],
    [0xf4, 0x90, 0x80, 0x80],
    [0xef, 0xbb, 0xbf],
  );
  return fc
    .tuple(fc.integer({ min: 0, max: bytes.length }), bad)
    .map(([at, b]) => Buffer.concat([bytes.subarray(0, at), Buffer.from(b), bytes.subarray(at)]));
}

/** Every JSON pointer (as a path of keys) of a parsed document. */
function pathsOf(value: unknown): (string | number)[][] {
  const out: (string | number)[][] = [[]];
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      stack.push([child, p]);
    }
  }
  return out;
}

const nested = (depth: number, leaf: unknown): unknown => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

/** Values that a field may wrongly hold. */
const wrongValue = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 4, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_VALUE,
    -0,
    1e21,
    2 ** 53,
    -(2 ** 63),
  ),
  fc.constantFrom(
    JSON.parse('{"__proto__": {"polluted": true}}'),
    JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
    { toString: 'x', valueOf: [] },
  ),
  fc.integer({ min: 55, max: 75 }).map((d) => nested(d, 'x')),
  fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'é'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

/** A copy of `data` with `value` at `path`, or added under `key` there; own properties, as JSON.parse builds them. */
function withValue(data: unknown, path: (string | number)[], key: string | undefined, value: unknown): unknown {
  const holder = { root: structuredClone(data) } as Record<string | number, unknown>;
  let parent = holder;
  let last: string | number = 'root';
  for (const token of path) {
    parent = parent[last] as Record<string | number, unknown>;
    last = token;
  }
  const target = parent[last];
  if (key !== undefined && target !== null && typeof target === 'object')
    Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  else parent[last] = value;
  return holder.root;
}

const toJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';

/** A structural mutation of a valid document, written as YAML or JSON. */
function mutatedStructure(text: string, format: 'yaml' | 'json') {
  const data = format === 'json' ? (JSON.parse(text) as unknown) : (parse(text) as unknown);
  const key = fc.option(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'a\nb', 'é', '#x', '~1', '/', '<<'),
    { nil: undefined },
  );
  return fc.tuple(fc.constantFrom(...pathsOf(data)), key, wrongValue).map(([path, k, value]) => {
    const mutated = withValue(data, path, k, value);
    if (format === 'json') return toJson(mutated);
    try {
      // undefined for a document that is undefined (the mutation replaced the root).
      return (stringify(mutated, { aliasDuplicateObjects: false }) as string | undefined) ?? '';
    } catch {
      return toJson(mutated);
    }
  });
}

const anyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.array(nastySnippet, { maxLength: 12 }).map((a) => a.join('')),
);
const anyBytes = fc.uint8Array({ maxLength: 400 });

describe.each(['entry', 'submission', 'manifest', 'tombstone', 'harvested'] as const)('the %s loader', (kind) => {
  const format = kind === 'manifest' || kind === 'harvested' ? 'json' : 'yaml';
  it.prop([anyText], runs)(
    'arbitrary text gives problem lines, never an exception',
    (content) => inspectWith(kind, content),
    timeout,
  );
  it.prop([anyBytes], runs)(
    'arbitrary bytes give problem lines, never an exception',
    (content) => inspectWith(kind, content),
    timeout,
  );
  it.prop([mutatedText(valid[kind])], runs)(
    'text mutations of the valid file give problem lines',
    (content) => inspectWith(kind, content),
    timeout,
  );
  it.prop([mutatedBytes(valid[kind])], runs)(
    'invalid UTF-8 in the valid file gives problem lines',
    (content) => inspectWith(kind, content),
    timeout,
  );
  it.prop([mutatedStructure(valid[kind], format)], runs)(
    'wrong types, huge numbers, deep nesting and __proto__ keys give problem lines',
    (content) => inspectWith(kind, content),
    timeout,
  );
});

describe('the storage/mirrors.yaml loader', () => {
  /** Loads `content` as a mirrors file: it is valid, or refused with MirrorConfigError and problem lines. */
  async function loadWith(content: string | Uint8Array): Promise<void> {
    const file = join(root, 'mirrors.yaml');
    await writeFile(file, content);
    const outcome = await loadMirrors(file, root).catch((error: unknown) => error);
    expectPrototypesUntouched();
    if (typeof content !== 'string' && !isUtf8(content)) expect(outcome).toMatchObject({ code: 'ENCODING_INVALID' });
    if (!(outcome instanceof Error)) return;
    expect(outcome, String((outcome as Error).stack)).toBeInstanceOf(MirrorConfigError);
    const lines = outcome.message.split('\n');
    // MIRRORS_INVALID heads its list with `<file> is invalid:`; every other line is one problem.
    const problems = (outcome as MirrorConfigError).code === 'MIRRORS_INVALID' ? lines.slice(1) : lines;
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) expect(line, line).toMatch(problemLine);
    for (const line of problems) expect(line, line).toMatch(/ Fix: \S/);
  }

  it.prop([anyText], runs)('arbitrary text', (content) => loadWith(content), timeout);
  it.prop([anyBytes], runs)('arbitrary bytes', (content) => loadWith(content), timeout);
  it.prop([mutatedText(valid.mirrors)], runs)(
    'text mutations of a valid file',
    (content) => loadWith(content),
    timeout,
  );
  it.prop([mutatedStructure(valid.mirrors, 'yaml')], runs)(
    'structural mutations of a valid file',
    (content) => loadWith(content),
    timeout,
  );
});

describe('counterexamples these properties found, kept as fixed cases', () => {
  const lines = (kind: 'entry' | 'submission', content: string): string[] => {
    writeFileSync(where[kind].file, content);
    try {
      return inspectRecord(root, where[kind], today).problems.map(formatProblem);
    } finally {
      writeFileSync(where[kind].file, valid[kind]);
    }
  };

  it('a key holding a line break stays on one line and cannot forge a second problem line', () => {
    const forged = lines('submission', `${valid.submission}"a\\nsubmissions/x/entry.yaml:1:1 #/ FORGED b": 1\n`);
    expect(forged).toEqual([
      expect.stringMatching(
        new RegExp(
          String.raw`^submissions\/fuzzed-submission\/entry\.yaml:\d+:1 ` +
            String.raw`#\/a%0Asubmissions~1x~1entry\.yaml:1:1%20%23~1%20FORGED%20b FIELD_UNKNOWN ` +
            String.raw`'a\\nsubmissions\/x\/entry\.yaml:1:1 #\/ FORGED b' is not a field here Fix: `,
        ),
      ),
    ]);
  });

  it('a key with a space or a byte-order mark inside has a pointer without white space', () => {
    expect(lines('entry', `. ${valid.entry}`)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`^entries\/BIC0000013\/entry\.yaml:1:1 #\/\.%20schemaVersion FIELD_UNKNOWN '\. ` +
            String.raw`schemaVersion' is not a field here`,
        ),
      ),
    );
    expect(lines('submission', valid.submission.replace('  releaseDate:', '  \uFEFFreleaseDate:'))).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw` #\/study\/%EF%BB%BFreleaseDate FIELD_UNKNOWN '\\ufeffreleaseDate' is not a ` +
            String.raw`field here Fix: did you mean 'releaseDate'\?$`,
        ),
      ),
    );
  });

  it('a version that is a mapping with toString and valueOf fields is a TYPE_MISMATCH, not a TypeError', () => {
    const shown = lines(
      'entry',
      valid.entry.replace('versions:\n  - version: 1', 'versions:\n  - version:\n      toString: x\n      valueOf: []'),
    );
    expect(shown).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`^entries\/BIC0000013\/entry\.yaml:5:5 #\/versions\/0\/version TYPE_MISMATCH ` +
            String.raw`'version' must be a whole number, not a mapping \(fields\)`,
        ),
      ),
    );
  });

  it('a byte that is not UTF-8 is ENCODING_INVALID at its line and column, not U+FFFD in the title', () => {
    const bytes = Buffer.from(valid.submission.replace('title: Confocal', 'title: Caf\u00ff Confocal'), 'latin1');
    writeFileSync(where.submission.file, bytes);
    try {
      const { record, problems } = inspectRecord(root, where.submission, today);
      expect(record).toBeUndefined();
      expect(problems.map(formatProblem)).toEqual([
        expect.stringMatching(
          new RegExp(
            String.raw`^submissions\/fuzzed-submission\/entry\.yaml:4:13 # ENCODING_INVALID the file ` +
              String.raw`is not valid UTF-8 \(byte \d+ is not part of a UTF-8 character\) Fix: save ` +
              String.raw`the file as UTF-8`,
          ),
        ),
      ]);
    } finally {
      writeFileSync(where.submission.file, valid.submission);
    }
  });

  it('a field without a description in the schema still gets a fix for a wrong type', () => {
    const shown = lines('entry', valid.entry.replace('    biosamples: [proteasome]', '    biosamples: {a: b}'));
    expect(shown).toContainEqual(
      expect.stringMatching(
        new RegExp(
          String.raw`#\/components\/0\/biosamples TYPE_MISMATCH 'biosamples' must be a list, not a ` +
            String.raw`mapping \(fields\) Fix: write a list here$`,
        ),
      ),
    );
  });

  it('a value with a line break is shown escaped in the message', () => {
    const shown = lines('submission', valid.submission.replace(/license: .*/, 'license: "CC\\nBY"'));
    expect(shown).toContainEqual(
      expect.stringMatching(/#\/study\/license LICENSE_UNKNOWN 'CC\\nBY' is not an SPDX licence identifier/),
    );
    for (const line of shown) expect(line).not.toContain('\n');
  });
});
