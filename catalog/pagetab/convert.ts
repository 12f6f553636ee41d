// BioStudies PageTab JSON (the BioImage Archive's submission format) to an entry of this catalogue.
//
// PageTab (https://www.ebi.ac.uk/biostudies/misc/PagetabSpecification.html) is a tree of typed sections with
// name/value attributes. The BioImage Archive's REMBI templates (BioImages.v4, BioImages.v5) put the REMBI
// modules at the top of the Study section: Biosample, Specimen, Image acquisition, Image analysis, Image
// correlation, Study Component, the last with 'Associations' that name the others by their Title. Older REMBI
// conversions (e.g. S-BIAD628) nest Biosample/Specimen/Image Acquisition inside each Study Component instead.
// Both shapes are read; BIA's own ingest (bia-integrator, bia-ingest) maps the same attributes.
//
// Rule: nothing is invented. A value the study lacks stays missing, so that validation reports it. What the
// converter derives (a taxon id looked up from a scientific name, a FBbi id from a method's label, a licence
// written as an SPDX id) is listed in `notes` so that the importer can check it.
import type {
  Affiliation,
  Analysis,
  Author,
  Biosample,
  Entry,
  Funding,
  ImageAcquisition,
  ImageCorrelation,
  ImagingMethod,
  Link,
  Publication,
  Specimen,
  Study,
  StudyComponent,
} from '../../schemas/types.ts';
import { CatalogError } from '../errors.ts';
import type { Draft } from './draft.ts';
import { toAnnotation, toRelatedFromLink } from './annotations.ts';
import {
  attributesNamed,
  isObject,
  norm,
  readSection,
  sectionsOfType,
  valueOf,
  valuesOf,
  type Section,
} from './sections.ts';
import {
  localId,
  methodFromLabel,
  methodFromTerm,
  organismFromName,
  organismFromSection,
  spdxLicence,
  stripDoi,
} from './terms.ts';

export type { Draft } from './draft.ts';

export type Scale = Study['scales'][number];

export interface PageTabOptions {
  /**
   * The biological scales of the study. PageTab has no such field, so it is never guessed: without it the
   * converted entry lacks study.scales and validation says so. `catalogue import-pagetab --scale` sets it.
   */
  scales?: readonly Scale[];
}

export interface PageTabConversion {
  /** The entry as far as the study describes it; validate it with entryFindings({submission: true}). */
  entry: Draft<Entry>;
  /** The study's accession in BioStudies (e.g. S-BIAD1419), or null. */
  accession: string | null;
  /** The submission template (BioImages.v4, BioImages.v5, Default), or null when the study names none. */
  template: string | null;
  /** What was derived, changed or left out on the way, one sentence each. */
  notes: string[];
}

type Role = NonNullable<Author['roles']>[number];

// PageTab roles are free text; the entry has a fixed list (entry.schema.json Author.roles). A Map, since the text
// is the submitter's: a role named 'constructor' must find nothing, not Object.prototype's.
const roleMap = new Map<string, Role>(
  Object.entries({
    submitter: 'submitter',
    contact: 'contact',
    'corresponding author': 'contact',
    'data acquisition': 'data acquisition',
    'experiment performer': 'data acquisition',
    'data analyst': 'analysis',
    analysis: 'analysis',
    'data curation': 'data curation',
    'data curator': 'data curation',
    'data steward': 'data curation',
    investigator: 'supervision',
    'principal investigator': 'supervision',
    supervision: 'supervision',
    'funding acquisition': 'funding acquisition',
    methodology: 'methodology',
  } satisfies Record<string, Role>),
);

/** The REMBI modules a study component refers to by local id, in the order they are read. */
const moduleKeys = ['biosamples', 'specimens', 'acquisitions', 'analyses', 'correlations'] as const;
type ModuleKey = (typeof moduleKeys)[number];

/** The PageTab section type of each module; an 'Associations' attribute of a component has the same name. */
const moduleTypes: Record<ModuleKey, string> = {
  biosamples: 'biosample',
  specimens: 'specimen',
  acquisitions: 'image acquisition',
  analyses: 'image analysis',
  correlations: 'image correlation',
};
const associationKeys = new Map<string, ModuleKey>(moduleKeys.map((k) => [moduleTypes[k], k]));

/** Section types that become part of the entry, or are told about in a note when left out. */
const readTypes = new Set([
  ...['author', 'organisation', 'organization', 'publication', 'funding', 'study component', 'annotation'],
  ...Object.values(moduleTypes),
]);

