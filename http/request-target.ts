// The request target of the project's public servers (the OAI-PMH provider, the static site server), read without
// `new URL(target, base)`: that call throws on targets a client may send (`//%` is a scheme-relative URL with an
// invalid host), and reads `//host/path` as another host, not as a path. RFC 9112 §3.2: a server takes the
// origin-form (`/path?query`) and the absolute-form (`http://host/path?query`); anything else here is a 400, and so
// is a path with a '%' not followed by two hex digits (RFC 3986 §2.1). A query is left to the form decoder
// (WHATWG URL §5.1), which reads such a '%' as itself.

const percentEncoded = /^(?:[^%]|%[0-9A-Fa-f]{2})*$/;

export interface RequestTarget {
  /** The path as sent, still percent-encoded; always starts with '/'. */
  pathname: string;
  /** The query as sent, without its '?' ('' when there is none). */
  query: string;
}

/** Splits a request target into path and query; undefined when it is neither origin- nor absolute-form. */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (!target) return undefined;
  if (target.startsWith('/')) {
    const mark = target.indexOf('?');
    const pathname = mark < 0 ? target : target.slice(0, mark);
    return percentEncoded.test(pathname) ? { pathname, query: mark < 0 ? '' : target.slice(mark + 1) } : undefined;
  }
  // RFC 9112 §3.2.2: absolute-form, which a server must accept although only proxies are sent it.
  if (/^https?:\/\//i.test(target)) {
    try {
      const url = new URL(target);
      return { pathname: url.pathname, query: url.search.slice(1) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}
