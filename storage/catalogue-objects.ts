// What the catalogue says the buckets hold: the objects of every entry's manifest, by status.
// Live entries are replicated and audited; a withdrawn entry's files are kept unless its tombstone says
// `deleteFiles: true`; embargoed entries are not replicated to mirrors (their files are not public yet).
import { listRecords } from '../catalog/layout.ts';
import { inspectRecord } from '../catalog/records.ts';
import type { Problem } from '../catalog/problems.ts';
import type { Manifest, Tombstone } from '../schemas/index.ts';
import { expectedObjects, type ExpectedObject } from './fixity.ts';

export interface CatalogueObjects {
  /** Objects of live entries: replicated, audited. */
  live: ExpectedObject[];
  /** Objects of withdrawn entries whose files are kept: audited, not replicated anew. */
  kept: ExpectedObject[];
  /** Objects of withdrawn entries whose tombstone allows deletion (and that no kept manifest lists). */
  deletable: ExpectedObject[];
  /** Objects of embargoed entries: on the primary only. */
  embargoed: ExpectedObject[];
  /** Records that could not be read (left out, reported). */
  problems: Problem[];
  /** The manifests of live entries, for checks that need more than keys and digests (`mirror verify --images`). */
  manifests?: Array<{ entry: string; manifest: Manifest }>;
}

export async function catalogueObjects(
  root: string,
  options: { today: string; entry?: string },
): Promise<CatalogueObjects> {
  const { records } = await listRecords(root);
  const out: CatalogueObjects = { live: [], kept: [], deletable: [], embargoed: [], problems: [], manifests: [] };
  for (const location of records) {
    if (location.kind !== 'entry' && location.kind !== 'tombstone') continue;
    if (options.entry && location.id !== options.entry) continue;
    const inspected = inspectRecord(root, location, options.today);
    if (!inspected.record) {
      out.problems.push(...inspected.problems.filter((p) => p.severity === 'error'));
      continue;
    }
    const manifest = inspected.record.manifest;
    if (!manifest) continue;
    const objects = expectedObjects(manifest, location.id);
    if (inspected.record.kind === 'tombstone') {
      const allowed = (inspected.record.data as Tombstone).withdrawn.deleteFiles === true;
      (allowed ? out.deletable : out.kept).push(...objects);
    } else if (inspected.record.status === 'embargoed') out.embargoed.push(...objects);
    else {
      out.live.push(...objects);
      out.manifests!.push({ entry: location.id, manifest });
    }
  }
  // Never delete what any other manifest still lists.
  const listed = new Set([...out.live, ...out.kept, ...out.embargoed].map((o) => o.key));
  out.deletable = out.deletable.filter((o) => !listed.has(o.key));
  return out;
}
