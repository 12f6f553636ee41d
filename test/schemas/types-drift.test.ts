import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderSchemaTypes } from '../../schemas/render-types.ts';
import { compileFragment, schemas, validatorFor, type SchemaName } from '../../schemas/index.ts';

describe('schemas', () => {
  it(
    'schemas/types.ts is what the schemas generate (run `npm run schemas:types` ' + 'after changing a schema)',
    async () => {
      const committed = await readFile(new URL('../../schemas/types.ts', import.meta.url), 'utf8');
      expect(committed).toBe(await renderSchemaTypes());
    },
  );

  it('every property has a description written for submitters and an example', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      for (const [name, property] of Object.entries(
        (schema.properties ?? {}) as Record<string, Record<string, unknown>>,
      )) {
        const hasRef = typeof property.$ref === 'string';
        const where = `${path}/properties/${name}`;
        // A $ref'd property takes its description from the definition it names, which is checked there.
        if (!hasRef && !property.description) missing.push(`${where}: description`);
        const isContainer =
          property.type === 'object' || property.type === 'array' || property.items || property.properties;
        if (
          !hasRef &&
          !isContainer &&
          property.examples === undefined &&
          property.const === undefined &&
          property.default === undefined
        )
          missing.push(`${where}: example`);
        visit(property, where);
        visit(property.items, `${where}/items`);
      }
      for (const [name, definition] of Object.entries((schema.$defs ?? {}) as Record<string, unknown>))
        visit(definition, `${path}/$defs/${name}`);
    };
    for (const [name, schema] of Object.entries(schemas)) {
      // Harvested records reuse the entry's definitions; their own study fields mirror the entry's.
      if (name !== 'harvested-record') visit(schema, name);
    }
    expect(missing).toEqual([]);
  });

  it('each example is valid against the property it illustrates', () => {
    const failures: string[] = [];
    const visit = (node: unknown, id: string, pointer: string) => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      if (Array.isArray(schema.examples) && pointer) {
        const validate = compileFragment(`${id}#${pointer}`);
        for (const example of schema.examples)
          if (!validate(example))
            failures.push(
              `${id}#${pointer}: ${JSON.stringify(example)} ${JSON.stringify(validate.errors?.[0]?.message)}`,
            );
      }
      for (const key of ['properties', '$defs'] as const) {
        for (const [name, child] of Object.entries((schema[key] ?? {}) as Record<string, unknown>))
          visit(child, id, `${pointer}/${key}/${name}`);
      }
      if (schema.items) visit(schema.items, id, `${pointer}/items`);
    };
    for (const name of Object.keys(schemas) as SchemaName[]) {
      expect(typeof validatorFor(name)).toBe('function');
      visit(schemas[name], schemas[name].$id, '');
    }
    expect(failures).toEqual([]);
  });
});
