// The catalogue's own full format (metadataPrefix `bic_full`, harvester/xsd/bic-full.xsd): the published
// document (entry, tombstone or harvested record) as JSON inside <bic:record>, so that one instance of this
// catalogue can harvest another without losing any REMBI section.
import { maxNestingDepth, tooDeepPointer } from '../../catalog/source.ts';
import type { Entry, HarvestedRecord, Manifest, Tombstone } from '../../schemas/index.ts';
import { child, type XmlElement } from '../xml.ts';
import { compact, type CrosswalkContext, type Crosswalked } from './common.ts';
import { CrosswalkError } from './errors.ts';

export const FULL_NS = 'https://bioimage-catalogue.org/oai/full/1/';
export const FULL_PREFIX = 'bic_full';

/** Largest JSON document accepted in one record (entries are limited to 8 MiB on disk too). */
const maxJsonChars = 8 * 1024 * 1024;

export function fromFull(metadata: XmlElement, _context: CrosswalkContext): Crosswalked {
  if (metadata.ns !== FULL_NS || metadata.name !== 'record') {
    throw new CrosswalkError(
      'CROSSWALK_WRONG_FORMAT',
      `expected <record> in ${FULL_NS}, found <${metadata.name}> in '${metadata.ns}'`,
    );
  }
  const json = child(metadata, FULL_NS, 'json')?.text ?? '';
  if (json.length > maxJsonChars)
    throw new CrosswalkError('CROSSWALK_TOO_LARGE', `the record's JSON is larger than ${maxJsonChars} characters`);
  let data: unknown;
  try {
    // JSON.parse builds plain data only; "__proto__" keys become own properties, which the schema then rejects.
    data = JSON.parse(json);
  } catch (error) {
    throw new CrosswalkError('CROSSWALK_BAD_JSON', `the record's <json> is not JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CrosswalkError('CROSSWALK_BAD_JSON', "the record's <json> is not a JSON object");
  refuseTooDeep(data, '<json>');
  const kind = metadata.attrs.kind;
  const accession = metadata.attrs.accession;
  if (kind === 'tombstone') {
    const tombstone = data as Tombstone;
    return {
      deleted: true,
      sourceAccession: accession,
      study: {
        title: typeof tombstone.title === 'string' && tombstone.title ? tombstone.title : (accession ?? 'withdrawn'),
      },
    };
  }
  if (kind === 'harvested') {
    // A record the other instance harvested itself: its study travels on; its provenance is the other instance.
    const record = data as HarvestedRecord;
    return compact({
      study: record.study,
      sourceAccession: accession,
      deleted: record.deleted ? true : undefined,
      components: record.components,
      biosamples: record.biosamples,
      specimens: record.specimens,
      acquisitions: record.acquisitions,
      correlations: record.correlations,
      analyses: record.analyses,
    });
  }
  if (kind !== 'entry')
    throw new CrosswalkError(
      'CROSSWALK_WRONG_FORMAT',
      `<record kind="${kind ?? ''}"> must be entry, tombstone or harvested`,
    );
  const entry = data as Entry;
  const manifest = parseManifest(metadata);
  return compact({
    study: entry.study as unknown as HarvestedRecord['study'],
    components: entry.components,
    biosamples: entry.biosamples,
    specimens: entry.specimens,
    acquisitions: entry.acquisitions,
    correlations: entry.correlations,
    analyses: entry.analyses,
    sourceAccession: typeof entry.accession === 'string' ? entry.accession : accession,
    version: entry.version,
    manifest,
  });
}

/**
 * The entry's manifest from <bic:manifest>, when the partner sent one. Checked against the manifest schema with
 * the rest of the record; its paths are checked again by storage before any of them becomes an object key.
 */
function parseManifest(metadata: XmlElement): Manifest | undefined {
  const text = child(metadata, FULL_NS, 'manifest')?.text;
  if (text === undefined) return undefined;
  if (text.length > maxJsonChars)
    throw new CrosswalkError('CROSSWALK_TOO_LARGE', `the record's manifest is larger than ${maxJsonChars} characters`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new CrosswalkError('CROSSWALK_BAD_JSON', `the record's <manifest> is not JSON: ${(error as Error).message}`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest))
    throw new CrosswalkError('CROSSWALK_BAD_JSON', "the record's <manifest> is not a JSON object");
  refuseTooDeep(manifest, '<manifest>');
  return manifest as Manifest;
}

// JSON.parse accepts any depth, but writing the record (or its quarantine copy) with JSON.stringify overflows the
// stack thousands of levels down: the same limit as for files in the catalogue (catalog/source.ts).
function refuseTooDeep(value: unknown, element: string): void {
  const pointer = tooDeepPointer(value);
  if (pointer !== undefined)
    throw new CrosswalkError(
      'CROSSWALK_TOO_DEEP',
      `the record's ${element} nests lists and mappings more than ${maxNestingDepth} deep`,
      pointer,
    );
}
