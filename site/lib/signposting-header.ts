// The Link header of an entry page (RFC 8288 §3, FAIR Signposting level 1), read from the linkset.json the build
// wrote beside the page, so that the server needs no catalogue and the header always says what the linkset says.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  inlineSignposts,
  linksetFileName,
  linksetMediaType,
  pageSignposts,
  renderLinkHeader,
} from '../../catalog/exports/linkset.ts';
import { roCrateFileName } from '../../catalog/exports/ro-crate.ts';
import { citationFiles } from './citation-files.ts';

/** A linkset of the site is a few kilobytes; a larger file is not one this build wrote. */
const maxLinksetBytes = 1024 * 1024;

/**
 * Types of the site files whose name, not their extension, says what they are: linkset.json (RFC 9264 §6.2) and
 * the RO-Crate metadata file (JSON-LD, RO-Crate 1.2 §Retrieving an RO-Crate), DataCite XML.
 */
const typesByName: Record<string, string> = {
  [linksetFileName]: linksetMediaType,
  [roCrateFileName]: 'application/ld+json',
  // DataCite's registered type (IANA), which the `describedby` link states.
  [citationFiles.datacite]: 'application/vnd.datacite.datacite+xml',
};

export function typeOfSiteFile(path: string): string | undefined {
  const name = basename(path);
  return Object.hasOwn(typesByName, name) ? typesByName[name] : undefined;
}

/** The Link header value for a page at `path` (a file of the site), or undefined when it has no linkset. */
export async function signpostingHeader(path: string): Promise<string | undefined> {
  if (basename(path) !== 'index.html') return undefined;
  const linksetPath = join(dirname(path), linksetFileName);
  const info = await stat(linksetPath).catch(() => undefined);
  if (!info?.isFile() || info.size > maxLinksetBytes) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(await readFile(linksetPath, 'utf8'));
  } catch {
    return undefined;
  }
  const anchor = (document as { linkset?: { anchor?: unknown }[] })?.linkset?.[0]?.anchor;
  // The page's own http(s) address: an opaque URL ("a:") parses but is no base for the linkset's address.
  if (typeof anchor !== 'string' || !/^https?:\/\//i.test(anchor) || !URL.canParse(linksetFileName, anchor))
    return undefined;
  const signposts = pageSignposts(document, new URL(linksetFileName, anchor).href);
  const header = signposts && renderLinkHeader(inlineSignposts(signposts));
  return header || undefined;
}
