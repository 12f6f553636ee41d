// `manifest create --shard K/N` in N jobs, then `--merge`: the merged manifest is the one a single run writes, byte
// for byte, every file is measured by exactly one shard (an OME-Zarr image whole by one), a part never passes for a
// manifest, and a merge of parts that are not every shard of one split of one folder is refused line by line.
import { execFileSync } from 'node:child_process';
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { debianPython } from '../images/convert/helpers.ts';
import { catalogue, temporaryFolder } from './helpers.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const convertFixtures = fileURLToPath(new URL('../images/convert/fixtures/', import.meta.url));
let work: string;
let data: string;
let whole: string;

type Part = Manifest & { partial: { shard: string; files: number; listing: string } };

beforeAll(async () => {
  work = await temporaryFolder('manifest-shards');
  data = join(work, 'data');
  await cp(join(fixtures, 'folders', 'valid', 'dataset'), join(data, 'dataset'), { recursive: true });
  await copyFile(join(convertFixtures, 'cell.png'), join(data, 'cell.png'));
  // An OME-Zarr image of 84 files written by zarr-python, and a second small one from the fixtures.
  execFileSync(debianPython, [join(fixtures, 'shards', 'write-ome-zarr.py'), join(data, 'plate', 'big.ome.zarr')]);
  // Names whose order in a manifest is not their order as strings: 'a/b.txt' comes before 'a-c.txt' and 'a.txt'
  // (the folder 'a' sorts first), and a name the disk keeps decomposed (NFD) sorts as its NFC form.
  await mkdir(join(data, 'a'), { recursive: true });
  for (const [name, text] of [
    ['a/b.txt', 'b'],
    ['a-c.txt', 'c'],
    ['a.txt', 'a'],
    ['f.txt', 'f'],
    ['e\u0301.txt', 'decomposed'],
  ])
    await writeFile(join(data, name), text);
  for (let i = 0; i < 40; i++) {
    await mkdir(join(data, 'runs', `run-${i % 5}`), { recursive: true });
    await writeFile(join(data, 'runs', `run-${i % 5}`, `reading-${i}.csv`), `t,value\n0,${i}\n`);
  }
  // Larger than a hash batch's small file (1 MiB), so it is hashed alone.
  await writeFile(join(data, 'runs', 'large.bin'), Buffer.alloc(3 << 20, 7));
  whole = join(work, 'whole.json');
  const run = await catalogue('manifest', 'create', data, '--prefix', 'S0001/', '--out', whole);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

/** Runs the N shards into `folder`; returns the part files in shard order. */
async function shards(count: number, folder: string, source = data, prefix = 'S0001/'): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files: string[] = [];
  for (let k = 1; k <= count; k++) {
    const out = join(folder, `part-${k}.json`);
    const run = await catalogue(
      'manifest',
      'create',
      source,
      '--prefix',
      prefix,
      '--shard',
      `${k}/${count}`,
      '--out',
      out,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`shard ${k}/${count} took \\d+ of \\d+ files`));
    files.push(out);
  }
  return files;
}

const readPart = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Part;

