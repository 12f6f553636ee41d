// DataCite Metadata Schema kernel 4 (http://datacite.org/schema/kernel-4), bare (`datacite`) or wrapped in
// oai_datacite (http://schema.datacite.org/oai/oai-1.1/ <payload>), into a harvested study. Kernel 3 payloads,
// which some repositories still serve, have the same elements under their own namespace and are read too.
import type { Author, Affiliation, Funding } from '../../schemas/index.ts';
import { child, children, textOf, type XmlElement } from '../xml.ts';
import {
  calendarDate,
  compact,
  doiUrl,
  httpUrl,
  toSpdx,
  unique,
  type CrosswalkContext,
  type Crosswalked,
} from './common.ts';
import { CrosswalkError } from './errors.ts';

export const DATACITE_NS = 'http://datacite.org/schema/kernel-4';
export const DATACITE3_NS = 'http://datacite.org/schema/kernel-3';
export const OAI_DATACITE_NS = 'http://schema.datacite.org/oai/oai-1.1/';
const OAI_DATACITE_10_NS = 'http://schema.datacite.org/oai/oai-1.0/';

/** The <resource> inside the metadata: itself, or the payload of an oai_datacite wrapper. */
function resourceOf(metadata: XmlElement): XmlElement {
  if ((metadata.ns === OAI_DATACITE_NS || metadata.ns === OAI_DATACITE_10_NS) && metadata.name === 'oai_datacite') {
    const resource = child(metadata, metadata.ns, 'payload')?.children[0];
    if (!resource)
      throw new CrosswalkError('CROSSWALK_NO_PAYLOAD', 'the oai_datacite record has no <payload><resource>');
    return resourceOf(resource);
  }
  if ((metadata.ns === DATACITE_NS || metadata.ns === DATACITE3_NS) && metadata.name === 'resource') return metadata;
  throw new CrosswalkError(
    'CROSSWALK_WRONG_FORMAT',
    `expected a DataCite <resource> (kernel-4) or <oai_datacite>, found <${metadata.name}> in '${metadata.ns}'`,
  );
}

const orcidPattern = /(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;
const rorPattern = /^(?:https?:\/\/ror\.org\/)?(0[0-9a-hjkmnp-tv-z]{6}\d{2})$/;

export function fromDatacite(metadata: XmlElement, context: CrosswalkContext): Crosswalked {
  const resource = resourceOf(metadata);
  const ns = resource.ns;
  const list = (group: string, item: string) => children(child(resource, ns, group), ns, item);

  const titles = list('titles', 'title');
  const title = textOf(titles.find((t) => !t.attrs.titleType) ?? titles[0]);
  if (!title)
    throw new CrosswalkError('CROSSWALK_NO_TITLE', 'the DataCite record has no <titles><title>', '/study/title');

  const affiliations: Affiliation[] = [];
  const affiliationId = (element: XmlElement): string | undefined => {
    const name = textOf(element);
    if (name.length < 2) return undefined;
    const rorMatch =
      element.attrs.affiliationIdentifierScheme?.toUpperCase() === 'ROR'
        ? rorPattern.exec(element.attrs.affiliationIdentifier?.trim() ?? '')
        : null;
    const existing = affiliations.find((a) => a.name === name);
    if (existing) return existing.id;
    const id = `affiliation-${affiliations.length + 1}`;
    affiliations.push(compact({ id, name, ror: rorMatch ? `https://ror.org/${rorMatch[1]}` : undefined }));
    return id;
  };
  const authors: Author[] = list('creators', 'creator').flatMap((creator) => {
    const name = textOf(child(creator, ns, 'creatorName'));
    if (name.length < 2) return [];
    const orcid = children(creator, ns, 'nameIdentifier')
      .filter((n) => (n.attrs.nameIdentifierScheme ?? '').toUpperCase() === 'ORCID')
      .map((n) => orcidPattern.exec(textOf(n))?.[1])
      .find(Boolean);
    const affiliationIds = unique(
      children(creator, ns, 'affiliation')
        .map(affiliationId)
        .filter((id): id is string => Boolean(id)),
    );
    // Personal names are written "Family, Given" in DataCite; citations here use the name as given.
    return [compact({ name, orcid, affiliations: affiliationIds })];
  });

  const identifier = child(resource, ns, 'identifier');
  const doi = identifier?.attrs.identifierType?.toUpperCase() === 'DOI' ? textOf(identifier) : undefined;
  const alternates = list('alternateIdentifiers', 'alternateIdentifier').map(textOf);
  const rights = list('rightsList', 'rights');
  const license =
    toSpdx(...rights.flatMap((r) => [r.attrs.rightsIdentifier, r.attrs.rightsURI, textOf(r)])) ??
    context.defaultLicense;
  const dates = list('dates', 'date');
  const dateOf = (type: string) => calendarDate(textOf(dates.find((d) => d.attrs.dateType === type)));
  const descriptions = list('descriptions', 'description');
  const abstract = descriptions
    .filter((d) => !d.attrs.descriptionType || d.attrs.descriptionType === 'Abstract')
    .map(textOf)
    .filter(Boolean);
  const funding: Funding[] = list('fundingReferences', 'fundingReference').flatMap((f) => {
    const funder = textOf(child(f, ns, 'funderName'));
    if (funder.length < 2) return [];
    const funderId = child(f, ns, 'funderIdentifier');
    const ror = funderId?.attrs.funderIdentifierType === 'ROR' ? rorPattern.exec(textOf(funderId))?.[1] : undefined;
    return [
      compact({
        funder,
        funderRor: ror ? `https://ror.org/${ror}` : undefined,
        grantId: textOf(child(f, ns, 'awardNumber')) || undefined,
      }),
    ];
  });
  const links = list('relatedIdentifiers', 'relatedIdentifier')
    .filter((r) => r.attrs.relatedIdentifierType === 'URL')
    .map((r) => httpUrl(textOf(r)))
    .filter((u): u is string => Boolean(u))
    .map((url) => ({ url }));

  return {
    url: doi ? doiUrl(doi) : httpUrl(textOf(identifier)),
    study: compact({
      title,
      description: (abstract.length ? abstract : descriptions.map(textOf).filter(Boolean)).join('\n\n') || undefined,
      authors,
      affiliations,
      license,
      keywords: unique(list('subjects', 'subject').map(textOf)),
      releaseDate: dateOf('Issued') ?? dateOf('Available') ?? dateOf('Created'),
      funding,
      links,
      identifiers: unique([...(doi ? [doi] : []), ...alternates]),
    }),
  };
}
