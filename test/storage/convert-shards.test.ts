// `catalogue convert --shard K/N` in N jobs, then `--merge`: the jobs convert exactly the images one run converts,
// each image in one job, they leave the manifest alone, and the merge lists their conversions so that the manifest
// is byte for byte the one a single run writes. Parts that are not every shard of one split are refused.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createManifest } from '../../storage/manifest.ts';
import { runPython } from '../images/convert/helpers.ts';
import { catalogue, temporaryFolder } from './helpers.ts';

const convertFixtures = fileURLToPath(new URL('../images/convert/fixtures/', import.meta.url));
/** The images the reference writers make (test/images/convert/fixtures/write-inputs.py), and a PNG. */
const images = ['gray2d.tif', 'stack3d.tif', 'cells.ome.tif', 'channels.tif', 'floats.tif', 'rgb-tiled.tif'];
let root: string;
let data: string;
let manifestText: string;
let reference: { manifest: string; objects: string[]; converted: string[] };

/** An entry folder holding the manifest as it was before any conversion, and a mirrors file for its bucket. */
async function entry(label: string): Promise<{ folder: string; mirrors: string; bucket: string }> {
  const folder = join(root, label);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'manifest.json'), manifestText);
  const bucket = join(root, `${label}-bucket`);
  const mirrors = join(folder, 'mirrors.yaml');
  await writeFile(mirrors, `mirrors:\n  - id: local\n    kind: folder\n    role: primary\n    path: ${bucket}\n`);
  return { folder, mirrors, bucket };
}

async function objectsIn(bucket: string): Promise<string[]> {
  const rows: string[] = [];
  for await (const info of createFolderStore({ id: 'local', root: bucket }).list(''))
    rows.push(`${info.key} ${info.size}`);
  return rows.sort();
}

const convertedBy = (stderr: string) => [...stderr.matchAll(/^(\S+): converted$/gm)].map((m) => m[1]);

beforeAll(async () => {
  root = await temporaryFolder('convert-shards');
  data = join(root, 'data');
  const inputs = join(root, 'inputs');
  await mkdir(join(data, 'images', 'more'), { recursive: true });
  await mkdir(inputs);
  runPython('write-inputs.py', [inputs, '128']);
  for (const name of images) await copyFile(join(inputs, name), join(data, 'images', name));
  await copyFile(join(inputs, 'volume.mrc'), join(data, 'images', 'more', 'volume.mrc'));
  await copyFile(join(convertFixtures, 'cell.png'), join(data, 'images', 'more', 'cell.png'));
  await writeFile(join(data, 'README.txt'), 'not an image\n');
  const { manifest } = await createManifest(data, { prefix: 'TEST0003/' });
  manifestText = JSON.stringify(manifest, null, 2) + '\n';
  const one = await entry('one-run');
  const run = await catalogue('convert', one.folder, '--files', data, '--mirrors', one.mirrors);
  expect(run.code, run.stderr).toBe(0);
  reference = {
    manifest: await readFile(join(one.folder, 'manifest.json'), 'utf8'),
    objects: await objectsIn(one.bucket),
    converted: convertedBy(run.stderr),
  };
  expect(reference.converted).toHaveLength(8);
  // Every object the run wrote is listed, and there are many: the comparisons below are not of empty lists.
  expect((JSON.parse(reference.manifest) as Manifest).derived).toHaveLength(reference.objects.length);
  expect(reference.objects.length).toBeGreaterThan(40);
}, 180_000);
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the N shards of an entry; returns the part files in shard order and what each converted. */
async function shards(count: number, label: string) {
  const target = await entry(label);
  const parts: string[] = [];
  const converted: string[][] = [];
  let taken = 0;
  for (let k = 1; k <= count; k++) {
    const out = join(target.folder, `convert-${k}.json`);
    const args = ['--files', data, '--mirrors', target.mirrors, '--shard', `${k}/${count}`, '--out', out];
    const run = await catalogue('convert', target.folder, ...args);
    expect(run.code, run.stderr).toBe(0);
    const said = new RegExp(`shard ${k}/${count} took (\\d+) of 8 images`).exec(run.stdout);
    expect(said, run.stdout).not.toBeNull();
    taken += Number(said![1]);
    converted.push(convertedBy(run.stderr));
    parts.push(out);
  }
  expect(taken).toBe(8);
  return { ...target, parts, converted };
}

describe('catalogue convert --shard K/N, then --merge', () => {
  it.each([1, 2, 3, 7])(
    '%i shard(s): each image converted by one job, the merged manifest byte-identical to one run',
    async (count) => {
      const { folder, bucket, parts, converted } = await shards(count, `split-${count}`);
      // The jobs leave the manifest alone: only the merge lists their conversions.
      expect(await readFile(join(folder, 'manifest.json'), 'utf8')).toBe(manifestText);
      expect(converted.flat().sort()).toEqual([...reference.converted].sort());
      expect(new Set(converted.flat()).size).toBe(8);
      expect(await objectsIn(bucket)).toEqual(reference.objects);
      const merge = await catalogue('convert', folder, '--merge', ...parts.reverse());
      expect(merge.code, merge.stderr).toBe(0);
      expect(merge.stdout).toContain(`8 conversion(s) of ${count} shard(s) merged, manifest rewritten`);
      expect(await readFile(join(folder, 'manifest.json'), 'utf8')).toBe(reference.manifest);
      // A second merge of the same parts changes nothing.
      const again = await catalogue('convert', folder, '--merge', ...parts);
      expect(again.stdout).toContain('manifest unchanged');
      expect(await readFile(join(folder, 'manifest.json'), 'utf8')).toBe(reference.manifest);
    },
  );

  it('--shard writes a part: without --out it is a usage error', async () => {
    const { folder, mirrors } = await entry('no-out');
    const run = await catalogue('convert', folder, '--files', data, '--mirrors', mirrors, '--shard', '1/2');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--shard writes a part: give it --out FILE');
  });
});

