// The search filters and browse pages: imaging method, organism, scale, origin, licence, year, annotation type
// (MIFA) and the archives an entry cross-references (one browse page per resource kind). One function
// gives a record's values so that the search index, the browse pages and the stats always agree.
import { relatedIdentifiersOf } from '../../catalog/exports/related-identifiers.ts';
import type { PublishedRecord } from './published.ts';

export const facetNames = [
  'method',
  'organism',
  'scale',
  'origin',
  'licence',
  'year',
  'annotation',
  'archive',
] as const;
export type FacetName = (typeof facetNames)[number];

export const facetLabels: Record<FacetName, string> = {
  method: 'Imaging method',
  organism: 'Organism',
  scale: 'Scale',
  origin: 'Origin',
  licence: 'Licence',
  year: 'Year',
  annotation: 'Annotation type',
  archive: 'Related archive',
};

/** The value of `origin` for entries of this catalogue; harvested records carry their partner's id. */
export const nativeOrigin = 'native';

const unique = (values: (string | undefined)[]) => [
  ...new Set(values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim())),
];

/** Computed once per record: browse pages list each record up to six times, and the entry page needs them too. */
const memo = new WeakMap<PublishedRecord, Record<FacetName, string[]>>();

/** Every facet's values for a listed record (empty lists for tombstones). Do not mutate the result. */
export function facetValues(record: PublishedRecord): Record<FacetName, string[]> {
  let values = memo.get(record);
  if (!values) memo.set(record, (values = computeFacetValues(record)));
  return values;
}

function computeFacetValues(record: PublishedRecord): Record<FacetName, string[]> {
  if (record.kind === 'tombstone')
    return { method: [], organism: [], scale: [], origin: [], licence: [], year: [], annotation: [], archive: [] };
  const d = record.data;
  const study = d.study;
  const released = record.kind === 'entry' ? (record.data.versions?.[0]?.date ?? study.releaseDate) : study.releaseDate;
  return {
    method: unique([
      ...(d.components ?? []).map((c) => c.imagingMethod?.label),
      ...(d.acquisitions ?? []).map((a) => a.imagingMethod?.label),
    ]),
    organism: unique((d.biosamples ?? []).flatMap((b) => (b.organisms ?? []).map((o) => o.scientificName))),
    scale: unique(study.scales ?? []),
    origin: [record.kind === 'harvested' ? record.data.origin.partner : nativeOrigin],
    licence: [study.license?.trim() || 'unknown'],
    year: released ? [released.slice(0, 4)] : [],
    // MIFA's terms read as words: segmentation_mask is 'segmentation mask'.
    annotation:
      record.kind === 'entry'
        ? unique((record.data.annotations ?? []).flatMap((a) => a.types.map((t) => t.replace(/_/g, ' '))))
        : [],
    archive: record.kind === 'entry' ? unique(relatedIdentifiersOf(record.data).map((r) => r.archive)) : [],
  };
}

/** A URL-safe slug of a facet value: lower-case ASCII letters, digits and '-'. */
export function slugify(value: string): string {
  return (
    value
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'value'
  );
}

export interface FacetValue {
  value: string;
  slug: string;
  count: number;
  /** Accessions, newest first. */
  accessions: string[];
}

/** Counts of every facet value over the listed records, with a slug per value that is unique within its facet. */
export function buildFacetIndex(records: PublishedRecord[]): Record<FacetName, FacetValue[]> {
  const index = {} as Record<FacetName, FacetValue[]>;
  for (const name of facetNames) {
    const byValue = new Map<string, FacetValue>();
    for (const record of records) {
      for (const value of facetValues(record)[name]) {
        let item = byValue.get(value);
        if (!item) byValue.set(value, (item = { value, slug: '', count: 0, accessions: [] }));
        item.count++;
        item.accessions.push(record.accession);
      }
    }
    const values = [...byValue.values()].sort((a, b) =>
      name === 'year' ? b.value.localeCompare(a.value) : b.count - a.count || a.value.localeCompare(b.value),
    );
    const used = new Set<string>();
    for (const item of values) {
      let slug = slugify(item.value);
      for (let n = 2; used.has(slug); n++) slug = `${slugify(item.value)}-${n}`;
      used.add(slug);
      item.slug = slug;
      item.accessions.reverse();
    }
    index[name] = values;
  }
  return index;
}
