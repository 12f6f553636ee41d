// Turns ajv's errors into problems a submitter can act on: which field, what is wrong, how to fix it.
// All the wording lives here, so that every file kind (entry, manifest, partner...) reads the same.
import type { ErrorObject } from '../schemas/index.ts';
import { schemas } from '../schemas/index.ts';
import { joinPointer } from './problems.ts';

export interface SchemaProblem {
  pointer: string;
  code: string;
  message: string;
  fix?: string;
}

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; description?: string; $ref?: string };

/** Follows a local or cross-file `$ref` to the schema it names. */
function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  const [file, fragment = ''] = schema.$ref.split('#');
  const root = (file ? Object.values(schemas).find((s) => s.$id.endsWith(file)) : schemas.entry) as unknown as Schema;
  let node: unknown = root;
  for (const token of fragment.split('/').filter(Boolean)) node = (node as Record<string, unknown>)?.[token];
  const target = node as Schema | undefined;
  return target?.$ref ? resolve(target) : target;
}

function describe(schema: Schema | undefined): string | undefined {
  return schema?.description ?? resolve(schema)?.description;
}

function exampleOf(schema: Schema | undefined): unknown {
  const examples = (schema?.examples ?? resolve(schema)?.examples) as unknown[] | undefined;
  return examples?.[0];
}

/** Edit distance, to suggest the field a misspelt one meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(
        row[j] + 1,
        row[j - 1] + 1,
        previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length];
}

function typeName(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping (fields)';
  return `a ${typeof value}`;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/** Converts ajv errors (validator compiled with allErrors and verbose) into problems, one per distinct issue. */
