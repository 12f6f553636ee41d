// What an incremental build renders again (site/lib/build-cache.ts): the pages whose key differs from the previous
// build's. A cold build has no previous keys and renders every page.
import { digestOf, siteDigestFromEnv } from '../../lib/build-keys.ts';
import { reportKeys, unchanged } from '../../lib/build-step-keys.ts';
import { entryKeys } from '../../lib/entry-keys.ts';
import type { PublishedRecord } from '../../lib/published.ts';
import { allRecords, siteSettings } from './data.ts';
import { catalogueLabels } from './labels.ts';
import { usageCounts } from './usage.ts';

let keys: Promise<Map<string, string>> | undefined;

/** The key of each record's outputs, by accession (the index process computes the same). */
export function entryKeyMap(): Promise<Map<string, string>> {
  keys ??= (async () =>
    entryKeys(await allRecords(), {
      siteDigest: siteDigestFromEnv(),
      labels: await catalogueLabels(),
      counts: (await usageCounts()).counts,
      today: siteSettings().today,
    }))();
  return keys;
}

/** The records whose entry pages (and image pages) are rendered in this build. */
export async function recordsToRender(): Promise<PublishedRecord[]> {
  const keys = await entryKeyMap();
  return (await allRecords()).filter((record) => !unchanged('entries', record.accession, keys.get(record.accession)!));
}

/**
 * Keeps the browse pages whose key changed, and reports every page's key. A page shows its facet value, the
 * count, its place among the pages and its records (each covered by its entry key).
 */
export async function browsePagesToRender<
  T extends {
    params: Record<string, string | undefined>;
    props: { value: string; count: number; page: { lastPage: number; data: PublishedRecord[] } };
  },
>(paths: T[]): Promise<T[]> {
  const keys = await entryKeyMap();
  const siteDigest = siteDigestFromEnv();
  const pages: Record<string, string> = {};
  const changed = paths.filter(({ params, props }) => {
    const path = ['browse', params.facet, params.slug, params.page].filter(Boolean).join('/');
    const key = digestOf(
      siteDigest,
      path,
      props.value,
      String(props.count),
      String(props.page.lastPage),
      ...props.page.data.map((record) => keys.get(record.accession)!),
    );
    pages[path] = key;
    return !unchanged('pages', path, key);
  });
  reportKeys('astro', { pages });
  return changed;
}
