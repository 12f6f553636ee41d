// The Atom feed of reference datasets (RFC 4287), /reference/feed.xml: one item per curation event, newest first,
// so that a subscriber sees an entry become a reference dataset and, later, lose the label.
import type { CurationLabel, Criterion } from '../../catalog/curation.ts';
import { entryUrl, type CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import { escapeXml as x } from '../../catalog/exports/escape-xml.ts';

export const referenceFeedPath = 'reference/feed.xml';

export function renderReferenceFeed(
  labels: readonly CurationLabel[],
  titles: ReadonlyMap<string, string>,
  criteria: readonly Criterion[],
  info: CatalogueInfo,
  size = 100,
): string {
  const criterionTitle = new Map(criteria.map((c) => [c.id, c.title]));
  const events = labels
    .flatMap((label) => label.history.map((event, i) => ({ accession: label.accession, event, i })))
    .sort((a, b) => b.event.date.localeCompare(a.event.date) || a.accession.localeCompare(b.accession) || b.i - a.i)
    .slice(0, size);
  const self = new URL(referenceFeedPath, info.baseUrl).href;
  const entries = events.map(({ accession, event, i }) => {
    const url = entryUrl(info, accession);
    const title = titles.get(accession) ?? accession;
    const what = event.label === 'reference' ? 'Reference dataset' : 'No longer a reference dataset';
    const met = event.criteria.map((id) => criterionTitle.get(id) ?? id).join('; ');
    const summary = [
      `${what} (version ${event.version}), reviewed by ${event.reviewers.map((r) => r.name).join(', ')}.`,
      met ? `Meets: ${met}.` : '',
      event.note ?? '',
    ]
      .filter(Boolean)
      .join(' ');
    return [
      '  <entry>',
      `    <id>${x(`${url}#curation-${i + 1}`)}</id>`,
      `    <title>${x(`${what}: ${accession} ${title}`)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(url)}"/>`,
      `    <updated>${event.date}T00:00:00Z</updated>`,
      ...event.reviewers.map(
        (r) => `    <author><name>${x(r.name)}</name><uri>${x(`https://orcid.org/${r.orcid}`)}</uri></author>`,
      ),
      `    <summary type="text">${x(summary)}</summary>`,
      `    <category term="${event.label}"/>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(self)}</id>`,
    `  <title>${x(info.name)}: reference datasets</title>`,
    `  <link rel="self" type="application/atom+xml" href="${x(self)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(info.baseUrl)}"/>`,
    `  <updated>${events[0]?.event.date ?? '1970-01-01'}T00:00:00Z</updated>`,
    ...(events.length === 0 ? [`  <author><name>${x(info.name)}</name></author>`] : []),
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
