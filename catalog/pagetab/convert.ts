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
import { knownImagingMethods, knownTaxa } from '../checks/known-terms.ts';
import { CatalogError } from '../errors.ts';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export type Scale = 'molecule' | 'cell' | 'tissue' | 'organism';

export interface PageTabOptions {
  /**
   * The biological scales of the study. PageTab has no such field, so it is never guessed: without it the
   * converted entry lacks study.scales and validation says so. `catalogue import-pagetab --scale` sets it.
   */
  scales?: readonly Scale[];
}

export interface PageTabConversion {
  /** The entry as far as the study describes it; validate it with entryFindings({submission: true}). */
  entry: Json;
  /** The study's accession in BioStudies (e.g. S-BIAD1419), or null. */
  accession: string | null;
  /** The submission template (BioImages.v4, BioImages.v5, Default), or null when the study names none. */
  template: string | null;
  /** What was derived, changed or left out on the way, one sentence each. */
  notes: string[];
}

interface Attribute {
  name: string;
  value: string;
  reference: boolean;
  valqual: { name: string; value: string }[];
}

interface Section {
  type: string;
  accno?: string;
  attributes: Attribute[];
  subsections: Section[];
  links: { url: string; attributes: Attribute[] }[];
}

const norm = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

function readAttributes(value: unknown): Attribute[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((a) => ({
    name: typeof a.name === 'string' ? a.name : '',
    value: typeof a.value === 'string' ? a.value : a.value === undefined || a.value === null ? '' : String(a.value),
    reference: a.reference === true,
    valqual: Array.isArray(a.valqual) ? a.valqual.filter(isObject).map((q) => ({ name: String(q.name ?? ''), value: String(q.value ?? '') })) : [],
  }));
}

/** Reads a section; PageTab subsections may be sections or tables (arrays of sections), so tables are flattened. */
function readSection(value: unknown, depth = 0): Section | undefined {
  if (!isObject(value) || depth > 16) return undefined;
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
      if (isObject(link) && typeof link.url === 'string') links.push({ url: link.url, attributes: readAttributes(link.attributes) });
    }
  }
  return { type: typeof value.type === 'string' ? value.type : '', accno: typeof value.accno === 'string' ? value.accno : undefined, attributes: readAttributes(value.attributes), subsections, links };
}

/** The first non-blank value of any of the names (case-insensitive), trimmed. */
function get(attributes: readonly Attribute[], ...names: string[]): string | undefined {
  const wanted = names.map(norm);
  return attributes.find((a) => wanted.includes(norm(a.name)) && a.value.trim() !== '')?.value.trim();
}

function getAll(attributes: readonly Attribute[], ...names: string[]): Attribute[] {
  const wanted = names.map(norm);
  return attributes.filter((a) => wanted.includes(norm(a.name)) && a.value.trim() !== '');
}

const ofType = (sections: readonly Section[], ...types: string[]) => sections.filter((s) => types.map(norm).includes(norm(s.type)));

/** A local id (entry.schema.json LocalId: ^[a-z][a-z0-9-]{0,62}$) from an accno or title, unique in `taken`. */
function localId(raw: string, fallback: string, taken: Set<string>): string {
  let base = norm(raw).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(base)) base = `${fallback}-${base}`.replace(/-+$/, '');
  base = base.slice(0, 56).replace(/-+$/, '');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const methodIdByLabel = new Map([...knownImagingMethods].map(([id, label]) => [norm(label), id]));
const taxonIdByName = new Map([...knownTaxa].map(([id, name]) => [norm(name), id]));

