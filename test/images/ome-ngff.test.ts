// OME-NGFF metadata against the official schemas and examples (ome/ngff-spec, fixtures/ome-ngff/): every case of
// the official test suites is judged as the suite says, every official example of 0.4 and 0.5 validates against the
// schema its folder names, the image examples are read through the reader as OME-Zarr folders (0.4 written by
// zarr 2, 0.5 by zarrita), and a broken document is one problem naming the file, the JSON pointer and the fix.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { validateNgff, type NgffKind, type NgffVersion } from '../../images/ngff-validate.ts';
import { readZarrFolder, referenceMissing, writeZarrGroups } from './helpers/reference.ts';

const fixtures = new URL('./fixtures/ome-ngff/', import.meta.url).pathname;

interface OfficialExample {
  name: string;
  /** The kind of the schema its folder's .config.json names (`strict_image.schema` is an image). */
  kind: NgffKind;
  document: Record<string, unknown>;
}

/** The official examples of `version`, each with the kind of schema its folder's .config.json names. */
function officialExamples(version: NgffVersion): OfficialExample[] {
  const folder = join(fixtures, version, 'examples');
  return readdirSync(folder)
    .filter((name) => !name.includes('.config'))
    .sort()
    .map((name) => {
      const group = name.slice(0, name.indexOf('__'));
      const config = JSON.parse(readFileSync(join(folder, `${group}__.config.json`), 'utf8'));
      const kind = /([a-z0-9]+)\.schema$/u.exec(config.schema)![1] as NgffKind;
      // Some examples are JSON with comments (JSONC): their // lines are dropped before parsing.
      const document = JSON.parse(readFileSync(join(folder, name), 'utf8').replace(/^\s*\/\/.*$/gmu, ''));
      return { name, kind, document };
    });
}

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

  for (const version of ['0.4', '0.5'] as NgffVersion[])
    it(`every ${version} example is valid against the schema its folder names (.config.json)`, () => {
      const examples = officialExamples(version);
      expect(examples.length).toBeGreaterThan(8);
      // 0.4 examples are the `.zattrs` object itself, 0.5 ones a whole zarr.json.
      for (const { name, kind, document } of examples)
        expect(validateNgff(version, kind, version === '0.5' ? document.attributes : document), name).toEqual([]);
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

interface Multiscale {
  axes: Array<{ name: string; type: string; unit?: string }>;
  datasets: Array<{ path: string; coordinateTransformations: Transformation[] }>;
  coordinateTransformations?: Transformation[];
}
type Transformation = { type: string; scale?: number[] };

const scaleOf = (transformations: Transformation[] | undefined) =>
  transformations?.find((t) => t.type === 'scale')?.scale;

/** The first multiscale of an example: 0.4 keeps it in the `.zattrs` object, 0.5 under `attributes.ome`. */
function multiscaleOf(version: NgffVersion, document: Record<string, unknown>): Multiscale {
  const ome = version === '0.5' ? (document.attributes as Record<string, unknown>).ome : document;
  return (ome as { multiscales: Multiscale[] }).multiscales[0];
}

describe('the official image examples read through the reader', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'catalogue-ngff-examples-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** Level-0 size of each axis, by name; the other levels' sizes follow from their scale. */
  const level0Sizes: Record<string, number> = { t: 2, c: 3, z: 10, y: 64, x: 48 };

  /**
   * The example as the group's metadata, with one uint16 array per dataset of the shape its scale gives: 0.4 written
   * by zarr 2 (Debian's python3-zarr), 0.5 by zarrita.
   */
  async function writeExample(version: NgffVersion, folder: string, document: Record<string, unknown>) {
    const multiscale = multiscaleOf(version, document);
    const level0 = scaleOf(multiscale.datasets[0].coordinateTransformations)!;
    const shapes = multiscale.datasets.map((dataset) => {
      const scale = scaleOf(dataset.coordinateTransformations)!;
      return multiscale.axes.map((axis, i) => Math.ceil((level0Sizes[axis.name] * level0[i]) / scale[i]));
    });
    if (version === '0.4') {
      const arrays = Object.fromEntries(
        multiscale.datasets.map((dataset, i) => [dataset.path, { shape: shapes[i], dtype: '<u2' }]),
      );
      writeZarrGroups(folder, { groups: { '': { attributes: document, arrays } } });
    } else {
      const group = await zarr.create(zarr.root(new FileSystemStore(folder)), {
        attributes: document.attributes as Record<string, unknown>,
      });
      for (const [i, dataset] of multiscale.datasets.entries())
        await zarr.create(group.resolve(dataset.path), { shape: shapes[i], chunkShape: shapes[i], dtype: 'uint16' });
    }
    return shapes[0];
  }

  for (const version of ['0.4', '0.5'] as NgffVersion[])
    it.skipIf(version === '0.4' && referenceMissing)(
      `${version}: axes, level-0 sizes, physical sizes (level-0 scale times the multiscale's), levels, data type`,
      async () => {
        const images = officialExamples(version).filter((example) => example.kind === 'image');
        expect(images.map((example) => example.name)).toEqual([
          'multiscales_strict__multiscales_example.json',
          'multiscales_strict__multiscales_transformations.json',
        ]);
        for (const { name, document } of images) {
          const folder = join(root, version, name.replace(/\.json$/u, '.zarr'));
          const shape = await writeExample(version, folder, document);
          const { metadata, problems } = await readZarrFolder(folder);
          expect(problems, name).toEqual([]);
          const multiscale = multiscaleOf(version, document);
          const level0 = scaleOf(multiscale.datasets[0].coordinateTransformations)!;
          const outer = scaleOf(multiscale.coordinateTransformations);
          expect(metadata, name).toEqual({
            status: 'read',
            format: 'OME-Zarr',
            resolutionLevels: multiscale.datasets.length,
            // §"multiscales metadata": the multiscale's own scale applies after each dataset's, to every level.
            axes: multiscale.axes.map((axis, i) => ({
              name: axis.name,
              type: axis.type,
              size: shape[i],
              ...(axis.type === 'channel' ? {} : { physicalSize: level0[i] * (outer?.[i] ?? 1) }),
              ...(axis.unit ? { unit: axis.unit } : {}),
            })),
            dataType: 'uint16',
            hasLabels: false,
            seriesCount: 1,
          });
        }
      },
    );
});
