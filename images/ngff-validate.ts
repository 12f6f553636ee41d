// Validation of OME-Zarr metadata against the official OME-NGFF JSON Schemas (schemas/ome-ngff/, JSON Schema
// 2020-12). The schemas are not written for ajv's strict mode (unknown keywords, loose unions), so they get an
// ajv of their own with strict mode off; the project's schemas keep theirs (schemas/index.ts).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export type NgffVersion = '0.4' | '0.5';
export type NgffKind = 'image' | 'label' | 'plate' | 'well' | 'bf2raw' | 'ome';

/** One way the metadata breaks its schema: a JSON pointer into the validated object and ajv's message. */
export interface NgffViolation {
  pointer: string;
  message: string;
}

const schemaFiles: Record<NgffVersion, string[]> = {
  '0.4': ['bf2raw', 'image', 'label', 'ome', 'plate', 'well'],
  '0.5': ['_version', 'bf2raw', 'image', 'label', 'ome', 'ome_zarr', 'plate', 'well'],
};

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();
/** The `$id` each schema file gives itself, by `<version>/<kind>`. */
const schemaIds = new Map<string, string>();

function schemaAjv(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, validateFormats: false });
  for (const [version, names] of Object.entries(schemaFiles)) {
    for (const name of names) {
      const url = new URL(`../schemas/ome-ngff/${version}/${name}.schema`, import.meta.url);
      const schema = JSON.parse(readFileSync(url, 'utf8')) as { $id: string };
      ajv.addSchema(schema);
      schemaIds.set(`${version}/${name}`, schema.$id);
    }
  }
  return ajv;
}

/**
 * The schema's id, as the schema file names itself: not always `<version>/schemas/<kind>.schema`, since branch 0.4
 * of ome/ngff-spec gives its bf2raw and ome schemas the ids `latest/schemas/bf2raw.schema` and
 * `latest/schemas/ome.schema`.
 */
export function ngffSchemaId(version: NgffVersion, kind: NgffKind): string {
  schemaAjv();
  const id = schemaIds.get(`${version}/${kind}`);
  if (!id) throw new Error(`no OME-NGFF ${version} ${kind} schema`);
  return id;
}

/**
 * Validates `attributes` (0.4: the `.zattrs` object; 0.5: the `attributes` of zarr.json) against the schema of
 * `kind`. Returns every violation, at most `max` (default 20) so that a hostile file cannot flood the report.
 */
export function validateNgff(version: NgffVersion, kind: NgffKind, attributes: unknown, max = 20): NgffViolation[] {
  const id = ngffSchemaId(version, kind);
  let validate = compiled.get(id);
  if (!validate) {
    validate = schemaAjv().getSchema(id);
    if (!validate) throw new Error(`no OME-NGFF schema ${id}`);
    compiled.set(id, validate);
  }
  if (validate(attributes)) return [];
  return (validate.errors ?? []).slice(0, max).map((error) => ({
    pointer: error.instancePath,
    message: `${error.message ?? 'is invalid'}${
      error.keyword === 'additionalProperties' ? ` ('${String(error.params.additionalProperty)}')` : ''
    }${error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : ''}`,
  }));
}
