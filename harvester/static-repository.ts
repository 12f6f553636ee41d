// The catalogue as an OAI-PMH Static Repository: one XML file that a Static Repository Gateway makes harvestable
// (http://www.openarchives.org/OAI/2.0/guidelines-static-repository.htm). The site build writes it beside the pages.
// What the guidelines and their restricted OAI-PMH schema (OAI-PMH-static-repository.xsd) require, and how it is met:
// - one file, UTF-8, no resumptionToken (§3.2): everything is in it, so it is capped at 5000 records (below);
// - day granularity only (YYYY-MM-DD): datestamps are the provider's, cut to the day;
// - no deleted records (deletedRecord is 'no', no header status): withdrawn entries and deleted harvested records
//   are left out;
// - no sets (no setSpec in headers) and no <compression> in Identify;
// - baseURL is the gateway's URL followed by the file's URL without its scheme (§3.2, "baseURL").
import type { CatalogueRecord } from '../catalog/records.ts';
import { HarvestError } from './errors.ts';
import { escapeXml as x } from '../catalog/exports/escape-xml.ts';
import { defaultCatalogueInfo, type CatalogueInfo } from '../catalog/exports/dataset-view.ts';
import {
  datestampOf,
  defaultAdminEmail,
  defaultRepositoryIdentifier,
  formats,
  oaiIdentifierOf,
  renderOaiIdentifierDescription,
} from './provider-formats.ts';
import { OAI_NS } from './protocol.ts';

export const STATIC_REPOSITORY_NS = 'http://www.openarchives.org/OAI/2.0/static-repository';

/** The most records a Static Repository may hold, per the guidelines: larger collections need a full provider. */
export const staticRepositoryMaxRecords = 5000;

export interface StaticRepositoryOptions {
  /** Where the file is published, e.g. https://bioimage-catalogue.org/oai/static-repository.xml. */
  url: string;
  /**
   * The Static Repository Gateway's URL, e.g. http://gateway.example.org/oai/. baseURL is this followed by `url`
   * without its scheme. Without it, baseURL is `url` itself and `notices` says so.
   */
  gatewayUrl?: string;
  repositoryName?: string;
  /** Default oai@bioimage-catalogue.org, as the provider. */
  adminEmail?: string;
  /** The namespace-identifier of oai-identifiers; default bioimage-catalogue.org (the provider's, so ids agree). */
  repositoryIdentifier?: string;
  /** Metadata prefixes to include, each one ListRecords; default ['oai_dc'] (the format every harvester reads). */
  metadataPrefixes?: string[];
  /** Records per format, at most 5000 (the default). */
  maxRecords?: number;
  info?: CatalogueInfo;
}

export interface StaticRepository {
  /** The file's text. */
  xml: string;
  /** Records included (in each ListRecords). */
  included: number;
  /** Records left out because of the limit (live records beyond the first `maxRecords` in accession order). */
  omitted: number;
  /** What the site build should print: the limit reached, a missing gateway. Empty when all is well. */
  notices: string[];
}

/** Thrown for options that cannot give a valid file (an unknown prefix, a limit above 5000, a URL that is none). */
export class StaticRepositoryError extends HarvestError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'StaticRepositoryError';
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Renders the Static Repository of `records` (as catalog/load.ts's loadPublishedCatalogue returns them: live and
 * withdrawn, never embargoed). When more than `maxRecords` (default 5000) are live, the first 5000 in accession
 * order are written and `notices` says how many were left out: the file stays valid and the site build goes on,
 * and the set written only changes when those records do, which keeps a gateway's view stable.
 */
