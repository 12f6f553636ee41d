// Astro content loader over the catalogue. It goes through catalog/'s loadPublishedCatalogue, which never
// returns embargoed entries or submissions, so nothing the site renders can leak them.
import type { Loader } from 'astro/loaders';
import { loadPublishedCatalogue } from '../../../catalog/load.ts';
import { formatProblem } from '../../../catalog/problems.ts';
import { toPublished } from '../../lib/published.ts';
import { settingsFromEnv } from '../../lib/site-config.ts';

export function catalogueLoader(): Loader {
  return {
    name: 'catalogue-loader',
    async load({ store, logger }) {
      const settings = settingsFromEnv();
      const loaded = await loadPublishedCatalogue(settings.catalog, { today: settings.today });
      store.clear();
      for (const record of loaded.records) store.set({ id: record.summary.accession, data: toPublished(record) as unknown as Record<string, unknown> });
      // Records with errors are left out of the site (and reported), as Bioregistry publishes warnings rather
      // than failing the whole build; `catalogue check` is where they fail.
      for (const problem of loaded.problems.slice(0, 50)) logger.warn(formatProblem(problem));
      logger.info(`${loaded.records.length} published records; ${loaded.embargoed} embargoed held back; ${loaded.problems.length} problem(s)`);
    },
  };
}
