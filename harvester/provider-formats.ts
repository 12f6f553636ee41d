// The provider's registry of metadata formats: each prefix with its serializer, schema and namespace, in one
// place, so that ListMetadataFormats (OAI-PMH 2.0 §4.4) lists exactly what GetRecord and ListRecords can render;
// and the datestamp and sets of a published record.
import type { CatalogueRecord } from '../catalog/records.ts';
import { renderDataciteXml } from '../catalog/exports/datacite-xml.ts';
import { escapeXml as x } from '../catalog/exports/escape-xml.ts';
import { toDatasetView, type CatalogueInfo } from '../catalog/exports/dataset-view.ts';
import { FULL_NS, FULL_PREFIX } from './crosswalks/full.ts';

export interface MetadataFormat {
  prefix: string;
  schema: string;
  namespace: string;
  /** The record's metadata element, namespaces declared on it (records are rendered for live entries only). */
  render(record: CatalogueRecord, info: CatalogueInfo): string;
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function renderOaiDc(record: CatalogueRecord, info: CatalogueInfo): string {
  const view = toDatasetView(record, info);
  const dc = (name: string, value: string | undefined) => (value ? `<dc:${name}>${x(value)}</dc:${name}>` : '');
  return [
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"' +
      ` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="${XSI}"` +
      ' xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/' +
      ' http://www.openarchives.org/OAI/2.0/oai_dc.xsd">',
    dc('title', view.title),
    ...view.authors.map((a) => dc('creator', a.name)),
    ...view.keywords.map((k) => dc('subject', k)),
    dc('description', view.description),
    dc('publisher', info.name),
    dc('date', view.released),
    dc('type', 'Dataset'),
    dc('identifier', view.url),
    ...view.identifiers.map((i) => dc('identifier', i)),
    dc('identifier', view.doi ? `https://doi.org/${view.doi}` : undefined),
    dc('rights', view.license),
    ...view.publications.filter((p) => p.doi).map((p) => dc('relation', `doi:${p.doi}`)),
    ...(view.related ?? []).map((r) => dc('relation', r.url)),
    '</oai_dc:dc>',
  ].join('');
}

function dataciteResource(record: CatalogueRecord, info: CatalogueInfo): string {
  // The catalogue's DataCite export (catalog/exports), without its XML declaration, pointed at kernel-4.
  return renderDataciteXml(toDatasetView(record, info), info)
    .replace(/^<\?xml[^>]*\?>\s*/, '')
    .replace(
      /https:\/\/schema\.datacite\.org\/meta\/kernel-4\.\d+\/metadata\.xsd/,
      'http://schema.datacite.org/meta/kernel-4/metadata.xsd',
    )
    .trim();
}

function renderOaiDatacite(record: CatalogueRecord, info: CatalogueInfo): string {
  return (
    `<oai_datacite xmlns="http://schema.datacite.org/oai/oai-1.1/" xmlns:xsi="${XSI}"` +
    ' xsi:schemaLocation="http://schema.datacite.org/oai/oai-1.1/ http://schema.datacite.org/oai/oai-1.1/oai.xsd">' +
    `<schemaVersion>4</schemaVersion><datacentreSymbol>${x(info.name)}</datacentreSymbol>` +
    `<payload>${dataciteResource(record, info)}</payload></oai_datacite>`
  );
}

/**
 * An entry's manifest (its files, sizes and sha256) travels with it, so that another instance can replicate
 * the files from this one's public mirror and verify every byte (storage/federation.ts). Tombstones carry none.
 */
function manifestElement(record: CatalogueRecord): string {
  if (record.kind !== 'entry' || !record.manifest) return '';
  return `<bic:manifest>${x(JSON.stringify(record.manifest))}</bic:manifest>`;
}

function renderFull(record: CatalogueRecord): string {
  // JSON in an element: escapeXml keeps it text, so no part of an entry can become markup.
  const kind = record.kind === 'tombstone' ? 'tombstone' : record.kind === 'harvested' ? 'harvested' : 'entry';
  return (
    `<bic:record xmlns:bic="${FULL_NS}" xmlns:xsi="${XSI}"` +
    ` xsi:schemaLocation="${FULL_NS} https://bioimage-catalogue.org/oai/full/1/bic-full.xsd"` +
    ` kind="${kind}" accession="${x(record.summary.accession)}" schemaVersion="1">` +
    `<bic:json>${x(JSON.stringify(record.data))}</bic:json>${manifestElement(record)}</bic:record>`
  );
}

export const formats: readonly MetadataFormat[] = [
  {
    prefix: 'oai_dc',
    schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd',
    namespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/',
    render: renderOaiDc,
  },
  {
    prefix: 'oai_datacite',
    schema: 'http://schema.datacite.org/oai/oai-1.1/oai.xsd',
    namespace: 'http://schema.datacite.org/oai/oai-1.1/',
    render: renderOaiDatacite,
  },
  {
    prefix: 'datacite',
    schema: 'http://schema.datacite.org/meta/kernel-4/metadata.xsd',
    namespace: 'http://datacite.org/schema/kernel-4',
    render: dataciteResource,
  },
  {
    prefix: FULL_PREFIX,
    schema: 'https://bioimage-catalogue.org/oai/full/1/bic-full.xsd',
    namespace: FULL_NS,
    render: renderFull,
  },
];

/** The namespace-identifier of this catalogue's oai-identifiers, shared by the provider and the Static Repository. */
export const defaultRepositoryIdentifier = 'bioimage-catalogue.org';
export const defaultAdminEmail = 'oai@bioimage-catalogue.org';

/** A record's OAI identifier: oai:<repositoryIdentifier>:<accession> (the oai-identifier scheme, delimiter ':'). */
export const oaiIdentifierOf = (repositoryIdentifier: string, record: CatalogueRecord) =>
  `oai:${repositoryIdentifier}:${record.summary.accession}`;

const OAI_IDENTIFIER_NS = 'http://www.openarchives.org/OAI/2.0/oai-identifier';

/**
 * Identify's `<description>` content that declares the oai-identifier scheme (OAI-PMH 2.0 §4.2 and the
 * "Specification and XML Schema for the OAI Identifier Format"); the xsi prefix is declared by the document.
 */
export function renderOaiIdentifierDescription(repositoryIdentifier: string): string {
  const schemaLocation = `${OAI_IDENTIFIER_NS} ${OAI_IDENTIFIER_NS}.xsd`;
  return (
    `<oai-identifier xmlns="${OAI_IDENTIFIER_NS}" xsi:schemaLocation="${schemaLocation}">` +
    `<scheme>oai</scheme><repositoryIdentifier>${x(repositoryIdentifier)}</repositoryIdentifier>` +
    `<delimiter>:</delimiter><sampleIdentifier>oai:${x(repositoryIdentifier)}:BIC0000013</sampleIdentifier>` +
    '</oai-identifier>'
  );
}

const toSecond = (day: string) => `${day}T00:00:00Z`;

/**
 * The record's datestamp (§2.7.1: when it was created, changed or deleted), second granularity: the date of
 * its newest version or of its withdrawal; for a harvested record, when it was harvested.
 */
export function datestampOf(record: CatalogueRecord): string {
  if (record.kind === 'tombstone') return toSecond(record.data.withdrawn.date);
  // OAI-PMH 2.0 §3.3.1: datestamps are UTC. A harvest time with an offset is converted, not relabelled.
  if (record.kind === 'harvested') {
    const instant = new Date(record.data.origin.harvestedAt);
    if (!Number.isNaN(instant.getTime())) return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return record.data.origin.harvestedAt.replace(/\.\d+/, '').replace(/([+-]\d{2}:\d{2})$/, 'Z');
  }
  const versions = record.data.versions ?? [];
  return toSecond(versions[versions.length - 1]?.date ?? record.data.study.releaseDate);
}

/** setSpec characters (OAI-PMH.xsd setSpecType): unreserved URI characters, ':' separating levels. */
const specToken = (value: string) => value.toLowerCase().replace(/[^a-z0-9\-_.!~*'()]+/g, '-');

/** The sets a record belongs to: imaging method, organism, origin (native or partner) and scale. */
export function setsOf(record: CatalogueRecord): { spec: string; name: string }[] {
  const sets = new Map<string, string>();
  if (record.kind === 'harvested') {
    const partner = record.data.origin.partner;
    sets.set(`origin:partner:${specToken(partner)}`, `Harvested from ${partner}`);
  } else sets.set('origin:native', 'Deposited in this catalogue');
  if (record.kind === 'tombstone') return [...sets].map(([spec, name]) => ({ spec, name }));
  const data = record.data;
  for (const item of [...(data.components ?? []), ...(data.acquisitions ?? [])]) {
    const method = item.imagingMethod;
    if (method?.id) sets.set(`method:${specToken(method.id)}`, method.label ?? method.id);
  }
  for (const biosample of data.biosamples ?? []) {
    for (const organism of biosample.organisms ?? [])
      if (organism.taxonId)
        sets.set(`organism:${specToken(organism.taxonId)}`, organism.scientificName ?? organism.taxonId);
  }
  for (const scale of data.study.scales ?? []) sets.set(`scale:${specToken(scale)}`, `Scale: ${scale}`);
  return [...sets].map(([spec, name]) => ({ spec, name }));
}
