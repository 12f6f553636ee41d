// The registry of crosswalks: one per metadata format the harvester understands, so that one registry maps each
// prefix to its reader. Prefixes are matched by the namespace of the record's metadata, not by name alone, so a
// partner using its own prefix for DataCite still works.
import type { HarvestedRecord } from '../../schemas/index.ts';
import type { OaiRecord } from '../protocol.ts';
import type { XmlElement } from '../xml.ts';
import { compact, harvestedId, type CrosswalkContext, type Crosswalked } from './common.ts';
import { DATACITE3_NS, DATACITE_NS, OAI_DATACITE_NS, fromDatacite } from './datacite.ts';
import { CrosswalkError } from './errors.ts';
import { FULL_NS, fromFull } from './full.ts';
import { OAI_DC_NS, fromOaiDc } from './oai-dc.ts';

export { harvestedId } from './common.ts';
export { CrosswalkError } from './errors.ts';

type Crosswalk = (metadata: XmlElement, context: CrosswalkContext) => Crosswalked;

const byNamespace = new Map<string, Crosswalk>([
  [OAI_DC_NS, fromOaiDc],
  [DATACITE_NS, fromDatacite],
  [DATACITE3_NS, fromDatacite],
  [OAI_DATACITE_NS, fromDatacite],
  ['http://schema.datacite.org/oai/oai-1.0/', fromDatacite],
  [FULL_NS, fromFull],
]);

/** Metadata prefixes this harvester reads, as partners usually name them. */
export const supportedPrefixes = ['oai_dc', 'oai_datacite', 'datacite', 'bic_full'] as const;

export interface ToRecordOptions extends CrosswalkContext {
  metadataPrefix: string;
  /** harvestedId(partner, identifier), when the caller has it already (it costs a SHA-256). */
  id?: string;
  /** ISO date-time of the harvest, UTC, second precision. */
  harvestedAt: string;
  /** The record as stored before, when there is one: a deletion keeps its title. */
  previous?: HarvestedRecord;
}

/** One OAI record -> one harvested record (not yet validated). Throws CrosswalkError when it cannot be mapped. */
export function toHarvestedRecord(record: OaiRecord, options: ToRecordOptions): HarvestedRecord {
  const { header } = record;
  const origin = compact({
    partner: options.partner,
    identifier: header.identifier,
    datestamp: header.datestamp,
    metadataFormat: options.metadataPrefix,
    harvestedAt: options.harvestedAt,
    url: undefined as string | undefined,
  });
  const id = options.id ?? harvestedId(options.partner, header.identifier);
  if (header.deleted || !record.metadata) {
    // OAI-PMH §2.5.1: a deleted record has no metadata. The tombstone keeps what was known of the record.
    const previous = options.previous;
    return compact({
      schemaVersion: 1 as const,
      id,
      origin: { ...origin, ...(previous?.origin.url ? { url: previous.origin.url } : {}) },
      deleted: { datestamp: header.datestamp },
      study: previous?.study ?? { title: `Deleted record ${header.identifier}` },
      sourceAccession: previous?.sourceAccession,
    });
  }
  const crosswalk = byNamespace.get(record.metadata.ns);
  if (!crosswalk) {
    throw new CrosswalkError(
      'CROSSWALK_UNKNOWN_FORMAT',
      `no crosswalk reads <${record.metadata.name}> in namespace '${record.metadata.ns}' ` +
        '(supported: oai_dc, oai_datacite, datacite kernel-4, bic_full)',
    );
  }
  const { url, deleted, ...rest } = crosswalk(record.metadata, options);
  return compact({
    schemaVersion: 1 as const,
    id,
    origin: compact({ ...origin, url }),
    ...(deleted ? { deleted: { datestamp: header.datestamp } } : {}),
    ...rest,
  }) as HarvestedRecord;
}
