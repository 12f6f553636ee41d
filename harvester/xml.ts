// Reading XML from partners, who are not trusted: fast-xml-parser with entity processing off, no DOCTYPE, a size
// limit, invalid characters stripped, and names resolved to namespace URIs (never trusted by prefix: real servers
// write `oai:record`, `record` under a default namespace, or any other prefix for the same element).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlError } from './errors.ts';

/** An element with its name resolved: `ns` is the namespace URI ('' when none), `name` the local name. */
export interface XmlElement {
  ns: string;
  name: string;
  /** Unprefixed attributes by local name; prefixed ones as `<namespace URI>|<local name>` (xml:lang as 'xml:lang'). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (its text nodes joined, entities decoded; child elements' text not included). */
  text: string;
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Default size limit of one response: 64 MiB, far above any real OAI-PMH page, well below a memory problem. */
export const defaultMaxXmlBytes = 64 * 1024 * 1024;

// XML 1.0 §2.2 (Char): tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF. Everything else, including
// lone surrogates, may not appear in a document; real repositories emit such characters from pasted text.
// eslint-disable-next-line no-control-regex
const invalidChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// The same characters written as character references (`&#1;`, `&#x1F;`) are just as illegal (§4.1 WFC: Legal Character).
const invalidCharRefs = /&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|5[5-7][0-9]{3}|65534|65535));/g;

/** Strips characters XML 1.0 forbids; returns the text and how many were removed. */
export function stripInvalidXmlChars(text: string): { text: string; stripped: number } {
  let stripped = 0;
  const out = text
    .replace(invalidChars, () => {
      stripped++;
      return '';
    })
    .replace(invalidCharRefs, () => {
      stripped++;
      return '';
    });
  return { text: out, stripped };
}

const predefined: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const entityRef = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;

/** Decodes the five predefined entities and character references (XML 1.0 §4.6, §4.1); nothing else. */
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(entityRef, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return predefined[name];
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}

function lineColumnOf(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: index - last };
}

/**
 * Checks what the parser must never see: a DOCTYPE (external entities, expansion bombs: XML 1.0 §2.8 lets a
 * DOCTYPE define entities, so none is accepted at all) and references to entities that are not predefined.
 */
function refuseHostileConstructs(text: string): void {
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (doctype) {
    throw new XmlError('XML_DOCTYPE', 'the response has a DOCTYPE or entity declaration, which is refused (no external entities or entity expansion)', lineColumnOf(text, doctype.index));
  }
  const withoutCdata = text.includes('<![CDATA[') ? text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length)) : text;
  const undefinedEntity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)([^\s;<&]{0,40})/.exec(withoutCdata);
  if (undefinedEntity) {
    throw new XmlError('XML_UNDEFINED_ENTITY', `the entity reference '&${undefinedEntity[1]}${undefinedEntity[1] ? ';' : ''}' is not defined (only &amp; &lt; &gt; &quot; &apos; exist without a DOCTYPE)`, lineColumnOf(text, undefinedEntity.index));
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Only the predefined entities and character references can occur: a DOCTYPE, the only place entities could be
  // defined, is refused before parsing (refuseHostileConstructs). (Entity processing on is also 5-10x faster here.)
  processEntities: true,
  jPath: false,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 200,
});

type OrderedNode = Record<string, unknown>;

function toElements(nodes: OrderedNode[], scope: ReadonlyMap<string, string>, out: XmlElement[], textParts: string[] | null): void {
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
    const ns = localScope.get(prefix);
    if (ns === undefined && prefix !== '') throw new XmlError('XML_NAMESPACE', `the prefix '${prefix}' of <${qname}> is not declared (Namespaces in XML 1.0 §5)`);
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
    const element: XmlElement = { ns: ns ?? '', name: colon === -1 ? qname : qname.slice(colon + 1), attrs, children: [], text: '' };
    const parts: string[] = [];
    toElements((node[qname] ?? []) as OrderedNode[], localScope, element.children, parts);
    element.text = parts.length === 1 ? parts[0] : parts.join('');
    out.push(element);
  }
}

const markupSafe: Record<number, string> = { 0x26: '&amp;', 0x3c: '&lt;', 0x22: '&quot;', 0x27: '&apos;' };

/**
 * Replaces character references (XML 1.0 §4.1) by their characters before parsing, since the parser leaves them
 * as written; the ones that would read as markup become predefined entities, which the parser decodes once.
 */
function resolveCharacterReferences(text: string): string {
  return text.replace(/&#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}));/g, (match, hex: string | undefined, dec: string | undefined) => {
    const code = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    if (code > 0x10ffff) return '';
    return markupSafe[code] ?? String.fromCodePoint(code);
  });
}

export interface ParseXmlOptions {
  /** Maximum size in bytes (UTF-8) of the text; default 64 MiB. */
  maxBytes?: number;
}

/** Parses a document into its root element. Throws XmlError with line and column when it is not well-formed. */
export function parseXml(input: string, options: ParseXmlOptions = {}): { root: XmlElement; stripped: number } {
  const maxBytes = options.maxBytes ?? defaultMaxXmlBytes;
  if (input.length > maxBytes || Buffer.byteLength(input) > maxBytes) throw new XmlError('XML_TOO_LARGE', `the response is larger than the limit of ${maxBytes} bytes`);
  const cleaned = stripInvalidXmlChars(input.replace(/^\uFEFF/, ''));
  let text = cleaned.text;
  const stripped = cleaned.stripped;
  refuseHostileConstructs(text);
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (text.includes('&#')) text = resolveCharacterReferences(text);
  if (verdict !== true) {
    throw new XmlError('XML_MALFORMED', `the XML is not well-formed: ${verdict.err.msg}`, { line: verdict.err.line, column: verdict.err.col });
  }
  const elements: XmlElement[] = [];
  toElements(parser.parse(text) as OrderedNode[], new Map([['xml', XML_NS]]), elements, null);
  if (elements.length !== 1) throw new XmlError('XML_MALFORMED', `the document must have exactly one root element, not ${elements.length}`);
  return { root: elements[0], stripped };
}

/** The namespace declarations in scope on the root start tag, as written (for re-parsing a fragment alone). */
export function rootNamespaceDeclarations(text: string): string {
  const start = /<(?![?!])[^\s>/]+([^>]*)>/.exec(text);
  if (!start) return '';
  return [...start[1].matchAll(/\sxmlns(?::[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g)].map((m) => m[0]).join('');
}

// ---- small helpers over XmlElement ----

export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name && c.ns === ns);
}

export function children(element: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name && c.ns === ns) : [];
}

/** The element's text with whitespace runs collapsed and ends trimmed. */
export function textOf(element: XmlElement | undefined): string {
  return element ? element.text.replace(/\s+/g, ' ').trim() : '';
}

/** All text under an element, depth first (for mixed content). */
export function deepText(element: XmlElement): string {
  return [element.text, ...element.children.map(deepText)].join(' ').replace(/\s+/g, ' ').trim();
}
