// FAIR Signposting (https://signposting.org/FAIR/) of an entry page, levels 1 and 2: the typed links that let a
// machine go from the landing page to its persistent identifier, its metadata, its files, its licence and its
// authors. One list of links gives the three forms: HTML <link> elements, the HTTP Link header (RFC 8288 §3) and
// the JSON linkset (RFC 9264 §4.2, application/linkset+json).
import type { CatalogueInfo, DatasetView } from './dataset-view.ts';
import { licenceUrl } from './licence-url.ts';
import { mediaTypeOf } from './media-types.ts';

export const linksetMediaType = 'application/linkset+json';
/** The name of the linkset beside each entry page. */
export const linksetFileName = 'linkset.json';

/** One typed link from the entry page (the link context). */
export interface Signpost {
  rel: 'cite-as' | 'describedby' | 'item' | 'license' | 'author' | 'type' | 'linkset';
  href: string;
  /** Media type of the target (RFC 8288 §3.4.1 `type`). */
  type?: string;
  /** The profile the target follows (RFC 6906), for `describedby`. */
  profile?: string;
}

/** A metadata document about the entry, for `describedby`. */
export interface MetadataDocument {
  href: string;
  type: string;
  profile: string;
}

export interface SignpostInput {
  view: DatasetView;
  info: CatalogueInfo;
  /** The record's DOI, without https://doi.org/; given, it is `cite-as` instead of the page. */
  doi?: string;
  /** The metadata documents (schema.org JSON-LD, DataCite XML, RO-Crate...). */
  metadata: MetadataDocument[];
  /** The record's files; those with an HTTP(S) address become `item` links. */
  files: { url?: string; format?: string }[];
  /** Address of the linkset itself. */
  linkset: string;
}

/** signposting.org/FAIR: the landing page is an AboutPage of a Dataset. */
const pageTypes = ['https://schema.org/AboutPage', 'https://schema.org/Dataset'];
const isHttp = (url: string | undefined): url is string => typeof url === 'string' && /^https?:\/\//i.test(url);

/**
 * Above this many files, `item` links stay in the linkset only: signposting.org/FAIR ("Level 2") moves long
 * lists of links out of the page and its headers into the linkset, which has them all.
 */
export const inlineItemLimit = 50;

/** Every signpost of the entry page, in the order of the FAIR Signposting profile. */
export function entrySignposts(input: SignpostInput): Signpost[] {
  const { view } = input;
  const doi = input.doi?.replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  return [
    { rel: 'cite-as', href: doi ? `https://doi.org/${doi}` : view.url },
    ...input.metadata.map((m) => ({ rel: 'describedby' as const, ...m })),
    ...input.files
      .filter((f) => isHttp(f.url))
      .map((f) => ({ rel: 'item' as const, href: f.url!, type: mediaTypeOf(f.format) })),
    ...(view.license ? [{ rel: 'license' as const, href: licenceUrl(view.license) }] : []),
    // Signposting `author` targets identify people: ORCID iDs only, a name is not a link.
    ...view.authors.filter((a) => a.orcid).map((a) => ({ rel: 'author' as const, href: a.orcid! })),
    ...pageTypes.map((href) => ({ rel: 'type' as const, href })),
    { rel: 'linkset', href: input.linkset, type: linksetMediaType },
  ];
}

/** The signposts a page and its headers carry: all, less the items when there are more than `inlineItemLimit`. */
export function inlineSignposts(signposts: Signpost[]): Signpost[] {
  const items = signposts.filter((s) => s.rel === 'item').length;
  return items > inlineItemLimit ? signposts.filter((s) => s.rel !== 'item') : signposts;
}

type LinkTarget = { href: string; type?: string; profile?: string[] };
export type Linkset = { linkset: ({ anchor: string } & Record<string, LinkTarget[] | string>)[] };

