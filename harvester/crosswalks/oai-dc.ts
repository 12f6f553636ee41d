// oai_dc (OAI-PMH §6.2, unqualified Dublin Core, http://www.openarchives.org/OAI/2.0/oai_dc/) -> harvested study.
import { textOf, type XmlElement } from '../xml.ts';
import { calendarDate, compact, httpUrl, toSpdx, unique, type CrosswalkContext, type Crosswalked } from './common.ts';
import { CrosswalkError } from './errors.ts';

export const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';

export function fromOaiDc(metadata: XmlElement, context: CrosswalkContext): Crosswalked {
  if (metadata.ns !== OAI_DC_NS || metadata.name !== 'dc') {
    throw new CrosswalkError(
      'CROSSWALK_WRONG_FORMAT',
      `expected <oai_dc:dc> in ${OAI_DC_NS}, found <${metadata.name}> in '${metadata.ns}'`,
    );
  }
  // One pass over the elements, grouped by name (a filter per field read every element seven times).
  const texts = new Map<string, string[]>();
  for (const element of metadata.children) {
    if (element.ns !== DC_NS) continue;
    const list = texts.get(element.name);
    if (list) list.push(textOf(element));
    else texts.set(element.name, [textOf(element)]);
  }
  const values = (name: string) => unique(texts.get(name) ?? []);
  const title = values('title')[0];
  if (!title) throw new CrosswalkError('CROSSWALK_NO_TITLE', 'the record has no dc:title', '/study/title');
  const identifiers = values('identifier');
  const url = identifiers.map(httpUrl).find(Boolean);
  const doi = identifiers
    .map((i) => /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(i)?.[1])
    .find(Boolean);
  const authors = [...values('creator')].filter((n) => n.length >= 2).map((name) => ({ name }));
  const license = toSpdx(...values('rights')) ?? context.defaultLicense;
  return {
    url,
    study: compact({
      title,
      description: values('description').join('\n\n') || undefined,
      authors,
      license,
      keywords: values('subject'),
      releaseDate: values('date').map(calendarDate).find(Boolean),
      identifiers: unique([...(doi ? [doi] : []), ...identifiers]),
    }),
  };
}