export function renderStaticRepository(
  records: readonly CatalogueRecord[],
  options: StaticRepositoryOptions,
): StaticRepository {
  const max = options.maxRecords ?? staticRepositoryMaxRecords;
  if (!Number.isInteger(max) || max < 1 || max > staticRepositoryMaxRecords) {
    throw new StaticRepositoryError(
      'STATIC_LIMIT_INVALID',
      `maxRecords is ${max}; a Static Repository holds 1 to ${staticRepositoryMaxRecords} records (guidelines §3.2)`,
    );
  }
  if (!isHttpUrl(options.url))
    throw new StaticRepositoryError(
      'STATIC_URL_INVALID',
      `url '${options.url}' is not an http(s) URL: give the address the file is published at`,
    );
  if (options.gatewayUrl !== undefined && !isHttpUrl(options.gatewayUrl))
    throw new StaticRepositoryError('STATIC_URL_INVALID', `gatewayUrl '${options.gatewayUrl}' is not an http(s) URL`);
  const prefixes = options.metadataPrefixes ?? ['oai_dc'];
  const chosen = prefixes.map((prefix) => {
    const format = formats.find((f) => f.prefix === prefix);
    if (!format)
      throw new StaticRepositoryError(
        'STATIC_UNKNOWN_FORMAT',
        `metadata prefix '${prefix}' is not one the catalogue renders (${formats.map((f) => f.prefix).join(', ')})`,
      );
    return format;
  });
  const info = options.info ?? defaultCatalogueInfo;
  const repositoryIdentifier = options.repositoryIdentifier ?? defaultRepositoryIdentifier;
  const notices: string[] = [];

  // No deleted records in a Static Repository (restricted schema: header status not allowed).
  const live = records
    .filter((r) => r.status === 'live')
    .map((record) => ({
      record,
      identifier: oaiIdentifierOf(repositoryIdentifier, record),
      datestamp: datestampOf(record).slice(0, 10),
    }))
    .sort((a, b) =>
      a.record.summary.accession < b.record.summary.accession
        ? -1
        : a.record.summary.accession > b.record.summary.accession
          ? 1
          : 0,
    );
  const included = live.slice(0, max);
  const omitted = live.length - included.length;
  if (omitted > 0) {
    notices.push(
      `the catalogue has ${live.length} live records; the Static Repository holds at most ${max}, ` +
        `so the first ${max} in accession order (to ${included[included.length - 1].record.summary.accession}) ` +
        `were written and ${omitted} left out. ` +
        'Harvesters get every record from the OAI-PMH provider (catalogue oai serve).',
    );
  }
  let baseUrl = options.url;
  if (options.gatewayUrl)
    baseUrl = `${options.gatewayUrl.replace(/\/*$/, '/')}${options.url.replace(/^https?:\/\//, '')}`;
  else
    notices.push(
      `no gatewayUrl: baseURL is the file's own URL (${options.url}); ` +
        "the guidelines (§3.2) want the gateway's URL followed by it, " +
        'so set gatewayUrl once a Static Repository Gateway intermediates',
    );

  const earliest = included.reduce(
    (min, r) => (r.datestamp < min ? r.datestamp : min),
    included[0]?.datestamp ?? '2000-01-01',
  );
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    `<Repository xmlns="${STATIC_REPOSITORY_NS}" xmlns:oai="${OAI_NS}"` +
      ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
      ` xsi:schemaLocation="${STATIC_REPOSITORY_NS} http://www.openarchives.org/OAI/2.0/static-repository.xsd">\n`,
  );
  out.push(
    `<Identify><oai:repositoryName>${x(options.repositoryName ?? info.name)}</oai:repositoryName>` +
      `<oai:baseURL>${x(baseUrl)}</oai:baseURL><oai:protocolVersion>2.0</oai:protocolVersion>` +
      `<oai:adminEmail>${x(options.adminEmail ?? defaultAdminEmail)}</oai:adminEmail>` +
      `<oai:earliestDatestamp>${earliest}</oai:earliestDatestamp>` +
      '<oai:deletedRecord>no</oai:deletedRecord><oai:granularity>YYYY-MM-DD</oai:granularity>' +
      `<oai:description>${renderOaiIdentifierDescription(repositoryIdentifier)}</oai:description></Identify>\n`,
  );
  out.push(
    `<ListMetadataFormats>${chosen
      .map(
        (f) =>
          `<oai:metadataFormat><oai:metadataPrefix>${f.prefix}</oai:metadataPrefix>` +
          `<oai:schema>${x(f.schema)}</oai:schema>` +
          `<oai:metadataNamespace>${x(f.namespace)}</oai:metadataNamespace></oai:metadataFormat>`,
      )
      .join('')}</ListMetadataFormats>\n`,
  );
  for (const format of chosen) {
    out.push(`<ListRecords metadataPrefix="${format.prefix}">\n`);
    for (const r of included) {
      out.push(
        `<oai:record><oai:header><oai:identifier>${x(r.identifier)}</oai:identifier>` +
          `<oai:datestamp>${r.datestamp}</oai:datestamp></oai:header>` +
          `<oai:metadata>${format.render(r.record, info)}</oai:metadata></oai:record>\n`,
      );
    }
    out.push('</ListRecords>\n');
  }
  out.push('</Repository>\n');
  return { xml: out.join(''), included: included.length, omitted, notices };
}
