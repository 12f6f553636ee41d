// Build-time access to the records, computed once per build and shared by every page. The records come from the
// build's snapshot (site/lib/snapshot.ts), not from an Astro content collection: the content layer serialises
// its whole data store to disk and into the server bundle (devalue), which costs seconds per 10k entries and
// holds the catalogue in memory several times over.
import type { Mirror } from '../../../schemas/index.ts';
import { readMirrors } from '../../lib/downloads.ts';
import { buildFacetIndex, type FacetName, type FacetValue } from '../../lib/facets.ts';
import { isListed, type PublishedRecord } from '../../lib/published.ts';
import { publishedRecords } from '../../lib/snapshot.ts';
import { settingsFromEnv, type SiteSettings } from '../../lib/site-config.ts';

let records: Promise<PublishedRecord[]> | undefined;
let facets: Promise<Record<FacetName, FacetValue[]>> | undefined;

export function allRecords(): Promise<PublishedRecord[]> {
  records ??= publishedRecords(siteSettings(), (line) => console.warn(line)).then((list) =>
    list.sort((a, b) => (a.accession < b.accession ? -1 : a.accession > b.accession ? 1 : 0)),
  );
  return records;
}

export async function listedRecords(): Promise<PublishedRecord[]> {
  return (await allRecords()).filter(isListed);
}

export function facetIndex(): Promise<Record<FacetName, FacetValue[]>> {
  facets ??= listedRecords().then(buildFacetIndex);
  return facets;
}

let settings: SiteSettings | undefined;
export function siteSettings(): SiteSettings {
  settings ??= settingsFromEnv();
  return settings;
}

/** A path inside the site, with the base path in front: href('entries/BIC0000013/'). */
export function href(path: string): string {
  return `${import.meta.env.BASE_URL.replace(/\/$/, '')}/${path.replace(/^\//, '')}`;
}

/** Newest first, by the date of the newest version. */
export function newest(list: PublishedRecord[], count: number): PublishedRecord[] {
  const date = (r: PublishedRecord) =>
    r.kind === 'entry'
      ? (r.data.versions?.at(-1)?.date ?? r.data.study.releaseDate)
      : r.kind === 'harvested'
        ? (r.data.study.releaseDate ?? r.data.origin.datestamp.slice(0, 10))
        : r.data.withdrawn.date;
  return [...list]
    .sort((a, b) => date(b).localeCompare(date(a)) || b.accession.localeCompare(a.accession))
    .slice(0, count);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

let mirrorList: Promise<Mirror[]> | undefined;
/** The mirrors for download links, read once per build ([] when the mirrors file is missing or invalid). */
export function mirrors(): Promise<Mirror[]> {
  mirrorList ??= readMirrors().then((r) => r.mirrors);
  return mirrorList;
}
