// Reading XML from partners, who are not trusted: one pass that checks well-formedness (XML 1.0 §2.1, the WFCs of
// §3) and builds the tree at once, no DOCTYPE (so no entity but the five predefined ones and character
// references), a size limit, invalid characters stripped, and names resolved to namespace URIs (never trusted by
// prefix: real servers write `oai:record`, `record` under a default namespace, or any other prefix for the same
// element). Its own reader rather than fast-xml-parser or saxes: fast-xml-parser needs a second full pass (its
// XMLValidator) to find a malformed or truncated page, and both read the harvest's pages several times slower
// (BENCHMARKS.md, "XML readers"). fast-xml-parser stays as the test suite's independent reader
// (test/harvester/helpers/reference-xml.ts), and xmllint decides there what is well-formed.
import { XmlError, type XmlErrorCode } from './errors.ts';

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
const invalidChars = new RegExp(
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.source +
    '|' +
    // a high surrogate not followed by a low one, or a low one not preceded by a high one
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.source,
  'g',
);
// The same characters written as character references (`&#1;`, `&#x1F;`) are just as illegal (§4.1 WFC: Legal
// Character).
const invalidCharRefs = new RegExp(
  '&#(?:' +
    // hexadecimal
    /x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])/.source +
    '|' +
    // decimal: 0-8, 11, 12, 14-31, the surrogates 55296-57343, 65534 and 65535
    /0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|6553[45])/.source +
    '|' +
    /0*(?:5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3])/.source +
    ');',
  'g',
);
// Every code unit that can start an illegal character (a surrogate may be legal, in a pair): no match, nothing to
// strip.
// eslint-disable-next-line no-control-regex
const anyInvalidChar = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Strips characters XML 1.0 forbids; returns the text and how many were removed. */
export function stripInvalidXmlChars(text: string): { text: string; stripped: number } {
  let stripped = 0;
  const count = () => {
    stripped++;
    return '';
  };
  // A page has no illegal character in the common case: one pass finds that out; references need '&#'.
  let out = text;
  if (anyInvalidChar.test(out)) out = out.replace(invalidChars, count);
  if (out.includes('&#')) out = out.replace(invalidCharRefs, count);
  return { text: out, stripped };
}

