// A partner of harvester/partners.yaml with `protocol: ro-crate`, harvested by harvest-crates.ts and reported in the
// summary every harvest gives (`catalogue harvest --json`, the harvest log, --pr), so that the command line and the
// log treat both kinds of partner alike.
import type { Partner } from '../../schemas/index.ts';
import type { HarvestSummary } from '../harvest.ts';
import { harvestCrates, type CrateHarvestOptions } from './harvest-crates.ts';
import type { CrateSource } from './crate-sources.ts';

export { crateStatePath } from './crate-state.ts';

export const isCratePartner = (partner: Partner): boolean => partner.protocol === 'ro-crate';

/** Harvests a ro-crate partner. `pages` counts the crates read, `skippedOlder` those not read again (unchanged). */
export async function harvestCratePartner(
  partner: Partner,
  options: Omit<CrateHarvestOptions, 'target'> & { contact?: string },
): Promise<HarvestSummary> {
  const summary = await harvestCrates({
    ...options,
    target: {
      partner: partner.id,
      // The schema requires `crates` of a ro-crate partner, with exactly one of urls, sitemap or github.
      source: partner.crates as CrateSource,
      contact: options.contact ?? partner.contact,
      defaultLicense: partner.defaultLicense,
      allowPrivateNetwork: partner.allowPrivateNetwork === true,
    },
  });
  return {
    partner: partner.id,
    baseUrl: partner.baseUrl,
    metadataPrefix: 'ro-crate',
    set: null,
    pages: summary.crates - summary.unchanged,
    records: summary.written + summary.quarantined + summary.deleted,
    deleted: summary.deleted,
    quarantined: summary.quarantined,
    written: summary.written,
    skippedOlder: summary.unchanged,
    restarts: 0,
    problems: summary.problems,
    from: null,
    until: null,
    resumed: false,
    durationMs: summary.durationMs,
  };
}
