// What the converter derives from PageTab's free text: FBbi ids from imaging method labels, NCBI taxon ids from
// organism names, SPDX licence ids, bare DOIs and local ids. Each derivation is told in `notes`, one sentence, so
// that the importer can check it; a value that cannot be derived is left out rather than guessed.
import type { ImagingMethod, Organism } from '../../schemas/types.ts';
import { knownImagingMethods, knownTaxa } from '../checks/known-terms.ts';
import type { Draft } from './draft.ts';
import { norm, valueOf, type Attribute, type Section } from './sections.ts';

/** A local id (entry.schema.json LocalId: ^[a-z][a-z0-9-]{0,62}$) from an accno or title, unique in `taken`. */
export function localId(raw: string, fallback: string, taken: Set<string>): string {
  let base = norm(raw)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(base)) base = `${fallback}-${base}`.replace(/-+$/, '');
  base = base.slice(0, 56).replace(/-+$/, '');
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

const methodIdByLabel = new Map([...knownImagingMethods].map(([id, label]) => [norm(label), id]));
const taxonIdByName = new Map([...knownTaxa].map(([id, name]) => [norm(name), id]));

/** FBbi term from a method's label as BioImages.v4/v5 write it ('confocal microscopy'); an unknown label has no id. */
export function methodFromLabel(label: string, notes: string[]): Draft<ImagingMethod> {
  const plain = label.replace(/\s*\([A-Z0-9-]+\)\s*$/, ''); // 'transmission electron microscopy (TEM)'
  const id = methodIdByLabel.get(norm(label)) ?? methodIdByLabel.get(norm(plain));
  if (!id) {
    notes.push(
      `The imaging method '${label}' is not among the FBbi terms this catalogue knows; ` +
        `its FBbi id is left for you to add.`,
    );
    return { label };
  }
  notes.push(`The imaging method '${label}' was given the FBbi id ${id} ('${knownImagingMethods.get(id)}').`);
  return { id, label: knownImagingMethods.get(id) };
}

/** FBbi term from a nested 'Imaging Method' ontology section (Ontology Term ID, Ontology Value). */
export function methodFromTerm(section: Section, notes: string[]): Draft<ImagingMethod> {
  const raw = valueOf(section.attributes, 'Ontology Term ID') ?? '';
  const value = valueOf(section.attributes, 'Ontology Value');
  const digits = /FBbi[:_]?(\d{8})$/i.exec(raw)?.[1];
  if (!digits) return value ? methodFromLabel(value, notes) : {};
  const id = `FBbi:${digits}`;
  const label = knownImagingMethods.get(id);
  if (label && value && norm(value) !== norm(label)) {
    notes.push(`The imaging method ${id} is labelled '${value}' in the study; the FBbi label '${label}' is used.`);
  }
  return { id, label: label ?? value ?? raw };
}

/** 'Mus musculus (mouse)' -> scientific and common name. */
function splitOrganism(text: string): { scientificName: string; commonName?: string } {
  const match = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(text.trim());
  return match ? { scientificName: match[1].trim(), commonName: match[2].trim() } : { scientificName: text.trim() };
}

/** An organism from its name alone; the taxon id is looked up in this catalogue's taxon table. */
export function organismFromName(text: string, notes: string[]): Draft<Organism> {
  const { scientificName, commonName } = splitOrganism(text);
  const taxon = taxonIdByName.get(norm(scientificName));
  if (taxon === undefined) {
    notes.push(
      `The organism '${text}' has no NCBI taxon id in the study, and '${scientificName}' is not in this ` +
        `catalogue's taxon table; add its taxonId.`,
    );
  } else {
    notes.push(`The organism '${scientificName}' was given NCBITaxon:${taxon}, looked up by its scientific name.`);
  }
  return {
    scientificName,
    ...(commonName ? { commonName } : {}),
    ...(taxon !== undefined ? { taxonId: `NCBITaxon:${taxon}` } : {}),
  };
}

/** An organism from a nested 'Organism' section (Scientific name, Common name, NCBI taxon ID). */
export function organismFromSection(section: Section, notes: string[]): Draft<Organism> {
  const scientificName = valueOf(section.attributes, 'Scientific name');
  const commonName = valueOf(section.attributes, 'Common name');
  const raw = valueOf(section.attributes, 'NCBI taxon ID', 'Taxon ID', 'NCBI Taxon');
  // Same id, other spellings: NCBI:txid45351, NCBITaxon_45351, taxon:45351, 45351.
  const digits = raw ? /^(?:NCBI:txid|NCBITaxon[:_]|taxon:|txid)?\s*(\d+)$/i.exec(raw)?.[1] : undefined;
  if (raw && digits && raw !== `NCBITaxon:${digits}`) {
    notes.push(`The taxon id '${raw}' was written as NCBITaxon:${digits}.`);
  }
  if (!scientificName) {
    const taxonId = digits ? `NCBITaxon:${digits}` : raw;
    return { ...(commonName ? { commonName } : {}), ...(taxonId ? { taxonId } : {}) };
  }
  if (!raw) return organismFromName(scientificName + (commonName ? ` (${commonName})` : ''), notes);
  return { scientificName, ...(commonName ? { commonName } : {}), taxonId: digits ? `NCBITaxon:${digits}` : raw };
}

/** SPDX id for the licence texts the BioImage Archive uses ('CC BY 4.0', 'CC0', a Creative Commons URL). */
export function spdxLicence(attribute: Attribute | undefined, notes: string[]): string | undefined {
  if (!attribute) return undefined;
  const text = attribute.value.trim();
  const url = attribute.valqual.find((q) => norm(q.name) === 'url')?.value ?? '';
  const probe = `${text} ${url}`.toLowerCase();
  let spdx: string | undefined;
  if (/^cc[- ]?by[- ]4\.0$/i.test(text) || /creativecommons\.org\/licenses\/by\/4\.0/.test(probe)) spdx = 'CC-BY-4.0';
  else if (/^cc0(?:[- ]1\.0)?$/i.test(text) || /creativecommons\.org\/publicdomain\/zero\/1\.0/.test(probe)) {
    spdx = 'CC0-1.0';
  }
  if (spdx && spdx !== text) notes.push(`The licence '${text}' was written as the SPDX id ${spdx}.`);
  return spdx ?? text;
}

/** The DOI without its resolver prefix (https://doi.org/, dx.doi.org/, doi:), as entry.schema.json stores it. */
export const stripDoi = (doi: string) =>
  doi
    .trim()
    .replace(/^(?:https?:\/\/)?(?:dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '');
