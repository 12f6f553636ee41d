// Every file that cannot be parsed gets one problem line with its place and a fix, whatever went wrong.
import { describe, expect, it } from 'vitest';
import { formatProblem, sourceProblem } from '../../catalog/problems.ts';
import { decodeSource, parseSource } from '../../catalog/source.ts';
import { SourceFileError } from '../../catalog/errors.ts';

function lineOf(file: string, text: string | Uint8Array): string {
  try {
    parseSource(file, typeof text === 'string' ? text : decodeSource(file, text));
  } catch (error) {
    if (error instanceof SourceFileError) return formatProblem(sourceProblem(error));
    throw error;
  }
  throw new Error('parsed');
}

describe('problems of files that cannot be parsed', () => {
  it.each([
    [
      'an alias, at the alias',
      'e.yaml',
      'a: &x [1]\nb:\n  c: *x\n',
      /^e\.yaml:3:6 #\/b\/c YAML_ALIAS .+ Fix: write the repeated value out in full/,
    ],
    [
      'a YAML syntax error',
      'e.yaml',
      'a: [1\n',
      /^e\.yaml:2:1 # YAML_SYNTAX YAML syntax error: .+ Fix: look at this line/,
    ],
    ['a tab in the indentation', 'e.yaml', 'a:\n\t- x\n', /^e\.yaml:2:1 # YAML_SYNTAX .+tab.+ Fix: /],
    [
      'a JSON syntax error',
      'm.json',
      '{"a": 1,}',
      /^m\.json:1:9 # JSON_SYNTAX .+ Fix: look for a missing or extra comma/,
    ],
    [
      'a file over the size limit',
      'm.json',
      ' '.repeat(8 * 1024 * 1024 + 1),
      /^m\.json:1:1 # FILE_TOO_LARGE .+ Fix: an entry needs a few kB/,
    ],
    [
      'bytes that are not UTF-8',
      'e.yaml',
      Buffer.from([0x61, 0x3a, 0x20, 0x62, 0x0a, 0x63, 0x3a, 0x20, 0xff]),
      /^e\.yaml:2:4 # ENCODING_INVALID .+ Fix: save the file as UTF-8/,
    ],
  ])('%s', (_name, file, text, expected) => {
    expect(lineOf(file, text)).toMatch(expected);
  });
});
