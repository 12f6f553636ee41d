// Settings that the build command hands to Astro and to the indexer through the environment, in one place.
import { resolve } from 'node:path';
import { defaultCatalogueInfo, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { todayUtc } from '../../catalog/dates.ts';

export interface SiteSettings {
  /** The catalogue folder. */
  catalog: string;
  info: CatalogueInfo;
  today: string;
  /** The build's snapshot of the published records (snapshot.ts), when `catalogue build` made one. */
  snapshot?: string;
  /** The snapshot is still being written: wait for it to appear (SITE_SNAPSHOT_PENDING=1, set by build-site.ts). */
  snapshotPending?: boolean;
}

/** Normalises a base URL: absolute http(s), ending with a slash. Throws a plain Error with the reason. */
export function normaliseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `'${value}' is not an absolute URL; give one like https://data.example.org/ or http://localhost:4321/`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`'${value}' must start with http:// or https://`);
  if (url.search || url.hash) throw new Error(`'${value}' must not have a query or fragment`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): SiteSettings {
  if (!env.SITE_CATALOGUE) throw new Error('SITE_CATALOGUE is not set: build the site with `catalogue build`');
  return {
    catalog: resolve(env.SITE_CATALOGUE),
    info: {
      name: env.SITE_NAME || defaultCatalogueInfo.name,
      baseUrl: normaliseBaseUrl(env.SITE_BASE_URL || defaultCatalogueInfo.baseUrl),
    },
    today: todayUtc(env),
    snapshot: env.SITE_SNAPSHOT || undefined,
    snapshotPending: env.SITE_SNAPSHOT_PENDING === '1',
  };
}