export function toSchemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const problem = toProblem(error);
    if (!problem) continue;
    const key = `${problem.pointer} ${problem.code} ${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function toProblem(error: ErrorObject): SchemaProblem | undefined {
  const pointer = error.instancePath;
  const parent = error.parentSchema as Schema | undefined;
  const field = pointer.split('/').pop() || 'the document';
  const example = exampleOf(parent);
  const exampleHint = example !== undefined ? ` e.g. ${JSON.stringify(example)}` : '';
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const property = parent?.properties?.[missing];
      const hint = describe(property);
      const sample = exampleOf(property);
      return {
        pointer: joinPointer(...pointer.split('/').slice(1).map(unescape), missing),
        code: 'FIELD_MISSING',
        message: `the required field '${missing}' is missing${pointer ? ` in ${pointer}` : ''}`,
        fix:
          `add '${missing}'${hint ? ` (${hint})` : ''}` +
          (sample !== undefined ? `, e.g. ${missing}: ${JSON.stringify(sample)}` : ''),
      };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(parent?.properties ?? {});
      // The edit distance is at least the difference in length: names too far apart in length are not measured
      // (a hostile file may hold hundreds of thousands of unknown fields, or one field name of a megabyte).
      const limit = Math.max(2, Math.floor(extra.length / 3));
      const near = allowed.filter((name) => Math.abs(name.length - extra.length) <= limit);
      const closest = near.map((name) => ({ name, d: distance(extra, name) })).sort((a, b) => a.d - b.d)[0];
      return {
        pointer: `${pointer}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        code: 'FIELD_UNKNOWN',
        message: `${show(extra)} is not a field here`,
        fix:
          closest && closest.d <= limit
            ? `did you mean '${closest.name}'?`
            : `remove it; the fields allowed here are: ${allowed.join(', ')}`,
      };
    }
    case 'type':
      if (pointer === '')
        return {
          pointer,
          code: 'TYPE_MISMATCH',
          message: `the file must be a mapping of fields, not ${typeName(error.data)}`,
          fix: 'start from the example in the README ("Submit a dataset")',
        };
      return {
        pointer,
        code: 'TYPE_MISMATCH',
        message: `'${field}' must be ${article((error.params as { type: string }).type)}, not ${typeName(error.data)}`,
        fix: describe(parent)
          ? `${describe(parent)}${exampleHint}`
          : `write ${article((error.params as { type: string }).type)} here${exampleHint}`,
      };
    case 'enum':
      return {
        pointer,
        code: 'VALUE_NOT_ALLOWED',
        message: `${show(error.data)} is not one of the allowed values for '${field}'`,
        fix: `use one of: ${(error.params as { allowedValues: unknown[] }).allowedValues
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
      };
    case 'const':
      return {
        pointer,
        code: 'VALUE_NOT_ALLOWED',
        message: `'${field}' must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`,
        fix: `write ${field}: ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`,
      };
    case 'format': {
      const format = (error.params as { format: string }).format;
      const what: Record<string, string> = {
        date: 'a real calendar date written YYYY-MM-DD',
        'date-time': 'a date and time like 2024-01-31T12:00:00Z',
        email: 'an e-mail address',
        uri: 'a full web address starting with https://',
      };
      return {
        pointer,
        code: 'FORMAT_INVALID',
        message: `${show(error.data)} is not ${what[format] ?? `a valid ${format}`}`,
        fix: exampleHint ? `write it like${exampleHint}` : `write ${what[format] ?? `a valid ${format}`}`,
      };
    }
    case 'pattern':
      return {
        pointer,
        code: 'FORMAT_INVALID',
        message: `${show(error.data)} does not have the form expected for '${field}'`,
        fix: `${describe(parent) ?? 'see the schema'}${exampleHint}`,
      };
    case 'minLength':
    case 'maxLength': {
      const limit = (error.params as { limit: number }).limit;
      const length = typeof error.data === 'string' ? error.data.length : 0;
      return {
        pointer,
        code: error.keyword === 'minLength' ? 'TEXT_TOO_SHORT' : 'TEXT_TOO_LONG',
        message:
          `'${field}' has ${length} characters; ` +
          `${error.keyword === 'minLength' ? 'at least' : 'at most'} ${limit} are needed`,
        fix: describe(parent) ?? `write ${error.keyword === 'minLength' ? 'at least' : 'at most'} ${limit} characters`,
      };
    }
    case 'minItems':
      return {
        pointer,
        code: 'LIST_TOO_SHORT',
        message: `'${field}' needs at least ${(error.params as { limit: number }).limit} item(s)`,
        fix: describe(parent) ?? `list at least ${(error.params as { limit: number }).limit} item(s)`,
      };
    case 'maxItems':
      return {
        pointer,
        code: 'LIST_TOO_LONG',
        message: `'${field}' has too many items`,
        fix: describe(parent) ?? `list at most ${(error.params as { limit: number }).limit} item(s)`,
      };
    case 'uniqueItems':
      return {
        pointer,
        code: 'DUPLICATE_ITEM',
        message:
          `'${field}' lists the same item twice ` +
          `(items ${(error.params as { j: number; i: number }).j + 1} and ${(error.params as { i: number }).i + 1})`,
        fix: 'remove the repeated item',
      };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        pointer,
        code: 'NUMBER_OUT_OF_RANGE',
        message: `${show(error.data)} is out of range for '${field}': it ${error.message}`,
        fix: describe(parent) ?? `write a number that ${error.message}`,
      };
    case 'if':
    case 'allOf':
    case 'anyOf':
    case 'oneOf':
    case '$ref':
      // Combinators repeat what their branches already reported.
      return undefined;
    default:
      return {
        pointer,
        code: 'SCHEMA_INVALID',
        message: `'${field}' ${error.message ?? 'is not valid'}`,
        fix: describe(parent) ?? 'see the description of this field in the JSON Schema (schemas/)',
      };
  }
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function article(type: string): string {
  const words: Record<string, string> = {
    string: 'text',
    integer: 'a whole number',
    number: 'a number',
    array: 'a list',
    object: 'a mapping (fields)',
    boolean: 'true or false',
  };
  return words[type] ?? type;
}
