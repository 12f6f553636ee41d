// Edits an entry's YAML in place, keeping the submitter's comments, order and style: the catalogue adds its
// accession and history without rewriting what people wrote.
import { isMap, parseDocument } from 'yaml';
import { CatalogError } from './errors.ts';

/** Sets top-level fields; new ones are inserted, in the given order, right after `after` (default schemaVersion). */
export function setTopLevelFields(text: string, fields: Record<string, unknown>, after = 'schemaVersion'): string {
  const document = parseDocument(text);
  const map = document.contents;
  if (!isMap(map)) throw new CatalogError('ENTRY_NOT_A_MAPPING', 'the entry is not a mapping of fields');
  let insertAt = map.items.findIndex((pair) => String((pair.key as { value?: unknown })?.value) === after) + 1;
  for (const [key, value] of Object.entries(fields)) {
    if (map.has(key as never)) map.set(key as never, document.createNode(value) as never);
    else map.items.splice(insertAt++, 0, document.createPair(key, value));
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}
