// Whether two sets of Pagefind bundles answer alike: each set is loaded in Chromium as the search page loads the
// site's shards (site/public/search.js: the first bundle's pagefind.js, then mergeIndex for the others), and
// every query's hits are compared by URL, with the first hit's meta. Used by bench/search-engine.bench.ts for the
// Node API's bundles against the CLI's.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../site/lib/static-server.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface SearchQuery {
  /** Words typed, or null for filters alone. */
  term: string | null;
  filters?: Record<string, string>;
}

export interface HitsComparison {
  query: SearchQuery;
  /** Hits of the first set and of the second. */
  counts: [number, number];
  /** Same URLs, and the same meta of the hit with the first URL. */
  same: boolean;
}

interface Answer {
  urls: string[];
  firstMeta: Record<string, string> | null;
}

/**
 * Loads `bundlesA` and `bundlesB` (folders under `root`, relative, each ending with '/') in one page each and runs
 * every query on both.
 */
export async function compareHits(
  root: string,
  bundlesA: string[],
  bundlesB: string[],
  queries: SearchQuery[],
): Promise<HitsComparison[]> {
  await writeFile(join(root, 'hits.html'), '<!doctype html><html lang="en"><head><title>hits</title></head></html>\n');
  const running = await startStaticServer({ root, port: 0 });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const answersOf = async (bundles: string[]): Promise<Answer[]> => {
      const page = await browser.newPage();
      await page.goto(`${running.url}hits.html`);
      return page.evaluate(
        async ({ bundles, queries }) => {
          const base = new URL(`/${bundles[0]}`, location.href).href;
          const pagefind = await import(`${base}pagefind.js`);
          // baseUrl '/': the URLs as indexed, not under the folder the bundle is served from.
          await pagefind.options({ basePath: base, baseUrl: '/' });
          for (const bundle of bundles.slice(1))
            await pagefind.mergeIndex(new URL(`/${bundle}`, location.href).href, { baseUrl: '/' });
          await pagefind.init();
          const answers = [];
          for (const query of queries) {
            const search = await pagefind.search(query.term, { filters: query.filters ?? {} });
            const data = await Promise.all(
              search.results.map((r: { data: () => Promise<{ url: string; meta: Record<string, string> }> }) =>
                r.data(),
              ),
            );
            // Hits of equal score may come in either order: compare the meta of the first URL in sorted order.
            const sorted = data.sort((x, y) => (x.url < y.url ? -1 : x.url > y.url ? 1 : 0));
            answers.push({ urls: sorted.map((d) => d.url), firstMeta: sorted[0]?.meta ?? null });
          }
          return answers;
        },
        { bundles, queries },
      );
    };
    const a = await answersOf(bundlesA);
    const b = await answersOf(bundlesB);
    return queries.map((query, i) => {
      const firstA = a[i].firstMeta && JSON.stringify(Object.entries(a[i].firstMeta).sort());
      const firstB = b[i].firstMeta && JSON.stringify(Object.entries(b[i].firstMeta).sort());
      return {
        query,
        counts: [a[i].urls.length, b[i].urls.length],
        same: JSON.stringify(a[i].urls) === JSON.stringify(b[i].urls) && firstA === firstB,
      };
    });
  } finally {
    await browser.close();
    await running.close();
  }
}