describe('catalogue convert --merge refuses parts that are not one whole split', () => {
  let split: Awaited<ReturnType<typeof shards>>;
  beforeAll(async () => {
    split = await shards(3, 'errors');
  }, 120_000);

  async function refused(...parts: string[]): Promise<string[]> {
    const run = await catalogue('convert', split.folder, '--merge', ...parts);
    expect(run.code).toBe(1);
    expect(await readFile(join(split.folder, 'manifest.json'), 'utf8')).toBe(manifestText);
    const lines = run.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^No conversion listed: \d+ problem\(s\)/);
    return lines.slice(0, -1);
  }

  async function edited(file: string, name: string, edit: (part: Record<string, unknown>) => void): Promise<string> {
    const part = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    edit(part);
    const out = join(root, name);
    await writeFile(out, JSON.stringify(part, null, 2) + '\n');
    return out;
  }

  it('a missing shard, a shard given twice, a shard of another split', async () => {
    const [first, second, third] = split.parts;
    expect(await refused(first, third)).toEqual([
      expect.stringMatching(/convert-1\.json:\S+ #\/partial\/shard SHARD_MISSING .*2\/3 are not given Fix: give/),
    ]);
    const copy = join(root, 'copy-of-3.json');
    await copyFile(third, copy);
    expect(await refused(first, second, third, copy)).toEqual([
      expect.stringMatching(/copy-of-3\.json:\S+ #\/partial\/shard SHARD_GIVEN_TWICE is shard 3\/3, and so is/),
    ]);
    const ofTwo = await edited(second, 'of-two.json', (part) => ((part.partial as { shard: string }).shard = '2/2'));
    expect(await refused(first, ofTwo, third)).toEqual([
      expect.stringMatching(/of-two\.json:\S+ #\/partial\/shard SHARD_SPLITS_DIFFER is shard 2\/2.* Fix: merge the/),
      // Shard 2 of the split into 3 is then missing too.
      expect.stringMatching(/convert-1\.json:\S+ #\/partial\/shard SHARD_MISSING .*2\/3 are not given/),
    ]);
  });

  it('an image in the wrong shard or in two, a manifest changed since, another recipe, not a part', async () => {
    const [first, second, third] = split.parts;
    const moved = split.converted.findIndex((list) => list.length > 0);
    const image = split.converted[moved][0];
    const into = split.parts[(moved + 1) % 3];
    const twice = await edited(into, 'twice.json', (part) => (part.converted as string[]).push(image));
    expect(await refused(...split.parts.map((p) => (p === into ? twice : p)))).toContainEqual(
      expect.stringMatching(new RegExp(`twice\\.json:\\S+ #/converted/\\d+ SHARD_PATH_TWICE '${image}' is also in`)),
    );
    const without = await edited(split.parts[moved], 'without.json', (part) => {
      part.converted = (part.converted as string[]).filter((path) => path !== image);
      part.derived = (part.derived as Array<{ of: string }>).filter((item) => item.of !== image);
    });
    const misplaced = split.parts.map((p) => (p === into ? twice : p === split.parts[moved] ? without : p));
    expect(await refused(...misplaced)).toEqual([
      expect.stringMatching(new RegExp(`twice\\.json:\\S+ #/converted/\\d+ SHARD_PATH_MISPLACED '${image}' belongs`)),
    ]);
    const later = await edited(first, 'later.json', (part) => {
      (part.partial as { originals: string }).originals = 'e'.repeat(64);
    });
    expect(await refused(later, second, third)).toEqual([
      expect.stringMatching(
        /later\.json:\S+ #\/partial\/originals SHARD_MANIFEST_DIFFERS .* Fix: run the shards again/,
      ),
    ]);
    const recipe = await edited(third, 'recipe.json', (part) => {
      (part.partial as { recipe: string }).recipe = 'ome-zarr-ngff04@1';
    });
    expect((await refused(first, second, recipe))[0]).toMatch(
      /recipe\.json:\S+ #\/partial\/recipe SHARD_RECIPES_DIFFER/,
    );
    const notAPart = await refused(join(split.folder, 'manifest.json'), second, third);
    expect(notAPart[0]).toMatch(/manifest\.json:\S+ #\/partial CONVERT_PART_INVALID .* Fix: write each part with/);
  });

  it('a derived file no conversion of the part names, or one outside the entry', async () => {
    const index = split.converted.findIndex((list) => list.length > 0);
    const others = split.parts.filter((_, i) => i !== index);
    const stray = await edited(split.parts[index], 'stray.json', (part) => {
      (part.derived as Array<{ of: string }>)[0].of = 'README.txt';
    });
    expect(await refused(...others, stray)).toContainEqual(
      expect.stringMatching(/stray\.json:\S+ #\/derived\/0 DERIVED_NOT_CONVERTED/),
    );
    const outside = await edited(split.parts[index], 'outside.json', (part) => {
      (part.derived as Array<{ path: string }>)[0].path = '../../elsewhere/zarr.json';
    });
    expect(await refused(...others, outside)).toContainEqual(
      expect.stringMatching(/outside\.json:\S+ #\/derived\/0\/path /),
    );
  });
});
