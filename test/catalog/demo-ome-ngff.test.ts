// The demo's OME-Zarr images are real OME-NGFF: the metadata of each passes the official image schema of its
// version (0.4 `.zattrs`: the image schema; 0.5 `zarr.json` attributes: the strict one, SHOULDs included), and
// each level's array metadata agrees with it (as many dimensions as axes, one level per dataset, each level no
// larger than the one before).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderDemoFiles } from '../../catalog/demo/data.ts';

const schemas = join(import.meta.dirname, 'fixtures', 'ome-ngff');
const load = (path: string) => JSON.parse(readFileSync(join(schemas, path), 'utf8'));

function validator(version: '0.4' | '0.5', schema: 'image.schema' | 'strict_image.schema') {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const name of ['image.schema', ...(version === '0.5' ? ['_version.schema'] : [])])
    ajv.addSchema(load(`${version}/${name}`));
  return ajv.compile(
    schema === 'image.schema' ? { $ref: load(`${version}/image.schema`).$id } : load(`${version}/${schema}`),
  );
}

const files = renderDemoFiles('BIC0000059');
const json = (path: string) => JSON.parse(Buffer.from(files.find((f) => f.path === path)!.bytes).toString('utf8'));

describe('the demo OME-Zarr images against the OME-NGFF schemas', () => {
  it('kidney_01.ome.zarr is OME-NGFF 0.4 (image schema)', () => {
    const validate = validator('0.4', 'image.schema');
    const attributes = json('kidney_01.ome.zarr/.zattrs');
    expect(validate(attributes), JSON.stringify(validate.errors)).toBe(true);
    const levels = attributes.multiscales[0].datasets.map((d: { path: string }) =>
      json(`kidney_01.ome.zarr/${d.path}/.zarray`),
    );
    expectLevels(
      levels.map((l: { shape: number[] }) => l.shape),
      attributes.multiscales[0].axes.length,
      2,
    );
  });

  it('kidney_02.ome.zarr is OME-NGFF 0.5 on Zarr v3 (strict image schema), three channels, z, three levels', () => {
    const validate = validator('0.5', 'strict_image.schema');
    const root = json('kidney_02.ome.zarr/zarr.json');
    expect(root).toMatchObject({ zarr_format: 3, node_type: 'group' });
    expect(validate(root.attributes), JSON.stringify(validate.errors)).toBe(true);
    const multiscale = root.attributes.ome.multiscales[0];
    const levels = multiscale.datasets.map((d: { path: string }) => json(`kidney_02.ome.zarr/${d.path}/zarr.json`));
    for (const level of levels) {
      expect(level).toMatchObject({ zarr_format: 3, node_type: 'array', data_type: 'uint16' });
      expect(level.dimension_names).toEqual(multiscale.axes.map((a: { name: string }) => a.name));
    }
    expectLevels(
      levels.map((l: { shape: number[] }) => l.shape),
      multiscale.axes.length,
      3,
    );
    expect(levels[0].shape.slice(0, 2)).toEqual([3, 16]);
    expect(root.attributes.ome.omero.channels.map((c: { label: string }) => c.label)).toEqual([
      'nuclei',
      'podocin',
      'vessels',
    ]);
  });

  it('the strict schemas reject what they should (a level without its scale)', () => {
    const validate = validator('0.5', 'strict_image.schema');
    const root = json('kidney_02.ome.zarr/zarr.json');
    delete root.attributes.ome.multiscales[0].datasets[1].coordinateTransformations;
    expect(validate(root.attributes)).toBe(false);
  });
});

function expectLevels(shapes: number[][], dimensions: number, count: number): void {
  expect(shapes).toHaveLength(count);
  for (const [i, shape] of shapes.entries()) {
    expect(shape).toHaveLength(dimensions);
    if (i > 0) for (const [d, size] of shape.entries()) expect(size).toBeLessThanOrEqual(shapes[i - 1][d]);
  }
}