describe('manifest create --shard K/N, then --merge', () => {
  it.each([1, 2, 3, 7])('%i shard(s): every file in one part, the merge byte-identical to one run', async (count) => {
    const folder = join(work, `split-${count}`);
    const parts = await shards(count, folder);
    const expected = JSON.parse(await readFile(whole, 'utf8')) as Manifest;
    const seen = new Map<string, number>();
    for (const [index, file] of parts.entries()) {
      const part = await readPart(file);
      expect(part.partial.shard).toBe(`${index + 1}/${count}`);
      expect(part.partial.files).toBe(expected.files.length);
      for (const f of part.files) {
        expect(seen.has(f.path), `${f.path} in two parts`).toBe(false);
        seen.set(f.path, index);
      }
    }
    expect([...seen.keys()].sort()).toEqual(expected.files.map((f) => f.path).sort());
    // One OME-Zarr image is measured whole by one shard: its header is read from the files around its root.
    const big = expected.files.filter((f) => f.path.startsWith('plate/big.ome.zarr/')).map((f) => seen.get(f.path));
    expect(big.length).toBe(84);
    expect(new Set(big).size).toBe(1);
    const out = join(folder, 'manifest.json');
    const merge = await catalogue('manifest', 'create', '--merge', ...parts.reverse(), '--out', out);
    expect(merge.code, merge.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(await readFile(whole, 'utf8'));
  });

  it('the order of a manifest is its paths part by part, decomposed names as their NFC form', async () => {
    const paths = (JSON.parse(await readFile(whole, 'utf8')) as Manifest).files.map((f) => f.path);
    expect(paths.slice(0, 3)).toEqual(['a/b.txt', 'a-c.txt', 'a.txt']);
    expect(paths.indexOf('f.txt')).toBeLessThan(paths.indexOf('\u00e9.txt'));
    expect(paths.at(-1)).toBe('\u00e9.txt');
  });

  it('a part never passes for a manifest: its marker is a field the manifest schema refuses', async () => {
    const [part] = await shards(2, join(work, 'refused'));
    const read = await readManifestFile(part);
    expect(read.manifest).toBeUndefined();
    expect(read.problems.map((p) => [p.pointer, p.code])).toContainEqual(['/partial', 'FIELD_UNKNOWN']);
  });
});

describe('manifest create --merge refuses parts that are not one whole split', () => {
  let parts: string[];
  beforeAll(async () => {
    parts = await shards(3, join(work, 'errors'));
  }, 60_000);

  async function refused(...files: string[]): Promise<string[]> {
    const out = join(work, 'errors', 'never.json');
    const run = await catalogue('manifest', 'create', '--merge', ...files, '--out', out);
    expect(run.code).toBe(1);
    await expect(readFile(out)).rejects.toThrow();
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^No manifest written: \d+ problem\(s\)/);
    return lines.slice(0, -1);
  }

  /** A copy of a part changed by `edit`. */
  async function edited(file: string, name: string, edit: (part: Part) => void): Promise<string> {
    const part = await readPart(file);
    edit(part);
    const out = join(work, 'errors', name);
    await writeFile(out, JSON.stringify(part, null, 2) + '\n');
    return out;
  }

  it('a missing shard', async () => {
    expect(await refused(parts[0], parts[2])).toEqual([
      expect.stringMatching(
        /part-1\.json:3:\d+ #\/partial\/shard SHARD_MISSING .*shard\(s\) 2\/3 are not given Fix: give the part of/,
      ),
    ]);
  });

  it('a shard given twice', async () => {
    const copy = join(work, 'errors', 'copy-of-2.json');
    await copyFile(parts[1], copy);
    expect(await refused(...parts, copy)).toEqual([
      expect.stringMatching(
        /copy-of-2\.json:3:\d+ #\/partial\/shard SHARD_GIVEN_TWICE is shard 2\/3, and so is .*part-2\.json/,
      ),
    ]);
  });

  it('shards of different splits', async () => {
    const [ofTwo] = await shards(2, join(work, 'errors', 'two'));
    const lines = await refused(...parts, ofTwo);
    expect(lines).toEqual([
      expect.stringMatching(/two\/part-1\.json:\S+ #\/partial\/shard SHARD_SPLITS_DIFFER is shard 1\/2/),
    ]);
    expect(lines[0]).toContain('Fix: merge the parts of one run of N jobs');
  });

  it('parts of other folders or other prefixes', async () => {
    const other = join(work, 'other-data');
    await cp(data, other, { recursive: true });
    await writeFile(join(other, 'added.txt'), 'one more file');
    const [, fromOther] = await shards(3, join(work, 'errors', 'other'), other);
    expect(await refused(parts[0], fromOther, parts[2])).toEqual([
      expect.stringMatching(
        /other\/part-2\.json:\S+ #\/partial\/listing SHARD_FOLDER_DIFFERS .* Fix: run every shard on the same folder/,
      ),
    ]);
    const [, , prefixed] = await shards(3, join(work, 'errors', 'prefix'), data, 'S0002/');
    expect(await refused(parts[0], parts[1], prefixed)).toEqual([
      expect.stringMatching(
        /prefix\/part-3\.json:\S+ #\/location SHARD_LOCATION_DIFFERS .*'S0002\/'.* Fix: run every shard with the same/,
      ),
    ]);
  });

  it('a path in two shards, and a part that lacks a file', async () => {
    const first = await readPart(parts[0]);
    const doubled = await edited(parts[1], 'doubled.json', (part) => part.files.push(first.files[0]));
    expect(await refused(parts[0], doubled, parts[2])).toEqual([
      expect.stringMatching(
        new RegExp(`doubled\\.json:\\S+ #/files/\\d+/path SHARD_PATH_TWICE '${first.files[0].path}' is also in`),
      ),
    ]);
    const short = await edited(parts[1], 'short.json', (part) => part.files.pop());
    expect(await refused(parts[0], short, parts[2])).toEqual([
      expect.stringMatching(
        /part-1\.json:\S+ #\/partial\/listing SHARD_FILES_INCOMPLETE the parts list \d+ files, not the \d+/,
      ),
    ]);
  });

  it('a whole manifest, a broken file, a part with a bad file entry', async () => {
    expect(await refused(whole, parts[1], parts[2])).toEqual([
      expect.stringMatching(
        /whole\.json:\S+ #\/partial PARTIAL_MARKER_INVALID is not a partial manifest.* Fix: write each part with/,
      ),
    ]);
    const broken = join(work, 'errors', 'broken.json');
    await writeFile(broken, '{"partial": {"shard": "1/3",');
    expect((await refused(broken, parts[1], parts[2]))[0]).toMatch(/broken\.json:1:\d+ #\S* JSON_SYNTAX/);
    const unsafe = await edited(parts[0], 'unsafe.json', (part) => (part.files[0].path = '../outside.txt'));
    expect((await refused(unsafe, parts[1], parts[2]))[0]).toMatch(/unsafe\.json:\S+ #\/files\/0\/path \S+/);
  });
});