/** The index of the first `<!DOCTYPE` or `<!ENTITY` (any case), or -1; indexOf finds the rare `<!` quickly. */
function declarationIndex(text: string): number {
  for (let at = text.indexOf('<!'); at !== -1; at = text.indexOf('<!', at + 2)) {
    const word = text.slice(at + 2, at + 9).toUpperCase();
    if (word === 'DOCTYPE' || word.startsWith('ENTITY')) return at;
  }
  return -1;
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

export interface ParseXmlOptions {
  /** Maximum size in bytes (UTF-8) of the text; default 64 MiB. */
  maxBytes?: number;
  /** Deepest element nesting accepted; default 200 (OAI-PMH pages need about 10). */
  maxDepth?: number;
}

// Character codes the scanner compares against.
const GT = 0x3e,
  SLASH = 0x2f,
  BANG = 0x21,
  QUESTION = 0x3f,
  EQUALS = 0x3d,
  QUOTE = 0x22,
  APOS = 0x27;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

// XML 1.0 (5th ed.) §2.3 NameStartChar and NameChar; surrogates stand for the planes above U+FFFF
// ([#x10000-#xEFFFF]), which are checked for legality by stripInvalidXmlChars already.
function isNameStartChar(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNameChar(c: number): boolean {
  if (c < 0x80)
    return (
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f ||
      c === 0x3a ||
      c === 0x2d ||
      c === 0x2e
    );
  return isNameStartChar(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

// §4.1 and §4.6: the only references that exist without a DOCTYPE.
const reference = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;

interface Frame {
  qname: string;
  element: XmlElement;
  scope: ReadonlyMap<string, string>;
  start: number;
}

const rootScope: ReadonlyMap<string, string> = new Map([['xml', XML_NS]]);

/**
 * The scanner: one pass over the text, with indexOf for the long stretches (text, comments, CDATA). Every
 * well-formedness constraint that can apply without a DOCTYPE is checked: one root element, matching end tags,
 * unique attributes, quoted attribute values without '<', names by §2.3, references by §4.1, no ']]>' in text,
 * no '--' in comments, nothing but whitespace, comments and processing instructions around the root.
 */
function scan(text: string, maxDepth: number): XmlElement {
  const n = text.length;
  const fail = (message: string, at: number, code: XmlErrorCode = 'XML_MALFORMED'): never => {
    throw new XmlError(
      code,
      code === 'XML_MALFORMED' ? `the XML is not well-formed: ${message}` : message,
      lineColumnOf(text, Math.min(at, n)),
    );
  };

  // Replaces the references of a stretch of text or an attribute value; `offset` places errors in the document.
  const decode = (raw: string, offset: number): string => {
    let out = '';
    let last = 0;
    for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', last)) {
      reference.lastIndex = amp;
      const m = reference.exec(raw);
      if (!m) {
        const name = /^&([^\s;<&]{0,40})/.exec(raw.slice(amp))?.[1] ?? '';
        fail(
          `the entity reference '&${name}${name ? ';' : ''}' is not defined ` +
            '(only &amp; &lt; &gt; &quot; &apos; exist without a DOCTYPE)',
          offset + amp,
          'XML_UNDEFINED_ENTITY',
        );
      }
      out += raw.slice(last, amp);
      if (m![1] !== undefined) out += predefined[m![1]];
      else {
        const code = m![2] !== undefined ? Number.parseInt(m![2], 10) : Number.parseInt(m![3], 16);
        // Out of Unicode's range: dropped, like the illegal characters stripped before (§4.1 WFC: Legal Character).
        if (code <= 0x10ffff) out += String.fromCodePoint(code);
      }
      last = amp + m![0].length;
    }
    return out + raw.slice(last);
  };

  const scanName = (at: number): number => {
    if (at >= n || !isNameStartChar(text.charCodeAt(at))) return at;
    let p = at + 1;
    while (p < n && isNameChar(text.charCodeAt(p))) p++;
    return p;
  };

  const skipSpace = (at: number): number => {
    let p = at;
    while (p < n && isSpace(text.charCodeAt(p))) p++;
    return p;
  };

  let pos = 0;
  // §2.8: the XML declaration, when present, is the very first thing.
  if (text.startsWith('<?xml') && isSpace(text.charCodeAt(5))) {
    const end = text.indexOf('?>', 5);
    if (end === -1) fail('the XML declaration is not closed', 0);
    pos = end + 2;
  }
  let root: XmlElement | undefined;
  const stack: Frame[] = [];
  let current: Frame | undefined;

  while (pos < n) {
    const lt = text.indexOf('<', pos);
    const stop = lt === -1 ? n : lt;
    if (stop > pos) {
      if (current) {
        let raw = text.slice(pos, stop);
        // §2.4: ']]>' may not appear in character data.
        if (raw.includes(']]>')) fail("']]>' in text (escape '>' as &gt;)", pos + raw.indexOf(']]>'));
        if (raw.includes('&')) raw = decode(raw, pos);
        current.element.text += raw;
      } else {
        for (let p = pos; p < stop; p++)
          if (!isSpace(text.charCodeAt(p)))
            fail(root ? 'text after the root element' : 'text before the root element', p);
      }
    }
    if (lt === -1) break;
    const c = text.charCodeAt(lt + 1);
    if (c === SLASH) {
      // §3.1 WFC Element Type Match: the end tag names the element the start tag opened.
      const nameEnd = scanName(lt + 2);
      const name = text.slice(lt + 2, nameEnd);
      const close = skipSpace(nameEnd);
      if (text.charCodeAt(close) !== GT) fail(`the end tag </${name}> is not closed with '>'`, close);
      if (!current) fail(`the end tag </${name}> has no start tag`, lt);
      if (name !== current!.qname)
        fail(
          `the end tag </${name}> does not match the start tag <${current!.qname}> ` +
            `of line ${lineColumnOf(text, current!.start).line}`,
          lt,
        );
      stack.pop();
      current = stack[stack.length - 1];
      pos = close + 1;
    } else if (c === BANG) {
      if (text.startsWith('<!--', lt)) {
        const close = text.indexOf('-->', lt + 4);
        if (close === -1) fail('a comment is not closed (truncated?)', lt);
        // §2.5: '--' may not occur within a comment.
        const dashes = text.indexOf('--', lt + 4);
        if (dashes < close) fail("'--' inside a comment", dashes);
        pos = close + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        if (!current) fail('a CDATA section outside the root element', lt);
        const close = text.indexOf(']]>', lt + 9);
        if (close === -1) fail('a CDATA section is not closed (truncated?)', lt);
        current!.element.text += text.slice(lt + 9, close);
        pos = close + 3;
      } else if (/^<!(?:DOCTYPE|ENTITY)/i.test(text.slice(lt, lt + 9))) {
        fail(
          'the response has a DOCTYPE or entity declaration, which is refused ' +
            '(no external entities or entity expansion)',
          lt,
          'XML_DOCTYPE',
        );
      } else fail("'<!' that opens neither a comment nor a CDATA section", lt);
    } else if (c === QUESTION) {
      // §2.6: a processing instruction; its target is a name other than 'xml' (that is the declaration, first only).
      const nameEnd = scanName(lt + 2);
      const target = text.slice(lt + 2, nameEnd);
      if (!target || target.toLowerCase() === 'xml')
        fail(
          target ? 'an XML declaration not at the start of the document' : 'a processing instruction without a target',
          lt,
        );
      const close = text.indexOf('?>', nameEnd);
      if (close === -1) fail('a processing instruction is not closed', lt);
      if (close !== nameEnd && !isSpace(text.charCodeAt(nameEnd)))
        fail(`the processing instruction target '${target}' is followed by neither whitespace nor '?>'`, nameEnd);
      pos = close + 2;
    } else {
      // §3.1 start tag or empty-element tag.
      const nameEnd = scanName(lt + 1);
      if (nameEnd === lt + 1) fail("'<' that starts no tag (write &lt; in text)", lt);
      if (current === undefined && root !== undefined) fail('a second root element (a document has exactly one)', lt);
      if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth}`, lt, 'XML_TOO_DEEP');
      const qname = text.slice(lt + 1, nameEnd);
      let p = nameEnd;
      let names: string[] | undefined;
      let values: string[] | undefined;
      let selfClosing = false;
      for (;;) {
        const afterSpace = skipSpace(p);
        const d = text.charCodeAt(afterSpace);
        if (d === GT) {
          p = afterSpace + 1;
          break;
        }
        if (d === SLASH && text.charCodeAt(afterSpace + 1) === GT) {
          selfClosing = true;
          p = afterSpace + 2;
          break;
        }
        if (afterSpace >= n) fail(`the start tag <${qname}> is not closed (truncated?)`, lt);
        if (afterSpace === p) fail(`unexpected character in the start tag <${qname}>`, p);
        const attrEnd = scanName(afterSpace);
        if (attrEnd === afterSpace) fail(`unexpected character in the start tag <${qname}>`, afterSpace);
        const name = text.slice(afterSpace, attrEnd);
        let q = skipSpace(attrEnd);
        if (text.charCodeAt(q) !== EQUALS)
          fail(`the attribute ${name} of <${qname}> has no value (XML has no boolean attributes)`, q);
        q = skipSpace(q + 1);
        const quote = text.charCodeAt(q);
        if (quote !== QUOTE && quote !== APOS)
          fail(`the value of the attribute ${name} of <${qname}> is not quoted`, q);
        const close = text.indexOf(quote === QUOTE ? '"' : "'", q + 1);
        if (close === -1) fail(`the value of the attribute ${name} of <${qname}> is not closed (truncated?)`, q);
        let value = text.slice(q + 1, close);
        // §3.1 WFC No < in Attribute Values.
        if (value.includes('<'))
          fail(`'<' in the value of the attribute ${name} of <${qname}>`, q + 1 + value.indexOf('<'));
        // §3.3.3 attribute-value normalisation: literal whitespace characters become spaces (references stay as
        // written).
        if (/[\t\n\r]/.test(value)) value = value.replace(/[\t\n\r]/g, ' ');
        if (value.includes('&')) value = decode(value, q + 1);
        names ??= [];
        values ??= [];
        // §3.1 WFC Unique Att Spec.
        if (names.includes(name)) fail(`the attribute ${name} appears twice in <${qname}>`, afterSpace);
        names.push(name);
        values.push(value);
        p = close + 1;
      }
      const parentScope = current ? current.scope : rootScope;
      let scope = parentScope;
      if (names) {
        for (let i = 0; i < names.length; i++) {
          const name = names[i];
          if (name === 'xmlns' || name.startsWith('xmlns:')) {
            if (scope === parentScope) scope = new Map(parentScope);
            (scope as Map<string, string>).set(name === 'xmlns' ? '' : name.slice(6), values![i]);
          }
        }
      }
      const colon = qname.indexOf(':');
      const prefix = colon === -1 ? '' : qname.slice(0, colon);
      const ns = scope.get(prefix);
      if (ns === undefined && prefix !== '')
        fail(`the prefix '${prefix}' of <${qname}> is not declared (Namespaces in XML 1.0 §5)`, lt, 'XML_NAMESPACE');
      const attrs: Record<string, string> = {};
      if (names) {
        for (let i = 0; i < names.length; i++) {
          const name = names[i];
          if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
          const ac = name.indexOf(':');
          if (ac === -1) attrs[name] = values![i];
          else {
            const ap = name.slice(0, ac);
            attrs[ap === 'xml' ? name : `${scope.get(ap) ?? ap}|${name.slice(ac + 1)}`] = values![i];
          }
        }
      }
      const element: XmlElement = {
        ns: ns ?? '',
        name: colon === -1 ? qname : qname.slice(colon + 1),
        attrs,
        children: [],
        text: '',
      };
      if (current) current.element.children.push(element);
      else root = element;
      if (!selfClosing) {
        current = { qname, element, scope, start: lt };
        stack.push(current);
      }
      pos = p;
    }
  }
  if (current)
    fail(
      `the document ends inside <${current.qname}> of line ${lineColumnOf(text, current.start).line} (truncated?)`,
      n,
    );
  if (!root) fail('the document has no root element', 0);
  return root!;
}

/**
 * The guards every document from a partner passes before it is read: the size limit (XML_TOO_LARGE), a byte-order
 * mark dropped, characters XML 1.0 forbids stripped, line ends normalised, and any DOCTYPE or entity declaration
 * refused (XML_DOCTYPE). Returns the text to scan and how many characters were stripped.
 */
export function prepareXml(input: string, maxBytes = defaultMaxXmlBytes): { text: string; stripped: number } {
  if (input.length > maxBytes || Buffer.byteLength(input) > maxBytes)
    throw new XmlError('XML_TOO_LARGE', `the response is larger than the limit of ${maxBytes} bytes`);
  const cleaned = stripInvalidXmlChars(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  // XML 1.0 §2.11: CR LF and a lone CR are read as LF, before anything else.
  const text = cleaned.text.includes('\r') ? cleaned.text.replace(/\r\n?/g, '\n') : cleaned.text;
  // XML 1.0 §2.8 lets a DOCTYPE define entities (external ones, expansion bombs): none is accepted, wherever it
  // stands, before anything else is looked at (the scanner refuses one in markup too).
  const doctype = declarationIndex(text);
  if (doctype !== -1)
    throw new XmlError(
      'XML_DOCTYPE',
      'the response has a DOCTYPE or entity declaration, which is refused (no external entities or entity expansion)',
      lineColumnOf(text, doctype),
    );
  return { text, stripped: cleaned.stripped };
}

/** Parses a document into its root element. Throws XmlError with line and column when it is not well-formed. */
export function parseXml(input: string, options: ParseXmlOptions = {}): { root: XmlElement; stripped: number } {
  const { text, stripped } = prepareXml(input, options.maxBytes);
  return { root: scan(text, options.maxDepth ?? 200), stripped };
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
  if (!element) return '';
  // Most values hold single spaces only: then trimming is all there is to do (one scan instead of a replace).
  const text = element.text;
  return text.includes('  ') || /[^\S ]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim();
}

/** All text under an element, depth first (for mixed content). */
export function deepText(element: XmlElement): string {
  return [element.text, ...element.children.map(deepText)].join(' ').replace(/\s+/g, ' ').trim();
}
