// BioStudies PageTab JSON (https://www.ebi.ac.uk/biostudies/misc/PagetabSpecification.html) read into typed
// sections: a tree of typed sections with name/value attributes and links. Values of the wrong shape are skipped
// or read as empty, never thrown on, since the input is a file from elsewhere.

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface Attribute {
  name: string;
  value: string;
  reference: boolean;
  valqual: { name: string; value: string }[];
}

export interface Section {
  type: string;
  accno?: string;
  attributes: Attribute[];
  subsections: Section[];
  links: { url: string; attributes: Attribute[] }[];
}

/** PageTab names and types compare case-insensitively, with runs of white space as one space. */
export const norm = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Nesting deeper than this is not read: REMBI studies nest three levels at most. */
const maxDepth = 16;

function readValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined || value === null ? '' : String(value);
}

export function readAttributes(value: unknown): Attribute[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((a) => ({
    name: typeof a.name === 'string' ? a.name : '',
    value: readValue(a.value),
    reference: a.reference === true,
    valqual: Array.isArray(a.valqual)
      ? a.valqual.filter(isObject).map((q) => ({ name: String(q.name ?? ''), value: String(q.value ?? '') }))
      : [],
  }));
}

/** Reads a section; PageTab subsections and links may be single items or tables (arrays), so tables are flattened. */
export function readSection(value: unknown, depth = 0): Section | undefined {
  if (!isObject(value) || depth > maxDepth) return undefined;
  const subsections: Section[] = [];
  for (const item of Array.isArray(value.subsections) ? value.subsections : []) {
    for (const candidate of Array.isArray(item) ? item : [item]) {
      const section = readSection(candidate, depth + 1);
      if (section) subsections.push(section);
    }
  }
  const links: Section['links'] = [];
  for (const item of Array.isArray(value.links) ? value.links : []) {
    for (const link of Array.isArray(item) ? item : [item]) {
      if (isObject(link) && typeof link.url === 'string') {
        links.push({ url: link.url, attributes: readAttributes(link.attributes) });
      }
    }
  }
  return {
    type: typeof value.type === 'string' ? value.type : '',
    accno: typeof value.accno === 'string' ? value.accno : undefined,
    attributes: readAttributes(value.attributes),
    subsections,
    links,
  };
}

/** The attributes with any of the names (case-insensitive) and a non-blank value, in order. */
export function attributesNamed(attributes: readonly Attribute[], ...names: string[]): Attribute[] {
  const wanted = names.map(norm);
  return attributes.filter((a) => wanted.includes(norm(a.name)) && a.value.trim() !== '');
}

/** The first non-blank value of any of the names (case-insensitive), trimmed. */
export function valueOf(attributes: readonly Attribute[], ...names: string[]): string | undefined {
  const wanted = names.map(norm);
  return attributes.find((a) => wanted.includes(norm(a.name)) && a.value.trim() !== '')?.value.trim();
}

/** The trimmed non-blank values of any of the names, in order (for attributes that repeat, such as 'Keywords'). */
export function valuesOf(attributes: readonly Attribute[], ...names: string[]): string[] {
  return attributesNamed(attributes, ...names).map((a) => a.value.trim());
}

export function sectionsOfType(sections: readonly Section[], ...types: string[]): Section[] {
  const wanted = types.map(norm);
  return sections.filter((s) => wanted.includes(norm(s.type)));
}
