// The reference reader for the differential test of harvester/xml.ts: fast-xml-parser (validated first with its
// XMLValidator), its ordered output turned into XmlElement with the same namespace rules: an independent
// implementation to compare the harvester's reader against.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_NS, type XmlElement } from '../../../harvester/xml.ts';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  jPath: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedNode = Record<string, unknown>;

function toElements(
  nodes: OrderedNode[],
  scope: ReadonlyMap<string, string>,
  out: XmlElement[],
  textParts: string[] | null,
): void {
  for (const node of nodes) {
    let qname: string | undefined;
    for (const key of Object.keys(node)) if (key !== ':@') qname = key;
    if (qname === undefined) continue;
    if (qname === '#text') {
      textParts?.push(String(node['#text']));
      continue;
    }
    if (qname.startsWith('?') || qname.startsWith('!')) continue;
    const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
    let localScope = scope;
    for (const [name, value] of Object.entries(rawAttrs)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (localScope === scope) localScope = new Map(scope);
        (localScope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), String(value));
      }
    }
    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const ns = localScope.get(prefix) ?? '';
    const attrs: Record<string, string> = {};
    for (const [name, value] of Object.entries(rawAttrs)) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const c = name.indexOf(':');
      if (c === -1) attrs[name] = String(value);
      else {
        const p = name.slice(0, c);
        const uri = p === 'xml' ? XML_NS : localScope.get(p);
        attrs[p === 'xml' ? name : `${uri ?? p}|${name.slice(c + 1)}`] = String(value);
      }
    }
    const element: XmlElement = {
      ns,
      name: colon === -1 ? qname : qname.slice(colon + 1),
      attrs,
      children: [],
      text: '',
    };
    const parts: string[] = [];
    toElements((node[qname] ?? []) as OrderedNode[], localScope, element.children, parts);
    element.text = parts.join('');
    out.push(element);
  }
}

/**
 * The root element as fast-xml-parser reads it, or the validator's complaint. Character references are left to the
 * parser's caller.
 */
export function referenceParse(text: string): XmlElement | { error: string } {
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) return { error: verdict.err.msg };
  const out: XmlElement[] = [];
  toElements(parser.parse(text) as OrderedNode[], new Map([['xml', XML_NS]]), out, null);
  return out[0];
}
