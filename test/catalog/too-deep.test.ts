// Files nested far too deep (a 400 KB manifest of `[`, `- - - ...` in an entry, a harvested record of `{"a":`)
// must give one TOO_DEEP problem line naming file, line, column and pointer, never a stack overflow: through the
// real command line, the site's loading of the catalogue, and storage/mirrors.yaml.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedLines } from '../../catalog/load.ts';
import { maxNestingDepth, parseSource } from '../../catalog/source.ts';
import { loadMirrors } from '../../storage/mirrors.ts';

const run = promisify(execFile);
const cli = new URL('../../cli/catalogue.mjs', import.meta.url).pathname;
const archive = new URL('../../archive/', import.meta.url).pathname;
const fixtures = new URL('./fixtures/submissions/valid/', import.meta.url).pathname;

async function catalogue(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { ...process.env, CATALOGUE_TODAY: '2026-06-01' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A problem line with the code TOO_DEEP for `file`: `file:line:column #/pointer TOO_DEEP message Fix: ...`. */
const tooDeepLine = (file: string) =>
  new RegExp(`^(skipped: )?${file.replace(/[.]/g, '\\.')}:\\d+:\\d+ #(/[^ ]*)? TOO_DEEP .+ Fix: .+$`, 'm');
const noStackTrace = (text: string) => expect(text).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);

const deepFiles = [
  'entries/BIC0000013/manifest.json',
  'entries/BIC0000021/entry.yaml',
  'submissions/deep-block-nesting/entry.yaml',
  'harvested/partner-a/deep-record.json',
];
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-too-deep-'));
  for (const accession of ['BIC0000013', 'BIC0000021', 'BIC0000037'])
    await cp(join(archive, 'entries', accession), join(root, 'entries', accession), { recursive: true });
  await cp(join(archive, 'accessions.tsv'), join(root, 'accessions.tsv'));
  // 400 KB of nested brackets: valid JSON that a recursive walk cannot survive.
  await writeFile(join(root, 'entries/BIC0000013/manifest.json'), '['.repeat(200_000) + ']'.repeat(200_000));
  const entry = await readFile(join(root, 'entries/BIC0000021/entry.yaml'), 'utf8');
  await writeFile(
    join(root, 'entries/BIC0000021/entry.yaml'),
    `${entry}\nnotes: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`,
  );
  await cp(join(fixtures, 'minimal-confocal'), join(root, 'submissions/deep-block-nesting'), { recursive: true });
  const submission = await readFile(join(root, 'submissions/deep-block-nesting/entry.yaml'), 'utf8');
  await writeFile(
    join(root, 'submissions/deep-block-nesting/entry.yaml'),
    `${submission}\nnotes:\n${'- '.repeat(100_000)}x\n`,
  );
  await mkdir(join(root, 'harvested/partner-a'), { recursive: true });
  await writeFile(
    join(root, 'harvested/partner-a/deep-record.json'),
    '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('files nested too deep', () => {
  it('catalogue check prints one TOO_DEEP line per file and exits 1', async () => {
    const { code, stdout, stderr } = await catalogue(['check', '--catalog', root]);
    expect(code).toBe(1);
    noStackTrace(stdout + stderr);
    for (const file of deepFiles) {
      expect(stdout).toMatch(tooDeepLine(file));
      expect(stdout.split('\n').filter((line) => line.includes(file))).toHaveLength(1);
    }
    // The pointer names the place where the limit was passed.
    expect(stdout).toContain(
      `entries/BIC0000013/manifest.json:1:${maxNestingDepth + 1} #${'/0'.repeat(maxNestingDepth)} TOO_DEEP`,
    );
    expect(stdout).toMatch(
      new RegExp(`harvested/partner-a/deep-record\\.json:1:\\d+ #${'/a'.repeat(maxNestingDepth)} TOO_DEEP`),
    );
  });

  it('catalogue list skips the broken records with their problem line and lists the others', async () => {
    const { code, stdout, stderr } = await catalogue(['list', '--catalog', root]);
    noStackTrace(stdout + stderr);
    expect(code).toBe(0);
    expect(stdout + stderr).toContain('BIC0000037');
    for (const file of deepFiles.filter((f) => !f.startsWith('submissions')))
      expect(stdout + stderr).toMatch(tooDeepLine(file));
  });

  it('catalogue show prints the problem line of a record too deep and exits 1', async () => {
    for (const [id, file] of [
      ['BIC0000013', deepFiles[0]],
      ['BIC0000021', deepFiles[1]],
      ['deep-record', deepFiles[3]],
    ]) {
      const { code, stdout, stderr } = await catalogue(['show', id, '--catalog', root]);
      noStackTrace(stdout + stderr);
      expect(code).toBe(1);
      expect(stdout + stderr).toMatch(tooDeepLine(file));
    }
  });

  it('catalogue accession mint stops on a manifest too deep with its problem line', async () => {
    const other = await mkdtemp(join(tmpdir(), 'catalogue-too-deep-mint-'));
    try {
      await cp(join(archive, 'entries', 'BIC0000045'), join(other, 'entries', 'BIC0000045'), { recursive: true });
      await cp(join(archive, 'accessions.tsv'), join(other, 'accessions.tsv'));
      await writeFile(join(other, 'entries/BIC0000045/manifest.json'), '['.repeat(200_000) + ']'.repeat(200_000));
      const { code, stdout, stderr } = await catalogue([
        'accession',
        'mint',
        '--catalog',
        other,
        '--date',
        '2026-01-02',
      ]);
      noStackTrace(stdout + stderr);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/TOO_DEEP/);
      expect(stderr).toContain('entries/BIC0000045/manifest.json');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it.each([1, 2])('the site build loading (%i thread(s)) reports each file and keeps the rest', async (threads) => {
    const loaded = await loadPublishedLines(root, { today: '2026-06-01', threads });
    expect(loaded.lines.map((l) => l.accession)).toEqual(['BIC0000037']);
    expect(loaded.problems.map((p) => [p.file, p.code]).sort()).toEqual(
      deepFiles.filter((f) => !f.startsWith('submissions')).map((f) => [f, 'TOO_DEEP']),
    );
  });

  it('storage/mirrors.yaml nested too deep is one problem line', async () => {
    const file = join(root, 'mirrors.yaml');
    await writeFile(file, `mirrors:\n${'  - '.repeat(1)}${'['.repeat(300_000)}\n`);
    const error = await loadMirrors(file).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'TOO_DEEP' });
    expect((error as Error).message).toMatch(/mirrors\.yaml:2:\d+ #\/mirrors\/0(\/0)+ TOO_DEEP .+ Fix: /);
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it(`accepts exactly ${maxNestingDepth} levels and refuses one more, in every notation`, () => {
    const notations: Record<string, (n: number) => [string, string]> = {
      'JSON arrays': (n) => ['a.json', '['.repeat(n) + ']'.repeat(n)],
      'JSON objects': (n) => ['a.json', '{"k":'.repeat(n) + '1' + '}'.repeat(n)],
      'YAML flow mappings': (n) => ['a.yaml', '{k: '.repeat(n) + '1' + '}'.repeat(n)],
      'YAML compact sequences': (n) => ['a.yaml', '- '.repeat(n) + 'x\n'],
      'YAML block mappings': (n) => [
        'a.yaml',
        Array.from({ length: n }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' 1\n',
      ],
    };
    for (const [name, make] of Object.entries(notations)) {
      expect(() => parseSource(...make(maxNestingDepth)), name).not.toThrow();
      expect(() => parseSource(...make(maxNestingDepth + 1)), name).toThrow(
        expect.objectContaining({
          code: 'TOO_DEEP',
          pointer: expect.stringMatching(new RegExp(`^(/(0|k)){${maxNestingDepth}}$`)),
        }),
      );
    }
  });
});