/** FBbi term from a method's label, as BioImages.v4/v5 write it ('confocal microscopy'); an unknown label keeps no id. */
function methodFromLabel(label: string, notes: string[]): Json {
  const plain = label.replace(/\s*\([A-Z0-9-]+\)\s*$/, ''); // 'transmission electron microscopy (TEM)'
  const id = methodIdByLabel.get(norm(label)) ?? methodIdByLabel.get(norm(plain));
  if (!id) {
    notes.push(`The imaging method '${label}' is not among the FBbi terms this catalogue knows; its FBbi id is left for you to add.`);
    return { label };
  }
  notes.push(`The imaging method '${label}' was given the FBbi id ${id} ('${knownImagingMethods.get(id)}').`);
  return { id, label: knownImagingMethods.get(id) };
}

/** FBbi term from a nested 'Imaging Method' ontology section (Ontology Term ID, Ontology Value). */
function methodFromTerm(section: Section, notes: string[]): Json {
  const raw = get(section.attributes, 'Ontology Term ID') ?? '';
  const value = get(section.attributes, 'Ontology Value');
  const digits = /FBbi[:_]?(\d{8})$/i.exec(raw)?.[1];
  if (!digits) return value ? methodFromLabel(value, notes) : {};
  const id = `FBbi:${digits}`;
  const label = knownImagingMethods.get(id);
  if (label && value && norm(value) !== norm(label)) notes.push(`The imaging method ${id} is labelled '${value}' in the study; the FBbi label '${label}' is used.`);
  return { id, label: label ?? value ?? raw };
}

/** 'Mus musculus (mouse)' -> scientific and common name. */
function splitOrganism(text: string): { scientificName: string; commonName?: string } {
  const match = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(text.trim());
  return match ? { scientificName: match[1].trim(), commonName: match[2].trim() } : { scientificName: text.trim() };
}

function organismFromName(text: string, notes: string[]): Json {
  const { scientificName, commonName } = splitOrganism(text);
  const taxon = taxonIdByName.get(norm(scientificName));
  if (taxon === undefined) notes.push(`The organism '${text}' has no NCBI taxon id in the study, and '${scientificName}' is not in this catalogue's taxon table; add its taxonId.`);
  else notes.push(`The organism '${scientificName}' was given NCBITaxon:${taxon}, looked up by its scientific name.`);
  return { scientificName, ...(commonName ? { commonName } : {}), ...(taxon !== undefined ? { taxonId: `NCBITaxon:${taxon}` } : {}) };
}

function organismFromSection(section: Section, notes: string[]): Json {
  const scientificName = get(section.attributes, 'Scientific name');
  const commonName = get(section.attributes, 'Common name');
  const raw = get(section.attributes, 'NCBI taxon ID', 'Taxon ID', 'NCBI Taxon');
  // Same id, other spellings: NCBI:txid45351, NCBITaxon_45351, taxon:45351, 45351.
  const digits = raw ? /^(?:NCBI:txid|NCBITaxon[:_]|taxon:|txid)?\s*(\d+)$/i.exec(raw)?.[1] : undefined;
  if (raw && digits && raw !== `NCBITaxon:${digits}`) notes.push(`The taxon id '${raw}' was written as NCBITaxon:${digits}.`);
  if (!scientificName) return { ...(commonName ? { commonName } : {}), ...(digits ? { taxonId: `NCBITaxon:${digits}` } : raw ? { taxonId: raw } : {}) };
  if (!raw) return organismFromName(scientificName + (commonName ? ` (${commonName})` : ''), notes);
  return { scientificName, ...(commonName ? { commonName } : {}), taxonId: digits ? `NCBITaxon:${digits}` : raw };
}

/** SPDX id for the licence texts the BioImage Archive uses ('CC BY 4.0', 'CC0', a Creative Commons URL). */
function spdxLicence(attribute: Attribute | undefined, notes: string[]): string | undefined {
  if (!attribute) return undefined;
  const text = attribute.value.trim();
  const url = attribute.valqual.find((q) => norm(q.name) === 'url')?.value ?? '';
  const probe = `${text} ${url}`.toLowerCase();
  let spdx: string | undefined;
  if (/^cc[- ]?by[- ]4\.0$/i.test(text) || /creativecommons\.org\/licenses\/by\/4\.0/.test(probe)) spdx = 'CC-BY-4.0';
  else if (/^cc0(?:[- ]1\.0)?$/i.test(text) || /creativecommons\.org\/publicdomain\/zero\/1\.0/.test(probe)) spdx = 'CC0-1.0';
  if (spdx && spdx !== text) notes.push(`The licence '${text}' was written as the SPDX id ${spdx}.`);
  return spdx ?? text;
}

