// The MUSTs of RO-Crate 1.2 (https://w3id.org/ro/crate/1.2) that a detached crate's JSON can be checked for
// without a JSON-LD processor: the crate is flattened and compacted (§Metadata), so every rule is about the shape
// of the @graph. Each broken rule gives one line naming the entity and the rule.

type Entity = Record<string, unknown>;

const isoDate = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;
const absoluteUri = /^[a-z][a-z0-9+.-]*:/i;
const typesOf = (entity: Entity) => [entity['@type']].flat().filter((t): t is string => typeof t === 'string');
const idsIn = (value: unknown): string[] =>
  [value]
    .flat()
    .filter(
      (v): v is { '@id': string } => typeof v === 'object' && v !== null && typeof (v as Entity)['@id'] === 'string',
    )
    .map((v) => v['@id']);

/** Every rule the crate breaks; [] for a conforming crate. `detached` adds §Detached RO-Crate Package's rules. */
export function roCrateProblems(crate: unknown, { detached = true } = {}): string[] {
  const problems: string[] = [];
  if (typeof crate !== 'object' || crate === null || Array.isArray(crate)) return ['the document is not an object'];
  const document = crate as Entity;
  // §Structure: the RO-Crate JSON-LD MUST use the RO-Crate 1.2 context by reference.
  const contexts = [document['@context']].flat();
  if (
    !contexts.some((c) => typeof c === 'string' && /^https:\/\/w3id\.org\/ro\/crate\/1\.[2-9][^/]*\/context$/.test(c))
  )
    problems.push('@context: does not name https://w3id.org/ro/crate/1.2/context (or later) by reference');
  const graph = document['@graph'];
  if (!Array.isArray(graph)) return [...problems, '@graph: missing or not an array (the crate must be flattened)'];

  const byId = new Map<string, Entity>();
  graph.forEach((node, index) => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(`@graph[${index}]: not an object`);
      return;
    }
    const entity = node as Entity;
    const id = entity['@id'];
    // §Metadata, common principles 1 and 2: every entity has an @id and a @type.
    if (typeof id !== 'string' || id === '') return void problems.push(`@graph[${index}]: no @id`);
    if (!typesOf(entity).length) problems.push(`${id}: no @type`);
    if (byId.has(id)) problems.push(`${id}: described twice (the graph must be flattened)`);
    byId.set(id, entity);
    // §Metadata, principle 7: references use the {"@id"} form; an object with more is a nested entity.
    for (const [key, value] of Object.entries(entity)) {
      for (const item of [value].flat()) {
        if (typeof item !== 'object' || item === null) continue;
        const keys = Object.keys(item);
        if (!(keys.length === 1 && keys[0] === '@id') && !keys.every((k) => k === '@value' || k === '@language'))
          problems.push(`${id}: ${key} holds a nested object (entities must be flattened into @graph)`);
      }
    }
  });

  // §Root Data Entity: the descriptor, with about and conformsTo.
  const descriptor = byId.get('ro-crate-metadata.json');
  if (!descriptor) return [...problems, 'no RO-Crate Metadata Descriptor with @id ro-crate-metadata.json'];
  if (!typesOf(descriptor).includes('CreativeWork')) problems.push('ro-crate-metadata.json: @type is not CreativeWork');
  const conformsTo = idsIn(descriptor.conformsTo);
  if (!conformsTo.some((c) => c.startsWith('https://w3id.org/ro/crate/')))
    problems.push('ro-crate-metadata.json: conformsTo does not reference https://w3id.org/ro/crate/...');
  const rootIds = idsIn(descriptor.about);
  if (rootIds.length !== 1) return [...problems, 'ro-crate-metadata.json: about must reference the one root entity'];
  const root = byId.get(rootIds[0]);
  if (!root) return [...problems, `ro-crate-metadata.json: about references ${rootIds[0]}, which is not in @graph`];

  // §Direct properties of the Root Data Entity.
  const rootId = rootIds[0];
  if (!typesOf(root).includes('Dataset')) problems.push(`${rootId}: the root entity's @type is not Dataset`);
  for (const property of ['name', 'description', 'datePublished', 'license'])
    if (root[property] === undefined) problems.push(`${rootId}: no ${property}`);
  if (root.datePublished !== undefined && (typeof root.datePublished !== 'string' || !isoDate.test(root.datePublished)))
    problems.push(`${rootId}: datePublished is not a single ISO 8601 date`);
  if (detached && rootId !== './' && !absoluteUri.test(rootId))
    problems.push(`${rootId}: the root @id of a detached crate is ./ or an absolute URI`);

  // Every local reference (#id or a relative path) names an entity of the graph.
  for (const [id, entity] of byId)
    for (const [key, value] of Object.entries(entity)) {
      if (key === 'conformsTo') continue;
      for (const target of idsIn(value))
        if (!absoluteUri.test(target) && !byId.has(target))
          problems.push(`${id}: ${key} references ${target}, not in @graph`);
    }

  // §Data Entities: files are reached from the root through hasPart; in a detached crate they are web-based.
  const reached = new Set<string>();
  const visit = (id: string) => {
    if (reached.has(id)) return;
    reached.add(id);
    for (const part of idsIn(byId.get(id)?.hasPart)) visit(part);
  };
  visit(rootId);
  for (const [id, entity] of byId) {
    if (!typesOf(entity).includes('File')) continue;
    if (!reached.has(id)) problems.push(`${id}: a File not listed in hasPart of the root (or of a Dataset in it)`);
    if (detached && !/^https?:\/\//i.test(id)) problems.push(`${id}: a File of a detached crate needs an absolute URI`);
  }
  return problems;
}