const target = (s: { href: string; type?: string; profile?: string }): LinkTarget => ({
  href: s.href,
  ...(s.type ? { type: s.type } : {}),
  // RFC 9264 §4.2.4.3: a target attribute RFC 8288 does not define (profile) is an array of strings.
  ...(s.profile ? { profile: [s.profile] } : {}),
});

/**
 * The linkset document (RFC 9264 §4.2.2): the page's links, and for level 2 the way back from each metadata
 * document (`describes`) and each file (`collection`) to the page.
 */
export function toLinkset(anchor: string, signposts: Signpost[]): Linkset {
  const page: Record<string, LinkTarget[]> = {};
  for (const s of signposts.filter((s) => s.rel !== 'linkset')) (page[s.rel] ??= []).push(target(s));
  const back = (rel: 'describes' | 'collection', s: Signpost) => ({
    anchor: s.href,
    [rel]: [{ href: anchor, type: 'text/html' }],
  });
  return {
    linkset: [
      { anchor, ...page },
      ...signposts.filter((s) => s.rel === 'describedby').map((s) => back('describes', s)),
      ...signposts.filter((s) => s.rel === 'item').map((s) => back('collection', s)),
    ],
  };
}

/** RFC 8288 §3 quoted-string (RFC 9110 §5.6.4): backslash and double quote escaped. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** RFC 8288 §3.3 relation-type: a registered name (lower case) or an absolute URI. */
const relationType = /^([a-z][a-z0-9.-]*|[a-z][a-z0-9+.-]*:[\x21-\x7e]+)$/;
/** RFC 9110 §5.6.4 qdtext and quoted-pair: visible ASCII and space only (no line break can reach a header). */
const headerText = /^[\x20-\x7e]*$/;
/** RFC 3986 §2: the characters a URI may hold (so none of '<', '>', space or quote that would end the target). */
const uriCharacters = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;

/**
 * The Link header field value (RFC 8288 §3). Targets are URLs as `new URL().href` writes them, so they hold no
 * '>', space or line break; a signpost whose href is not such a URL, whose relation is not a relation type or
 * whose attributes are not header text is left out rather than sent broken.
 */
export function renderLinkHeader(signposts: Signpost[]): string {
  return signposts
    .filter(
      (s) =>
        URL.canParse(s.href) &&
        new URL(s.href).href === s.href &&
        uriCharacters.test(s.href) &&
        relationType.test(s.rel) &&
        headerText.test(s.type ?? '') &&
        headerText.test(s.profile ?? ''),
    )
    .map(
      (s) =>
        `<${s.href}>; rel=${quoted(s.rel)}` +
        (s.type ? `; type=${quoted(s.type)}` : '') +
        (s.profile ? `; profile=${quoted(s.profile)}` : ''),
    )
    .join(', ');
}

/**
 * The page's links read back from a linkset document this module wrote (its first context is the page), with
 * the `linkset` link to the document itself; undefined for anything else, so that a damaged file gives no header
 * rather than a wrong one.
 */
export function pageSignposts(document: unknown, linksetUrl: string): Signpost[] | undefined {
  const context = (document as Linkset | undefined)?.linkset?.[0];
  if (typeof context !== 'object' || context === null || typeof context.anchor !== 'string') return undefined;
  const out: Signpost[] = [];
  for (const [rel, targets] of Object.entries(context)) {
    if (rel === 'anchor') continue;
    if (!Array.isArray(targets)) return undefined;
    for (const t of targets as unknown[]) {
      const link = t as Partial<LinkTarget> | null;
      if (typeof link?.href !== 'string') return undefined;
      out.push({
        rel: rel as Signpost['rel'],
        href: link.href,
        ...(typeof link.type === 'string' ? { type: link.type } : {}),
        ...(typeof link.profile?.[0] === 'string' ? { profile: link.profile[0] } : {}),
      });
    }
  }
  return [...out, { rel: 'linkset', href: linksetUrl, type: linksetMediaType }];
}