// PageTab roles are free text; the entry has a fixed list (entry.schema.json Author.roles).
const roleMap: Record<string, string> = {
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
};

const stripDoi = (doi: string) => doi.trim().replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '');

/** Converts parsed PageTab JSON. Throws CatalogError PAGETAB_NOT_A_STUDY when there is no Study section. */
export function convertPageTab(data: unknown, options: PageTabOptions = {}): PageTabConversion {
  const root = readSection(data);
  const study = isObject(data) ? readSection(data.section) : undefined;
  if (!root || !study || norm(study.type) !== 'study') {
    throw new CatalogError('PAGETAB_NOT_A_STUDY', "this is not a BioStudies PageTab submission: it has no 'section' of type Study", { cause: undefined });
  }
  const notes: string[] = [];
  const template = get(root.attributes, 'Template') ?? null;
  const accession = isObject(data) && typeof data.accno === 'string' ? data.accno : null;
  const sections = study.subsections;

  // Affiliations: 'organisation' or 'organization' sections, referred to by accno.
  const affiliationIds = new Set<string>();
  const affiliationByAccno = new Map<string, string>();
  const affiliations = ofType(sections, 'organisation', 'organization').map((s, i) => {
    const id = localId(s.accno ?? `org-${i + 1}`, 'org', affiliationIds);
    if (s.accno) affiliationByAccno.set(s.accno, id);
    const ror = get(s.attributes, 'RORID', 'ROR ID', 'ROR');
    return { id, name: get(s.attributes, 'Name'), ...(ror ? { ror } : {}), ...(get(s.attributes, 'Address') ? { address: get(s.attributes, 'Address') } : {}) };
  });

  const authors = ofType(sections, 'author').map((s) => {
    const roles: string[] = [];
    for (const role of getAll(s.attributes, 'Role')) {
      const mapped = roleMap[norm(role.value)];
      if (mapped && !roles.includes(mapped)) roles.push(mapped);
      else if (!mapped) notes.push(`The role '${role.value}' of ${get(s.attributes, 'Name') ?? 'an author'} has no equivalent in the entry's list of roles and was left out.`);
    }
    const refs = s.attributes.filter((a) => norm(a.name) === 'affiliation' && a.value.trim() !== '').map((a) => affiliationByAccno.get(a.value) ?? a.value);
    const email = get(s.attributes, 'E-mail', 'Email');
    const orcid = get(s.attributes, 'ORCID');
    return { name: get(s.attributes, 'Name'), ...(orcid ? { orcid } : {}), ...(email ? { email } : {}), ...(roles.length ? { roles } : {}), ...(refs.length ? { affiliations: refs } : {}) };
  });

  const publications = ofType(sections, 'publication').map((s) => {
    const year = get(s.attributes, 'Year');
    const doi = get(s.attributes, 'DOI');
    const pubmed = get(s.attributes, 'Pubmed ID', 'PubMed ID', 'PMID');
    return {
      ...(get(s.attributes, 'Title') ? { title: get(s.attributes, 'Title') } : {}),
      ...(get(s.attributes, 'Authors') ? { authors: get(s.attributes, 'Authors') } : {}),
      ...(year && /^\d{4}$/.test(year) ? { year: Number(year) } : {}),
      ...(doi ? { doi: stripDoi(doi) } : {}),
      ...(pubmed ? { pubmedId: pubmed } : {}),
    };
  });

  const funding = ofType(sections, 'funding').map((s) => {
    const grantId = get(s.attributes, 'grant_id', 'Grant ID');
    return { ...(get(s.attributes, 'Agency', 'Funder') ? { funder: get(s.attributes, 'Agency', 'Funder') } : {}), ...(grantId ? { grantId } : {}) };
  });

  const links = study.links.map((link) => {
    const type = get(link.attributes, 'Type');
    const description = get(link.attributes, 'Description');
    // A link typed 'doi' holds the bare DOI; it resolves at https://doi.org/.
    // So does a bare DOI without a type (S-BIAD1419); any other address without a scheme stays as written.
    const bare = link.url.trim();
    const isDoi = (type && norm(type) === 'doi') || /^10\.\d{4,9}\/\S+$/.test(bare);
    const url = isDoi && !/^https?:\/\//i.test(bare) ? `https://doi.org/${stripDoi(bare)}` : bare;
    if (url !== bare) notes.push(`The link '${bare}' is a DOI; it was written as ${url}.`);
    return { url, ...(description ? { description } : {}) };
  });

  const keywords = [...new Set(getAll(study.attributes, 'Keywords', 'Keyword').map((a) => a.value.trim()))];
  const releaseDate = get(root.attributes, 'ReleaseDate') ?? get(study.attributes, 'ReleaseDate', 'Release date');

  // REMBI objects, from the top level (BioImages.v4/v5) and from inside components (older conversions).
  const ids = { biosamples: new Set<string>(), specimens: new Set<string>(), acquisitions: new Set<string>(), analyses: new Set<string>(), correlations: new Set<string>(), components: new Set<string>() };
  const byTitle = { biosamples: new Map<string, string[]>(), specimens: new Map<string, string[]>(), acquisitions: new Map<string, string[]>(), analyses: new Map<string, string[]>(), correlations: new Map<string, string[]>() };
  const biosamples: Json[] = [];
  const specimens: Json[] = [];
  const acquisitions: Json[] = [];
  const analyses: Json[] = [];
  const correlations: Json[] = [];

  const addBiosample = (s: Section): string[] => {
    const id = localId(s.accno ?? get(s.attributes, 'Title') ?? 'biosample', 'biosample', ids.biosamples);
    const organisms = [...getAll(s.attributes, 'Organism').map((a) => organismFromName(a.value, notes)), ...ofType(s.subsections, 'organism').map((o) => organismFromSection(o, notes))];
    const list = (name: string) => getAll(s.attributes, name).map((a) => a.value.trim());
    biosamples.push({
      id,
      ...(organisms.length ? { organisms } : {}),
      ...(get(s.attributes, 'Biological entity') ? { biologicalEntity: get(s.attributes, 'Biological entity') } : {}),
      ...(get(s.attributes, 'Description') ? { description: get(s.attributes, 'Description') } : {}),
      ...(list('Intrinsic variable').length ? { intrinsicVariables: list('Intrinsic variable') } : {}),
      ...(list('Extrinsic variable').length ? { extrinsicVariables: list('Extrinsic variable') } : {}),
      ...(list('Experimental variable').length ? { experimentalVariables: list('Experimental variable') } : {}),
    });
    return [id];
  };
  const addSpecimen = (s: Section): string[] => {
    const id = localId(s.accno ?? get(s.attributes, 'Title') ?? 'specimen', 'specimen', ids.specimens);
    const protocol = get(s.attributes, 'Sample preparation protocol');
    const growth = get(s.attributes, 'Growth protocol');
    const signal = get(s.attributes, 'Signal/contrast mechanism', 'Signal contrast mechanism');
    specimens.push({ id, ...(protocol ? { preparationProtocol: protocol } : {}), ...(growth ? { growthProtocol: growth } : {}), ...(signal ? { signalContrast: signal } : {}) });
    return [id];
  };
  const addAcquisition = (s: Section): string[] => {
    const base = s.accno ?? get(s.attributes, 'Title') ?? 'acquisition';
    const methods = [...getAll(s.attributes, 'Imaging method').map((a) => methodFromLabel(a.value, notes)), ...ofType(s.subsections, 'imaging method').map((m) => methodFromTerm(m, notes))];
    const instrument = get(s.attributes, 'Imaging instrument');
    const parameters = get(s.attributes, 'Image acquisition parameters');
    // An entry's acquisition has one imaging method (REMBI lists several); one acquisition per method keeps them all.
    if (methods.length > 1) notes.push(`The image acquisition '${get(s.attributes, 'Title') ?? base}' lists ${methods.length} imaging methods; it became ${methods.length} acquisitions, one per method.`);
    return (methods.length ? methods : [undefined]).map((method) => {
      const id = localId(base, 'acquisition', ids.acquisitions);
      acquisitions.push({ id, ...(method ? { imagingMethod: method } : {}), ...(instrument ? { instrument } : {}), ...(parameters ? { parameters } : {}) });
      return id;
    });
  };
  const addAnalysis = (s: Section): string[] => {
    const id = localId(s.accno ?? get(s.attributes, 'Title') ?? 'analysis', 'analysis', ids.analyses);
    const overview = get(s.attributes, 'Image analysis overview');
    const method = get(s.attributes, 'Image analysis method');
    analyses.push({ id, ...(overview ? { overview } : {}), ...(method ? { method } : {}) });
    return [id];
  };
  const addCorrelation = (s: Section): string[] => {
    const id = localId(s.accno ?? get(s.attributes, 'Title') ?? 'correlation', 'correlation', ids.correlations);
    const alignment = get(s.attributes, 'Spatial and temporal alignment');
    const fiducials = get(s.attributes, 'Fiducials used');
    const transformation = get(s.attributes, 'Transformation matrix');
    correlations.push({ id, ...(alignment ? { alignment } : {}), ...(fiducials ? { fiducials } : {}), ...(transformation ? { transformation } : {}) });
    return [id];
  };
  const kinds = [
    ['biosamples', ['biosample'], addBiosample],
    ['specimens', ['specimen'], addSpecimen],
    ['acquisitions', ['image acquisition'], addAcquisition],
    ['analyses', ['image analysis'], addAnalysis],
    ['correlations', ['image correlation'], addCorrelation],
  ] as const;
  for (const [key, types, add] of kinds) {
    for (const s of ofType(sections, ...types)) {
      const made = add(s);
      const title = get(s.attributes, 'Title');
      if (title) byTitle[key].set(norm(title), made);
    }
  }

  const associationKeys: Record<string, keyof typeof byTitle> = { biosample: 'biosamples', specimen: 'specimens', 'image acquisition': 'acquisitions', 'image analysis': 'analyses', 'image correlation': 'correlations' };
  const components = ofType(sections, 'study component').map((s) => {
    const id = localId(s.accno ?? get(s.attributes, 'Name') ?? 'component', 'component', ids.components);
    const refs: Record<keyof typeof byTitle, string[]> = { biosamples: [], specimens: [], acquisitions: [], analyses: [], correlations: [] };
    const add = (key: keyof typeof byTitle, values: string[]) => values.forEach((v) => refs[key].includes(v) || refs[key].push(v));
    for (const association of ofType(s.subsections, 'associations')) {
      for (const attribute of association.attributes) {
        const key = associationKeys[norm(attribute.name)];
        if (!key || attribute.value.trim() === '') continue;
        // An association names an object by its Title; an unknown title is kept so that validation reports it.
        const found = byTitle[key].get(norm(attribute.value));
        if (!found) notes.push(`The component '${id}' is associated with the ${norm(attribute.name)} '${attribute.value}', but no ${attribute.name} section has that title.`);
        add(key, found ?? [localId(attribute.value, key.replace(/s$/, ''), new Set())]);
      }
    }
    for (const [key, types, make] of kinds) for (const nested of ofType(s.subsections, ...types)) add(key, make(nested));
    const methods = refs.acquisitions.map((a) => acquisitions.find((x) => x.id === a)?.imagingMethod).filter(isObject);
    const distinct = [...new Map(methods.map((m) => [String(m.id ?? m.label), m])).values()];
    if (distinct.length > 1) notes.push(`The component '${get(s.attributes, 'Name') ?? id}' uses ${distinct.length} imaging methods; its imagingMethod is the first, '${String(distinct[0].label)}'.`);
    const unannotated = s.subsections.filter((x) => norm(x.type) === 'annotation').length;
    if (unannotated) notes.push(`The component '${id}' has ${unannotated} annotation section(s), which an entry does not describe; they were left out.`);
    return {
      id,
      ...(get(s.attributes, 'Name') ? { name: get(s.attributes, 'Name') } : {}),
      ...(get(s.attributes, 'Description') ? { description: get(s.attributes, 'Description') } : {}),
      ...(distinct.length ? { imagingMethod: distinct[0] } : {}),
      ...(refs.biosamples.length ? { biosamples: refs.biosamples } : {}),
      ...(refs.specimens.length ? { specimens: refs.specimens } : {}),
      ...(refs.acquisitions.length ? { acquisitions: refs.acquisitions } : {}),
      ...(refs.correlations.length ? { correlations: refs.correlations } : {}),
      ...(refs.analyses.length ? { analyses: refs.analyses } : {}),
    };
  });

  const annotations = ofType(sections, 'annotation').length;
  if (annotations) notes.push(`${annotations} annotation section(s) were left out: an entry has no annotation object (list annotation files in the manifest with role: annotation).`);
  const fileLists = [study, ...sections].flatMap((s) => getAll(s.attributes, 'File List').map((a) => a.value));
  if (fileLists.length) notes.push(`The study's file lists (${fileLists.join(', ')}) are separate files; build the manifest from the data itself.`);
  const unread = [...new Set(sections.map((s) => s.type).filter((t) => !['author', 'organisation', 'organization', 'publication', 'funding', 'biosample', 'specimen', 'image acquisition', 'image analysis', 'image correlation', 'study component', 'annotation'].includes(norm(t))))];
  if (unread.length) notes.push(`Sections of type ${unread.map((t) => `'${t}'`).join(', ')} are not REMBI modules and were not read.`);
  if (options.scales?.length) notes.push(`study.scales was set to ${options.scales.join(', ')} by the importer (PageTab has no such field).`);

  const studyOut: Json = {
    ...(get(study.attributes, 'Title') ?? get(root.attributes, 'Title') ? { title: get(study.attributes, 'Title') ?? get(root.attributes, 'Title') } : {}),
    ...(get(study.attributes, 'Description') ? { description: get(study.attributes, 'Description') } : {}),
    ...(authors.length ? { authors } : {}),
    ...(affiliations.length ? { affiliations } : {}),
    ...(spdxLicence(getAll(study.attributes, 'License', 'Licence')[0], notes) !== undefined ? { license: spdxLicence(getAll(study.attributes, 'License', 'Licence')[0], []) } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(options.scales?.length ? { scales: [...options.scales] } : {}),
    ...(releaseDate ? { releaseDate } : {}),
    ...(funding.length ? { funding } : {}),
    ...(publications.length ? { publications } : {}),
    ...(links.length ? { links } : {}),
    ...(get(study.attributes, 'Acknowledgements') ? { acknowledgements: get(study.attributes, 'Acknowledgements') } : {}),
  };
  const entry: Json = {
    schemaVersion: 1,
    study: studyOut,
    ...(components.length ? { components } : {}),
    ...(biosamples.length ? { biosamples } : {}),
    ...(specimens.length ? { specimens } : {}),
    ...(acquisitions.length ? { acquisitions } : {}),
    ...(correlations.length ? { correlations } : {}),
    ...(analyses.length ? { analyses } : {}),
  };
  return { entry, accession, template, notes: [...new Set(notes)] };
}
