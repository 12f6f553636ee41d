// DataCite Metadata Schema 4.6 XML (https://schema.datacite.org/meta/kernel-4.6/). The mandatory identifier is the
// entry's DOI when one is registered, else its URL (identifierType="URL"); the accession is an alternateIdentifier.
// Cross-references (study.related) and the publications' DOIs are relatedIdentifiers (4.6 §12).
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { splitName, yearOf } from './dataset-view.ts';
import { escapeXml } from './escape-xml.ts';

export function renderDataciteXml(view: DatasetView, info: CatalogueInfo): string {
  const x = escapeXml;
  const creators = (
    view.authors.length
      ? view.authors
      : [{ name: info.name, affiliations: [] as { name: string; ror?: string }[], orcid: undefined }]
  ).map((a) => {
    const { family, given } = splitName(a.name);
    const person = view.authors.length > 0;
    return [
      '    <creator>',
      `      <creatorName nameType="${person ? 'Personal' : 'Organizational'}">` +
        `${x(person && given ? `${family}, ${given}` : a.name)}</creatorName>`,
      ...(person && given
        ? [`      <givenName>${x(given)}</givenName>`, `      <familyName>${x(family)}</familyName>`]
        : []),
      ...(a.orcid
        ? [
            `      <nameIdentifier nameIdentifierScheme="ORCID" schemeURI="https://orcid.org">` +
              `${x(a.orcid)}</nameIdentifier>`,
          ]
        : []),
      ...a.affiliations.map((f) =>
        f.ror
          ? `      <affiliation affiliationIdentifier="${x(f.ror)}" affiliationIdentifierScheme="ROR" ` +
            `schemeURI="https://ror.org">${x(f.name)}</affiliation>`
          : `      <affiliation>${x(f.name)}</affiliation>`,
      ),
      '    </creator>',
    ].join('\n');
  });
  const related = [
    ...view.publications
      .filter((p) => p.doi)
      .map(
        (p) =>
          `    <relatedIdentifier relatedIdentifierType="DOI" relationType="IsDescribedBy">` +
          `${x(p.doi!)}</relatedIdentifier>`,
      ),
    ...(view.related ?? []).map(
      (r) =>
        `    <relatedIdentifier relatedIdentifierType="${r.datacite.type}" relationType="${r.relationType}"` +
        (r.datacite.resourceTypeGeneral ? ` resourceTypeGeneral="${r.datacite.resourceTypeGeneral}">` : '>') +
        `${x(r.datacite.value)}</relatedIdentifier>`,
    ),
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<resource xmlns="http://datacite.org/schema/kernel-4" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://datacite.org/schema/kernel-4 ' +
      'https://schema.datacite.org/meta/kernel-4.6/metadata.xsd">',
    view.doi
      ? `  <identifier identifierType="DOI">${x(view.doi)}</identifier>`
      : `  <identifier identifierType="URL">${x(view.url)}</identifier>`,
    '  <creators>',
    ...creators,
    '  </creators>',
    '  <titles>',
    `    <title>${x(view.title)}</title>`,
    '  </titles>',
    `  <publisher>${x(info.name)}</publisher>`,
    `  <publicationYear>${yearOf(view) ?? new Date().getUTCFullYear()}</publicationYear>`,
    '  <resourceType resourceTypeGeneral="Dataset">Bioimage dataset</resourceType>',
    ...(view.keywords.length
      ? ['  <subjects>', ...view.keywords.map((k) => `    <subject>${x(k)}</subject>`), '  </subjects>']
      : []),
    ...(view.released
      ? [
          '  <dates>',
          `    <date dateType="Issued">${x(view.released)}</date>`,
          ...(view.modified && view.modified !== view.released
            ? [`    <date dateType="Updated">${x(view.modified)}</date>`]
            : []),
          ...(view.withdrawn ? [`    <date dateType="Withdrawn">${x(view.withdrawn.date)}</date>`] : []),
          '  </dates>',
        ]
      : []),
    '  <language>en</language>',
    '  <alternateIdentifiers>',
    `    <alternateIdentifier alternateIdentifierType="Accession">${x(view.accession)}</alternateIdentifier>`,
    ...(view.doi
      ? [`    <alternateIdentifier alternateIdentifierType="URL">${x(view.url)}</alternateIdentifier>`]
      : []),
    '  </alternateIdentifiers>',
    ...(related.length ? ['  <relatedIdentifiers>', ...related, '  </relatedIdentifiers>'] : []),
    ...(view.version ? [`  <version>${view.version}</version>`] : []),
    ...(view.license
      ? [
          '  <rightsList>',
          `    <rights rightsIdentifier="${x(view.license)}" rightsIdentifierScheme="SPDX" ` +
            'schemeURI="https://spdx.org/licenses/" ' +
            `rightsURI="https://spdx.org/licenses/${x(encodeURIComponent(view.license))}.html">` +
            `${x(view.license)}</rights>`,
          '  </rightsList>',
        ]
      : []),
    ...(view.description
      ? [
          '  <descriptions>',
          `    <description descriptionType="Abstract">${x(view.description)}</description>`,
          '  </descriptions>',
        ]
      : []),
    '</resource>',
  ];
  return lines.join('\n') + '\n';
}
