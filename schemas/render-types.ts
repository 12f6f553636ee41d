import { compile } from 'json-schema-to-typescript';
import { schemas } from './index.ts';

const banner = '// Generated from schemas/*.schema.json by `npm run schemas:types`. Do not edit by hand.\n';

/** Renders the TypeScript types of every schema, in a stable order, as one module's text. */
export async function renderSchemaTypes(): Promise<string> {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const source = structuredClone(schema) as Record<string, unknown>;
    const text = await compile(source as never, name, {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: true,
      cwd: new URL('.', import.meta.url).pathname,
      $refOptions: { resolve: { external: true, file: { canRead: true } } as never },
      format: false,
      unreachableDefinitions: false,
    });
    // Referenced definitions (e.g. Author) are emitted by every schema that uses them: keep the first.
    for (const block of text.split(/\n(?=export )/)) {
      const name = /^export (?:interface|type) (\w+)/.exec(block)?.[1];
      if (name && seen.has(name)) continue;
      if (name) seen.add(name);
      parts.push(block.trim());
    }
  }
  return banner + parts.join('\n') + '\n';
}
