// Derives schemas/types.ts from the JSON Schemas. Run `npm run schemas:types` after changing a schema;
// test/schemas/types-drift.test.ts fails when the committed file and the schemas disagree.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderSchemaTypes } from './render-types.ts';

const target = fileURLToPath(new URL('./types.ts', import.meta.url));
await writeFile(target, await renderSchemaTypes());
process.stdout.write(`wrote ${target}\n`);
