// The one ajv instance of the project: it compiles every schema once, with all errors collected.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import entrySchema from './entry.schema.json' with { type: 'json' };
import manifestSchema from './manifest.schema.json' with { type: 'json' };
import tombstoneSchema from './tombstone.schema.json' with { type: 'json' };
import harvestedRecordSchema from './harvested-record.schema.json' with { type: 'json' };
import partnerSchema from './partner.schema.json' with { type: 'json' };
import mirrorSchema from './mirror.schema.json' with { type: 'json' };
import checkReportSchema from './check-report.schema.json' with { type: 'json' };
import curationSchema from './curation.schema.json' with { type: 'json' };

export type { ErrorObject };
export type * from './types.ts';

/** Every schema of the project, keyed by the name used across the code base. */
export const schemas = {
  entry: entrySchema,
  manifest: manifestSchema,
  tombstone: tombstoneSchema,
  'harvested-record': harvestedRecordSchema,
  partner: partnerSchema,
  mirror: mirrorSchema,
  'check-report': checkReportSchema,
  curation: curationSchema,
} as const;

export type SchemaName = keyof typeof schemas;

/**
 * A harvested record's id, `<partner>.<id>`: the `pattern` of `id` in harvested-record.schema.json, compiled with
 * the `u` flag as ajv compiles every pattern (JSON Schema 2020-12 §6.3.3: ECMA-262 regular expressions).
 */
export const harvestedIdPattern = new RegExp(harvestedRecordSchema.properties.id.pattern, 'u');

// ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
  options: object,
) => void;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
// `full` mode: "date" rejects 2024-02-30, and "email" follows the RFC rather than a loose pattern.
addFormats(ajv, { mode: 'full', formats: ['date', 'date-time', 'email', 'uri'] });
for (const schema of Object.values(schemas)) ajv.addSchema(schema);

const compiled = new Map<SchemaName, ValidateFunction>();

/** The compiled validator for one schema (compiled on first use, then cached). */
export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.getSchema(schemas[name].$id) as ValidateFunction;
    compiled.set(name, validate);
  }
  return validate;
}

/** A validator for a fragment of a schema, e.g. `<$id>#/$defs/Author` (used to check the schemas' own examples). */
export function compileFragment(ref: string): ValidateFunction {
  return ajv.compile({ $ref: ref });
}