/** A module as read: whatever the study gives, and always the local id it was given here. */
type Made<T> = Draft<T> & { id: string };

/** The REMBI objects read so far, with the ids taken and the ids each Title stands for. */
interface Modules {
  notes: string[];
  ids: Record<ModuleKey | 'components', Set<string>>;
  byTitle: Record<ModuleKey, Map<string, string[]>>;
  biosamples: Made<Biosample>[];
  specimens: Made<Specimen>[];
  acquisitions: Made<ImageAcquisition>[];
  analyses: Made<Analysis>[];
  correlations: Made<ImageCorrelation>[];
}

function createModules(notes: string[]): Modules {
  const perModule = <T>(make: () => T) =>
    Object.fromEntries(moduleKeys.map((key) => [key, make()])) as Record<ModuleKey, T>;
  return {
    notes,
    ids: { ...perModule(() => new Set<string>()), components: new Set<string>() },
    byTitle: perModule(() => new Map<string, string[]>()),
    biosamples: [],
    specimens: [],
    acquisitions: [],
    analyses: [],
    correlations: [],
  };
}

/** Converts parsed PageTab JSON. Throws CatalogError PAGETAB_NOT_A_STUDY when there is no Study section. */
export function convertPageTab(data: unknown, options: PageTabOptions = {}): PageTabConversion {
  const root = readSection(data);
  const study = isObject(data) ? readSection(data.section) : undefined;
  if (!root || !study || norm(study.type) !== 'study') {
    throw new CatalogError(
      'PAGETAB_NOT_A_STUDY',
      "this is not a BioStudies PageTab submission: it has no 'section' of type Study",
      { cause: undefined },
    );
  }
  const notes: string[] = [];
  const template = valueOf(root.attributes, 'Template') ?? null;
  const accession = isObject(data) && typeof data.accno === 'string' ? data.accno : null;
  const sections = study.subsections;

  const { affiliations, byAccno } = toAffiliations(sections);
  const authors = sectionsOfType(sections, 'author').map((s) => toAuthor(s, byAccno, notes));
  const publications = sectionsOfType(sections, 'publication').map(toPublication);
  const funding = sectionsOfType(sections, 'funding').map(toFunding);
  // A link to an EMPIAR, EMDB, PDB or IDR record is a typed cross-reference; any other stays a link.
  const related = study.links.map((link) => toRelatedFromLink(link, notes));
  const links = study.links.filter((_, i) => !related[i]).map((link) => toLink(link, notes));

  // REMBI objects, from the top level (BioImages.v4/v5) and from inside components (older conversions).
  const modules = createModules(notes);
  for (const key of moduleKeys) {
    for (const s of sectionsOfType(sections, moduleTypes[key])) {
      const made = addModule(key, s, modules);
      const title = valueOf(s.attributes, 'Title');
      if (title) modules.byTitle[key].set(norm(title), made);
    }
  }
  const components = sectionsOfType(sections, 'study component').map((s) => toComponent(s, modules));
  const annotationIds = new Set<string>();
  const annotations = [
    ...sectionsOfType(sections, 'annotation'),
    ...sectionsOfType(sections, 'study component').flatMap((c) => sectionsOfType(c.subsections, 'annotation')),
  ].map((s) => toAnnotation(s, annotationIds, notes));

  noteLeftOut(study, options, notes);
  // toStudy notes a licence written as an SPDX id; that note comes after all the others.
  const entry: Draft<Entry> = {
    schemaVersion: 1,
    study: {
      ...toStudy(root, study, { authors, affiliations, funding, publications, links }, options, notes),
      ...optional('related', nonEmpty(related.filter((r) => r !== undefined))),
    },
    ...optional('components', nonEmpty(components)),
    ...optional('biosamples', nonEmpty(modules.biosamples)),
    ...optional('specimens', nonEmpty(modules.specimens)),
    ...optional('acquisitions', nonEmpty(modules.acquisitions)),
    ...optional('correlations', nonEmpty(modules.correlations)),
    ...optional('analyses', nonEmpty(modules.analyses)),
    ...optional('annotations', nonEmpty(annotations)),
  };
  return { entry, accession, template, notes: [...new Set(notes)] };
}

/** `{ [key]: value }` when the value is there, else nothing: the entry leaves out what the study lacks. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value ? { [key]: value } : {}) as { [P in K]?: V };
}

/** The list, or undefined when it is empty: entry.schema.json lists have minItems 1 where they are required. */
const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length ? list : undefined);

