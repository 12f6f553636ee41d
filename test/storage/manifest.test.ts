import { readFileSync } from 'node:fs';
import { readdir, rm, symlink, writeFile, mkdir, cp } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../storage/formats.ts';
import { createManifest } from '../../storage/manifest.ts';
import { readManifestFile } from '../../storage/manifest-file.ts';
import { catalogue, temporaryFolder } from './helpers.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dataset = join(fixtures, 'folders', 'valid', 'dataset');
const cleanup: string[] = [];
afterAll(async () => Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true }))));

describe('manifest create', () => {
  it('measures every file: size, sha256, format from extension and magic bytes, OME-Zarr as one image', async () => {
    const { manifest, problems } = await createManifest(dataset, { prefix: 'BIC0000013/' });
    expect(problems).toEqual([]);
    const formats = Object.fromEntries(manifest.files.map((f) => [f.path, f.format]));
    expect(formats).toEqual({
      'cells.ome.tif': 'OME-TIFF',
      'img.ome.zarr/.zattrs': 'OME-Zarr',
      'img.ome.zarr/.zgroup': 'OME-Zarr',
      'img.ome.zarr/0/.zarray': 'OME-Zarr',
      'img.ome.zarr/0/0/0': 'OME-Zarr',
      'notes.txt': 'TXT',
      'photo.jpg': 'JPEG',
      'plain.tif': 'TIFF',
      'renamed.tif': 'other',
      'scan.czi': 'CZI',
      'scan.nd2': 'ND2',
      'table.csv': 'CSV',
      'thumb.png': 'PNG',
      'tomo.mrc': 'MRC',
      'volume.h5': 'HDF5',
    });
    const notes = manifest.files.find((f) => f.path === 'notes.txt')!;
    expect(notes.size).toBe(23);
    // `sha256sum notes.txt`, computed independently
    expect(notes.sha256).toBe('6646ca08a403c77e0a6747828c5acf1693a3fe95112394fcaee1121758c96ea1');
    expect(manifest.location).toEqual({ mirror: 'local', prefix: 'BIC0000013/' });
    expect(manifest.files.find((f) => f.path === 'table.csv')!.role).toBe('annotation');
  });

  it('hashes like sha256sum', async () => {
    const { execFileSync } = await import('node:child_process');
    const { manifest } = await createManifest(dataset, { prefix: 'x/' });
    for (const file of manifest.files) {
      const expected = execFileSync('sha256sum', [join(dataset, file.path)], { encoding: 'utf8' }).split(' ')[0];
      expect(file.sha256, file.path).toBe(expected);
    }
  });

  it('detects a DM4 and refuses a TIFF extension on other bytes', () => {
    expect(detectFormat('a.dm4', new Uint8Array([0, 0, 0, 4, 1]))).toBe('DM4');
    expect(detectFormat('a.dm3', new Uint8Array([0, 0, 0, 4, 1]))).toBe('other');
    expect(detectFormat('noext', new Uint8Array([0x49, 0x49, 0x2a, 0]))).toBe('TIFF');
    expect(detectFormat('a.ome.tiff', new TextEncoder().encode('<OME/>'))).toBe('other');
  });

  it('refuses unsafe names, symbolic links, and writes no manifest (exit 1)', async () => {
    const folder = await temporaryFolder('unsafe');
    cleanup.push(folder);
    await cp(dataset, join(folder, 'ds'), { recursive: true });
    await writeFile(join(folder, 'ds', 'with space.tif '), 'x');
    await writeFile(join(folder, 'ds', 'Notes.txt'), 'x');
    await writeFile(join(folder, 'ds', 'notes.txt'), 'y');
    await writeFile(join(folder, 'ds', 'tab\there.txt'), 'x');
    await writeFile(join(folder, 'secret.txt'), 'secret');
    await symlink(join(folder, 'secret.txt'), join(folder, 'ds', 'link.txt'));
    const out = join(folder, 'manifest.json');
    const run = await catalogue('manifest', 'create', join(folder, 'ds'), '--out', out, '--prefix', 'BIC0000013/');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "with space.tif : PATH_SPACE_EDGE the name 'with space.tif ' starts or ends with a space",
    );
    expect(run.stderr).toContain(
      "notes.txt: PATH_CASE_COLLISION 'notes.txt' and 'Notes.txt' differ only in upper and lower case",
    );
    expect(run.stderr).toContain('tab\\u0009here.txt: PATH_CONTROL_CHARACTER');
    expect(run.stderr).toContain('link.txt: SYMLINK');
    expect(run.stderr).toContain('No manifest written');
    expect(await readdir(folder)).not.toContain('manifest.json');
  });

  it('writes the manifest with --out, valid against the schema and the path rules', async () => {
    const folder = await temporaryFolder('out');
    cleanup.push(folder);
    const out = join(folder, 'sub', 'manifest.json');
    const run = await catalogue('manifest', 'create', dataset, '--out', out, '--prefix', 'BIC0000013/');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('15 files');
    const read = await readManifestFile(out);
    expect(read.problems).toEqual([]);
    expect(read.manifest!.files).toHaveLength(15);
  });

  it('says when the folder does not exist (exit 2, no stack trace)', async () => {
    const run = await catalogue('manifest', 'create', join(fixtures, 'no-such-folder'), '--prefix', 'x/');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a folder');
  });
});

describe('hostile and broken manifests', () => {
  it('accepts the valid fixtures', async () => {
    for (const name of await readdir(join(fixtures, 'manifests', 'valid'))) {
      expect((await readManifestFile(join(fixtures, 'manifests', 'valid', name))).problems, name).toEqual([]);
    }
  });
  const expected = JSON.parse(readFileSync(join(fixtures, 'manifests', 'invalid', 'expected.json'), 'utf8')) as Record<
    string,
    string
  >;
  it.each(Object.entries(expected))('%s is refused with %s, naming file and line', async (name, code) => {
    const read = await readManifestFile(join(fixtures, 'manifests', 'invalid', name), fixtures);
    expect(read.manifest).toBeUndefined();
    expect(read.problems.map((p) => p.code)).toContain(code);
    expect(read.problems[0].file).toBe(`manifests/invalid/${name}`);
    expect(read.problems[0].line).toBeGreaterThan(0);
  });
  it('every invalid fixture has an expected error', async () => {
    const files = (await readdir(join(fixtures, 'manifests', 'invalid'))).filter((f) => f !== 'expected.json');
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('a folder that is not a dataset', () => {
  it('an empty folder gives an empty manifest', async () => {
    const folder = await temporaryFolder('empty');
    cleanup.push(folder);
    await mkdir(join(folder, 'e'));
    const { manifest, problems } = await createManifest(join(folder, 'e'), { prefix: 'e/' });
    expect(problems).toEqual([]);
    expect(manifest.files).toEqual([]);
  });
});
