// The resources an entry names in study.related, typed for every export: DataCite relatedIdentifiers
// (DataCite Metadata Schema 4.6 §12), schema.org properties, oai_dc relation, RO-Crate and Signposting links.
import type { Entry, RelatedResource } from '../../schemas/index.ts';
import { parseCompactIdentifier } from '../checks/bioregistry.ts';

/** A DataCite 4.6 relationType (appendix 1, table 7). */
export type RelationType = RelatedResource['relation'];

export interface RelatedIdentifier {
  /** The compact identifier as written: `emdb:EMD-1234`. */
  identifier: string;
  /** Bioregistry prefix: `emdb`. */
  prefix: string;
  /** The id within the prefix: `EMD-1234`. */
  localId: string;
  /** Name of the resource's archive, from the Bioregistry: `Electron Microscopy Data Bank`. */
  archive: string;
  /** The resource's own page. */
  url: string;
  relationType: RelationType;
  description?: string;
  /**
   * DataCite relatedIdentifierType and value: a DOI or PubMed id as itself (4.6 §12.a lists DOI and PMID), any
   * other resource by its page (URL).
   */
  datacite: { type: 'DOI' | 'PMID' | 'URL'; value: string; resourceTypeGeneral?: 'Dataset' | 'JournalArticle' };
}

/**
 * What the records of an archive are, as a DataCite resourceTypeGeneral (4.6 §12.f): the archives of data hold
 * datasets, PubMed holds articles; a DOI or an Ensembl gene may be anything, so it is left unsaid.
 */
const resourceTypes: Record<string, 'Dataset' | 'JournalArticle'> = {
  biostudies: 'Dataset',
  emdb: 'Dataset',
  empiar: 'Dataset',
  idr: 'Dataset',
  pdb: 'Dataset',
  pubmed: 'JournalArticle',
};

/** The valid cross-references of an entry, in the order written; ids that fail their pattern are left out. */
export function relatedIdentifiersOf(entry: Pick<Entry, 'study'>): RelatedIdentifier[] {
  return (entry.study.related ?? []).flatMap((resource) => {
    const verdict = parseCompactIdentifier(resource.id);
    if (!verdict.ok) return [];
    const { scheme, localId, url } = verdict;
    const type = scheme.prefix === 'doi' ? 'DOI' : scheme.prefix === 'pubmed' ? 'PMID' : 'URL';
    const resourceTypeGeneral = resourceTypes[scheme.prefix];
    const datacite = {
      type,
      value: type === 'URL' ? url : localId,
      ...(resourceTypeGeneral ? { resourceTypeGeneral } : {}),
    } as const;
    return [
      {
        identifier: `${scheme.prefix}:${localId}`,
        prefix: scheme.prefix,
        localId,
        archive: scheme.name,
        url,
        relationType: resource.relation,
        ...(resource.description ? { description: resource.description } : {}),
        datacite,
      },
    ];
  });
}

/**
 * The schema.org property of a Dataset that says the same as a relation: isBasedOn, isPartOf, hasPart, sameAs,
 * citation where schema.org has one; `mentions` (CreativeWork: "a reference to") for the rest.
 */
export function schemaOrgProperty(relation: RelationType): string {
  switch (relation) {
    case 'IsDerivedFrom':
    case 'IsVariantFormOf':
      return 'isBasedOn';
    case 'IsPartOf':
    case 'IsPublishedIn':
    case 'IsCollectedBy':
      return 'isPartOf';
    case 'HasPart':
    case 'Collects':
      return 'hasPart';
    case 'IsIdenticalTo':
      return 'sameAs';
    case 'Cites':
    case 'References':
      return 'citation';
    default:
      return 'mentions';
  }
}

/** The resource kinds the browse pages group cross-references by: one per prefix, named by its archive. */
export function groupByArchive(related: readonly RelatedIdentifier[]): Map<string, RelatedIdentifier[]> {
  const groups = new Map<string, RelatedIdentifier[]>();
  for (const item of related) groups.set(item.prefix, [...(groups.get(item.prefix) ?? []), item]);
  return groups;
}
