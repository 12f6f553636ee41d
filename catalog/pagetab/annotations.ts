// The BioImage Archive's Annotation sections (MIFA, BioImages.v5 template) to the entry's annotations, and its
// links to EMPIAR, EMDB, PDB and IDR to typed cross-references. Nothing is invented: an annotation's files are in a
// separate file list, so `files` stays missing (validation asks for it) and a note names the list.
import type { Annotation, RelatedResource } from '../../schemas/types.ts';
import { parseCompactIdentifier } from '../checks/bioregistry.ts';
import type { Draft } from './draft.ts';
import { norm, valueOf, type Section } from './sections.ts';
import { localId } from './terms.ts';

/** One Annotation section; MIFA's attribute names as BioImages.v5 writes them. */
export function toAnnotation(s: Section, taken: Set<string>, notes: string[]): Draft<Annotation> {
  const title = valueOf(s.attributes, 'Title');
  const id = localId(s.accno ?? title ?? 'annotation', 'annotation', taken);
  const types = (valueOf(s.attributes, 'Annotation Type') ?? '')
    .split(/[,;]/)
    .map((t) => norm(t).replace(/[\s-]+/g, '_'))
    .filter(Boolean);
  const fileList = valueOf(s.attributes, 'File List');
  notes.push(
    `The annotation '${id}' lists its files in ${fileList ? `the file list ${fileList}` : 'no file list'}; ` +
      'write them under files, as paths of the manifest.',
  );
  const field = <K extends keyof Annotation>(key: K, value: Annotation[K] | undefined) =>
    value ? { [key]: value } : {};
  return {
    id,
    ...field('title', title),
    ...field('overview', valueOf(s.attributes, 'Annotation Overview')),
    ...field('types', types.length ? ([...new Set(types)] as Annotation['types']) : undefined),
    ...field('method', valueOf(s.attributes, 'Annotation Method')),
    ...field('criteria', valueOf(s.attributes, 'Annotation Criteria')),
    ...field('coverage', valueOf(s.attributes, 'Annotation Coverage')),
    ...field('confidence', valueOf(s.attributes, 'Annotation Confidence Level')),
  };
}

/** Link `Type` values that name an archive, exactly (a near miss such as 'PDF' must not become PDB). */
const archiveTypes = new Map([
  ['empiar', 'empiar'],
  ['emdb', 'emdb'],
  ['pdb', 'pdb'],
  ['pdbe', 'pdb'],
  ['idr', 'idr'],
]);

// The archives' own pages, by the id they carry: EMPIAR, EMDB (both EBI addresses), PDB (RCSB, PDBe), IDR.
const pagePatterns: [RegExp, string, (m: RegExpExecArray) => string][] = [
  [
    /^https?:\/\/(?:www\.)?ebi\.ac\.uk\/(?:pdbe\/emdb\/)?empiar\/(?:entry\/)?(?:EMPIAR-)?(\d+)\/?$/i,
    'empiar',
    (m) => m[1],
  ],
  [/^https?:\/\/(?:www\.)?ebi\.ac\.uk\/(?:pdbe\/entry\/)?emdb\/(EMD-\d+)\/?$/i, 'emdb', (m) => m[1].toUpperCase()],
  [/^https?:\/\/(?:www\.)?rcsb\.org\/structure\/([0-9][A-Za-z0-9]{3})\/?$/i, 'pdb', (m) => m[1].toLowerCase()],
  [/^https?:\/\/(?:www\.)?ebi\.ac\.uk\/pdbe\/entry\/pdb\/([0-9][A-Za-z0-9]{3})\/?$/i, 'pdb', (m) => m[1].toLowerCase()],
  [/^https?:\/\/idr\.openmicroscopy\.org\/.*\bidr(\d{4})/i, 'idr', (m) => m[1]],
];

/**
 * The cross-reference a PageTab link stands for, when it names an EMPIAR, EMDB, PDB or IDR record: by a `Type`
 * attribute naming the archive (the link's url is then the id: `EMD-1234`, `EMPIAR-10326`), or by the archive's
 * page. PageTab says nothing of the relation, so it is References, and a note asks the importer to check it.
 */
export function toRelatedFromLink(link: Section['links'][number], notes: string[]): Draft<RelatedResource> | undefined {
  const url = link.url.trim();
  const type = valueOf(link.attributes, 'Type');
  let curie: string | undefined;
  const prefix = type ? archiveTypes.get(norm(type)) : undefined;
  if (prefix) {
    const id = prefix === 'empiar' ? url.replace(/^EMPIAR-/i, '') : prefix === 'idr' ? url.replace(/^idr/i, '') : url;
    curie = `${prefix}:${id}`;
  } else {
    for (const [pattern, archive, idOf] of pagePatterns) {
      const match = pattern.exec(url);
      if (match) curie = `${archive}:${idOf(match)}`;
      if (match) break;
    }
  }
  if (!curie) return undefined;
  const verdict = parseCompactIdentifier(curie);
  const id = verdict.ok ? curie : (verdict.suggestion ?? curie);
  notes.push(`The link '${url}' became the cross-reference ${id} with relation References; check the relation.`);
  const description = valueOf(link.attributes, 'Description');
  return { id, relation: 'References', ...(description ? { description } : {}) };
}
