// The ontology terms of a study, with their IRIs, for every linked-data export (schema.org JSON-LD, RO-Crate):
// the organisms as NCBI Taxonomy terms and the imaging methods as FBbi terms. One function reads them from the
// record so that the exports always agree.
import type { Biosample, ImageAcquisition, ImagingMethod } from '../../schemas/index.ts';
import type { CatalogueRecord } from '../records.ts';

/** OBO Foundry PURLs (http://www.obofoundry.org/id-policy.html): NCBITaxon:9606 is obo/NCBITaxon_9606. */
const oboBase = 'http://purl.obolibrary.org/obo/';
const curiePatterns = { NCBITaxon: /^NCBITaxon:([0-9]+)$/, FBbi: /^FBbi:([0-9]{8})$/ } as const;

/** The ontology files, for schema.org `inDefinedTermSet`. */
export const termSets = {
  NCBITaxon: `${oboBase}ncbitaxon.owl`,
  FBbi: `${oboBase}fbbi.owl`,
} as const;

export interface TaxonTerm {
  /** The CURIE as the record states it, e.g. NCBITaxon:9606. */
  curie: string;
  /** The OBO PURL, when the CURIE is a well-formed NCBITaxon id. */
  iri?: string;
  scientificName: string;
  commonName?: string;
}

export interface MethodTerm {
  /** The CURIE as the record states it, e.g. FBbi:00000246. */
  curie: string;
  /** The OBO PURL, when the CURIE is a well-formed FBbi id. */
  iri?: string;
  label: string;
}

/** The OBO PURL of a CURIE of `prefix`, or undefined when the CURIE does not have that prefix's form. */
export function oboIri(prefix: keyof typeof curiePatterns, curie: string | undefined): string | undefined {
  const match = curie === undefined ? null : curiePatterns[prefix].exec(curie.trim());
  return match ? `${oboBase}${prefix}_${match[1]}` : undefined;
}

export interface StudyTerms {
  /** Every organism of every biosample, once each (by CURIE, else by name). */
  taxa: TaxonTerm[];
  /** Every imaging method of the components and acquisitions, once each (by CURIE, else by label). */
  methods: MethodTerm[];
  biosamples: Biosample[];
  acquisitions: ImageAcquisition[];
}

const noTerms: StudyTerms = { taxa: [], methods: [], biosamples: [], acquisitions: [] };

/** The terms of a live entry or harvested record (none for a tombstone; harvested records may lack any). */
export function studyTerms(record: CatalogueRecord): StudyTerms {
  if (record.kind === 'tombstone') return noTerms;
  const d = record.data;
  const taxa = new Map<string, TaxonTerm>();
  for (const organism of (d.biosamples ?? []).flatMap((b) => b.organisms ?? [])) {
    const key = organism.taxonId?.trim() || organism.scientificName.trim();
    if (!key || taxa.has(key)) continue;
    const iri = oboIri('NCBITaxon', organism.taxonId);
    taxa.set(key, {
      curie: organism.taxonId?.trim() ?? '',
      ...(iri ? { iri } : {}),
      scientificName: organism.scientificName.trim(),
      ...(organism.commonName?.trim() ? { commonName: organism.commonName.trim() } : {}),
    });
  }
  const methods = new Map<string, MethodTerm>();
  const stated: (ImagingMethod | undefined)[] = [
    ...(d.components ?? []).map((c) => c.imagingMethod),
    ...(d.acquisitions ?? []).map((a) => a.imagingMethod),
  ];
  for (const term of stated) {
    if (!term?.label?.trim()) continue;
    const key = term.id?.trim() || term.label.trim();
    if (methods.has(key)) continue;
    const iri = oboIri('FBbi', term.id);
    methods.set(key, { curie: term.id?.trim() ?? '', ...(iri ? { iri } : {}), label: term.label.trim() });
  }
  return {
    taxa: [...taxa.values()],
    methods: [...methods.values()],
    biosamples: d.biosamples ?? [],
    acquisitions: d.acquisitions ?? [],
  };
}