interface StudyParts {
  authors: Draft<Author>[];
  affiliations: Draft<Affiliation>[];
  funding: Draft<Funding>[];
  publications: Draft<Publication>[];
  links: Draft<Link>[];
}

/** The study's own fields, with the parts read from its subsections and links. */
function toStudy(
  root: Section,
  study: Section,
  parts: StudyParts,
  options: PageTabOptions,
  notes: string[],
): Draft<Study> {
  const attributes = study.attributes;
  const license = spdxLicence(attributesNamed(attributes, 'License', 'Licence')[0], notes);
  const releaseDate = valueOf(root.attributes, 'ReleaseDate') ?? valueOf(attributes, 'ReleaseDate', 'Release date');
  return {
    ...optional('title', valueOf(attributes, 'Title') ?? valueOf(root.attributes, 'Title')),
    ...optional('description', valueOf(attributes, 'Description')),
    ...optional('authors', nonEmpty(parts.authors)),
    ...optional('affiliations', nonEmpty(parts.affiliations)),
    ...optional('license', license),
    ...optional('keywords', nonEmpty([...new Set(valuesOf(attributes, 'Keywords', 'Keyword'))])),
    ...optional('scales', nonEmpty([...(options.scales ?? [])])),
    ...optional('releaseDate', releaseDate),
    ...optional('funding', nonEmpty(parts.funding)),
    ...optional('publications', nonEmpty(parts.publications)),
    ...optional('links', nonEmpty(parts.links)),
    ...optional('acknowledgements', valueOf(attributes, 'Acknowledgements')),
  };
}

/** Affiliations: 'organisation' or 'organization' sections, which authors refer to by accno. */
function toAffiliations(sections: readonly Section[]): {
  affiliations: Draft<Affiliation>[];
  byAccno: Map<string, string>;
} {
  const taken = new Set<string>();
  const byAccno = new Map<string, string>();
  const affiliations = sectionsOfType(sections, 'organisation', 'organization').map((s, i): Draft<Affiliation> => {
    const id = localId(s.accno ?? `org-${i + 1}`, 'org', taken);
    if (s.accno) byAccno.set(s.accno, id);
    return {
      id,
      name: valueOf(s.attributes, 'Name'),
      ...optional('ror', valueOf(s.attributes, 'RORID', 'ROR ID', 'ROR')),
      ...optional('address', valueOf(s.attributes, 'Address')),
    };
  });
  return { affiliations, byAccno };
}

function toAuthor(s: Section, affiliationByAccno: ReadonlyMap<string, string>, notes: string[]): Draft<Author> {
  const roles: Role[] = [];
  for (const role of attributesNamed(s.attributes, 'Role')) {
    const mapped = roleMap.get(norm(role.value));
    if (mapped && !roles.includes(mapped)) roles.push(mapped);
    else if (!mapped) {
      notes.push(
        `The role '${role.value}' of ${valueOf(s.attributes, 'Name') ?? 'an author'} has no equivalent ` +
          `in the entry's list of roles and was left out.`,
      );
    }
  }
  // An affiliation is a reference to an organisation's accno; an unknown one is kept so that validation reports it.
  const refs = s.attributes
    .filter((a) => norm(a.name) === 'affiliation' && a.value.trim() !== '')
    .map((a) => affiliationByAccno.get(a.value) ?? a.value);
  return {
    name: valueOf(s.attributes, 'Name'),
    ...optional('orcid', valueOf(s.attributes, 'ORCID')),
    ...optional('email', valueOf(s.attributes, 'E-mail', 'Email')),
    ...optional('roles', nonEmpty(roles)),
    ...optional('affiliations', nonEmpty(refs)),
  };
}

function toPublication(s: Section): Draft<Publication> {
  const year = valueOf(s.attributes, 'Year');
  const doi = valueOf(s.attributes, 'DOI');
  return {
    ...optional('title', valueOf(s.attributes, 'Title')),
    ...optional('authors', valueOf(s.attributes, 'Authors')),
    ...(year && /^\d{4}$/.test(year) ? { year: Number(year) } : {}),
    ...(doi ? { doi: stripDoi(doi) } : {}),
    ...optional('pubmedId', valueOf(s.attributes, 'Pubmed ID', 'PubMed ID', 'PMID')),
  };
}

function toFunding(s: Section): Draft<Funding> {
  return {
    ...optional('funder', valueOf(s.attributes, 'Agency', 'Funder')),
    ...optional('grantId', valueOf(s.attributes, 'grant_id', 'Grant ID')),
  };
}

