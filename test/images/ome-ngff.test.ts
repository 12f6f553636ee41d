// OME-NGFF metadata against the official schemas and examples (ome/ngff-spec, fixtures/ome-ngff/): every case of
// the official test suites is judged as the suite says, the official examples are read, and a broken document is
// one problem naming the file, the JSON pointer and the fix.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNgff, type NgffKind, type NgffVersion } from '../../images/ngff-validate.ts';
import { readZarrFolder } from './helpers/reference.ts';

const fixtures = new URL('./fixtures/ome-ngff/', import.meta.url).pathname;

/** Cases a JSON Schema cannot decide (the suite expects a check beyond the schema). */
const beyondSchema = new Set(['0.5 plate plate/well_path_has_column_before_row']);

describe('the official OME-NGFF test suites', () => {
  for (const version of ['0.4', '0.5'] as NgffVersion[]) {
    for (const kind of ['image', 'label', 'plate', 'well'] as NgffKind[]) {
      it(`${version} ${kind}: every valid case passes and every invalid case fails`, () => {
        const suite = JSON.parse(readFileSync(join(fixtures, version, 'tests', `${kind}_suite.json`), 'utf8'));
        let judged = 0;
        for (const test of suite.tests as Array<{ formerly: string; valid: boolean; data: unknown }>) {
          if (beyondSchema.has(`${version} ${kind} ${test.formerly}`)) continue;
          expect(validateNgff(version, kind, test.data).length === 0, test.formerly).toBe(test.valid);
          judged++;
        }
        expect(judged).toBeGreaterThan(4);
      });
    }
  }
});

describe('OME-Zarr folders made of the official examples', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'catalogue-ngff-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A 0.5 image: the example as zarr.json, and a level-0 array of `shape` and `data_type`. */
  async function image05(name: string, example: string, shape: number[], dataType: string) {
    const folder = join(root, name);
    const document = JSON.parse(await readFile(join(fixtures, '0.5', 'examples', example), 'utf8'));
    const path = document.attributes.ome.multiscales[0].datasets[0].path as string;
    await mkdir(join(folder, path), { recursive: true });
    await writeFile(join(folder, 'zarr.json'), JSON.stringify(document));
    await writeFile(
      join(folder, path, 'zarr.json'),
      JSON.stringify({ zarr_format: 3, node_type: 'array', shape, data_type: dataType }),
    );
    return { folder, document };
  }

  it('0.5 multiscales example: axes, units and the level-0 scale times the multiscale scale', async () => {
    const { folder, document } = await image05(
      'transformations.zarr',
      'multiscales_strict__multiscales_transformations.json',
      [100, 120],
      'uint8',
    );
    const { metadata, problems } = await readZarrFolder(folder);
    expect(problems).toEqual([]);
    const multiscale = document.attributes.ome.multiscales[0];
    const level0 = multiscale.datasets[0].coordinateTransformations[0].scale as number[];
    const outer = multiscale.coordinateTransformations[0].scale as number[];
    expect(metadata.axes).toEqual(
      multiscale.axes.map((axis: { name: string; type: 'space'; unit: string }, i: number) => ({
        name: axis.name,
        type: axis.type,
        size: [100, 120][i],
        physicalSize: level0[i] * outer[i],
        unit: axis.unit,
      })),
    );
    expect(metadata.dataType).toBe('uint8');
    expect(metadata.resolutionLevels).toBe(multiscale.datasets.length);
  });

  it('0.5 plate example: a plate with the number of wells', async () => {
    const folder = join(root, 'plate.zarr');
    await mkdir(folder, { recursive: true });
    const example = readFileSync(join(fixtures, '0.5', 'examples', 'plate_strict__plate_6wells.json'), 'utf8');
    await writeFile(join(folder, 'zarr.json'), example);
    const { metadata, problems } = await readZarrFolder(folder);
    expect(problems).toEqual([]);
    expect(metadata.isPlate).toBe(true);
    expect(metadata.seriesCount).toBe(JSON.parse(example).attributes.ome.plate.wells.length);
  });

  it('every 0.5 example is valid against the schema its folder names (.config.json)', () => {
    const examples = readdirSync(join(fixtures, '0.5', 'examples')).filter((f) => !f.includes('.config'));
    expect(examples.length).toBeGreaterThan(8);
    for (const name of examples) {
      const folder = name.slice(0, name.indexOf('__'));
      const config = JSON.parse(readFileSync(join(fixtures, '0.5', 'examples', `${folder}__.config.json`), 'utf8'));
      const kind = /([a-z0-9]+)\.schema$/u.exec(config.schema)![1] as NgffKind;
      const text = readFileSync(join(fixtures, '0.5', 'examples', name), 'utf8');
      // One example is JSON with comments (JSONC): its // lines are dropped before parsing.
      const document = JSON.parse(text.replace(/^\s*\/\/.*$/gmu, ''));
      expect(validateNgff('0.5', kind, document.attributes), name).toEqual([]);
    }
  });

  it('metadata that breaks the schema is a problem naming the file, the JSON pointer and the fix', async () => {
    const { folder, document } = await image05(
      'broken.zarr',
      'multiscales_strict__multiscales_transformations.json',
      [10, 10],
      'uint16',
    );
    document.attributes.ome.multiscales[0].axes[1].type = 'spaze';
    await writeFile(join(folder, 'zarr.json'), JSON.stringify(document));
    const { problems } = await readZarrFolder(folder);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: 'zarr.json',
        pointer: '/attributes/ome/multiscales/0/axes/1/type',
        fix: expect.stringContaining('https://ngff.openmicroscopy.org/0.5/'),
      }),
    );
  });
});