function toLink(link: Section['links'][number], notes: string[]): Draft<Link> {
  const type = valueOf(link.attributes, 'Type');
  // A link typed 'doi' holds the bare DOI; it resolves at https://doi.org/.
  // So does a bare DOI without a type (S-BIAD1419); any other address without a scheme stays as written.
  const bare = link.url.trim();
  const isDoi = (type && norm(type) === 'doi') || /^10\.\d{4,9}\/\S+$/.test(bare);
  const url = isDoi && !/^https?:\/\//i.test(bare) ? `https://doi.org/${stripDoi(bare)}` : bare;
  if (url !== bare) notes.push(`The link '${bare}' is a DOI; it was written as ${url}.`);
  return { url, ...optional('description', valueOf(link.attributes, 'Description')) };
}

/** Reads one REMBI section into its module(s), keeps them in `modules`, and returns the ids they were given. */
function addModule(key: ModuleKey, s: Section, modules: Modules): string[] {
  const keep = <T extends { id: string }>(list: T[], made: T[]) => {
    list.push(...made);
    return made.map((m) => m.id);
  };
  switch (key) {
    case 'biosamples':
      return keep(modules.biosamples, [toBiosample(s, modules)]);
    case 'specimens':
      return keep(modules.specimens, [toSpecimen(s, modules)]);
    case 'acquisitions':
      return keep(modules.acquisitions, toAcquisitions(s, modules));
    case 'analyses':
      return keep(modules.analyses, [toAnalysis(s, modules)]);
    case 'correlations':
      return keep(modules.correlations, [toCorrelation(s, modules)]);
  }
}

/** A new local id for a module, from the section's accno or Title. */
function moduleId(key: ModuleKey, s: Section, fallback: string, modules: Modules): string {
  return localId(s.accno ?? valueOf(s.attributes, 'Title') ?? fallback, fallback, modules.ids[key]);
}

function toBiosample(s: Section, modules: Modules): Made<Biosample> {
  const id = moduleId('biosamples', s, 'biosample', modules);
  const organisms = [
    ...valuesOf(s.attributes, 'Organism').map((name) => organismFromName(name, modules.notes)),
    ...sectionsOfType(s.subsections, 'organism').map((o) => organismFromSection(o, modules.notes)),
  ];
  const list = (name: string) => nonEmpty(valuesOf(s.attributes, name));
  return {
    id,
    ...optional('organisms', nonEmpty(organisms)),
    ...optional('biologicalEntity', valueOf(s.attributes, 'Biological entity')),
    ...optional('description', valueOf(s.attributes, 'Description')),
    ...optional('intrinsicVariables', list('Intrinsic variable')),
    ...optional('extrinsicVariables', list('Extrinsic variable')),
    ...optional('experimentalVariables', list('Experimental variable')),
  };
}

function toSpecimen(s: Section, modules: Modules): Made<Specimen> {
  return {
    id: moduleId('specimens', s, 'specimen', modules),
    ...optional('preparationProtocol', valueOf(s.attributes, 'Sample preparation protocol')),
    ...optional('growthProtocol', valueOf(s.attributes, 'Growth protocol')),
    ...optional('signalContrast', valueOf(s.attributes, 'Signal/contrast mechanism', 'Signal contrast mechanism')),
  };
}

/** An entry's acquisition has one imaging method (REMBI lists several); one acquisition per method keeps them all. */
function toAcquisitions(s: Section, modules: Modules): Made<ImageAcquisition>[] {
  const title = valueOf(s.attributes, 'Title');
  const base = s.accno ?? title ?? 'acquisition';
  const methods = [
    ...valuesOf(s.attributes, 'Imaging method').map((label) => methodFromLabel(label, modules.notes)),
    ...sectionsOfType(s.subsections, 'imaging method').map((m) => methodFromTerm(m, modules.notes)),
  ];
  if (methods.length > 1) {
    modules.notes.push(
      `The image acquisition '${title ?? base}' lists ${methods.length} imaging methods; ` +
        `it became ${methods.length} acquisitions, one per method.`,
    );
  }
  const instrument = valueOf(s.attributes, 'Imaging instrument');
  const parameters = valueOf(s.attributes, 'Image acquisition parameters');
  return (methods.length ? methods : [undefined]).map((method) => ({
    id: localId(base, 'acquisition', modules.ids.acquisitions),
    ...(method ? { imagingMethod: method } : {}),
    ...optional('instrument', instrument),
    ...optional('parameters', parameters),
  }));
}

function toAnalysis(s: Section, modules: Modules): Made<Analysis> {
  return {
    id: moduleId('analyses', s, 'analysis', modules),
    ...optional('overview', valueOf(s.attributes, 'Image analysis overview')),
    ...optional('method', valueOf(s.attributes, 'Image analysis method')),
  };
}

function toCorrelation(s: Section, modules: Modules): Made<ImageCorrelation> {
  return {
    id: moduleId('correlations', s, 'correlation', modules),
    ...optional('alignment', valueOf(s.attributes, 'Spatial and temporal alignment')),
    ...optional('fiducials', valueOf(s.attributes, 'Fiducials used')),
    ...optional('transformation', valueOf(s.attributes, 'Transformation matrix')),
  };
}

/**
 * A study component and the modules it uses: those its 'Associations' name by Title, and those nested inside it
 * (older conversions). Its imaging method is the first of its acquisitions'.
 */
function toComponent(s: Section, modules: Modules): Draft<StudyComponent> {
  const { notes } = modules;
  const name = valueOf(s.attributes, 'Name');
  const id = localId(s.accno ?? name ?? 'component', 'component', modules.ids.components);
  const refs: Record<ModuleKey, string[]> = {
    biosamples: [],
    specimens: [],
    acquisitions: [],
    analyses: [],
    correlations: [],
  };
  const add = (key: ModuleKey, values: string[]) => values.forEach((v) => refs[key].includes(v) || refs[key].push(v));
  for (const association of sectionsOfType(s.subsections, 'associations')) {
    for (const attribute of association.attributes) {
      const key = associationKeys.get(norm(attribute.name));
      if (!key || attribute.value.trim() === '') continue;
      // An association names an object by its Title; an unknown title is kept so that validation reports it.
      const found = modules.byTitle[key].get(norm(attribute.value));
      if (!found) {
        notes.push(
          `The component '${id}' is associated with the ${norm(attribute.name)} '${attribute.value}', ` +
            `but no ${attribute.name} section has that title.`,
        );
      }
      add(key, found ?? [localId(attribute.value, key.replace(/s$/, ''), new Set())]);
    }
  }
  for (const key of moduleKeys) {
    for (const nested of sectionsOfType(s.subsections, moduleTypes[key])) add(key, addModule(key, nested, modules));
  }
  const methods = refs.acquisitions
    .map((a) => modules.acquisitions.find((x) => x.id === a)?.imagingMethod)
    .filter((m): m is Draft<ImagingMethod> => m !== undefined);
  const distinct = [...new Map(methods.map((m) => [String(m.id ?? m.label), m])).values()];
  if (distinct.length > 1) {
    notes.push(
      `The component '${name ?? id}' uses ${distinct.length} imaging methods; its imagingMethod is the ` +
        `first, '${String(distinct[0].label)}'.`,
    );
  }
  return {
    id,
    ...optional('name', name),
    ...optional('description', valueOf(s.attributes, 'Description')),
    ...(distinct.length ? { imagingMethod: distinct[0] } : {}),
    ...optional('biosamples', nonEmpty(refs.biosamples)),
    ...optional('specimens', nonEmpty(refs.specimens)),
    ...optional('acquisitions', nonEmpty(refs.acquisitions)),
    ...optional('correlations', nonEmpty(refs.correlations)),
    ...optional('analyses', nonEmpty(refs.analyses)),
  };
}

/** Notes for what an entry has no place for: file lists, sections that are not REMBI modules. */
function noteLeftOut(study: Section, options: PageTabOptions, notes: string[]): void {
  const sections = study.subsections;
  const fileLists = [study, ...sections].flatMap((s) => attributesNamed(s.attributes, 'File List').map((a) => a.value));
  if (fileLists.length) {
    notes.push(
      `The study's file lists (${fileLists.join(', ')}) are separate files; build the manifest from the ` +
        `data itself.`,
    );
  }
  const unread = [...new Set(sections.map((s) => s.type).filter((t) => !readTypes.has(norm(t))))];
  if (unread.length) {
    notes.push(`Sections of type ${unread.map((t) => `'${t}'`).join(', ')} are not REMBI modules and were not read.`);
  }
  if (options.scales?.length) {
    notes.push(`study.scales was set to ${options.scales.join(', ')} by the importer (PageTab has no such field).`);
  }
}
