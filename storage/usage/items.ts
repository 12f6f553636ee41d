// Which dataset a request is for, and what kind of use it is (COUNTER CoP for Research Data, "Metric Types"):
// "Any user activity that can be attributed to a Dataset will be considered an Investigation, including
// downloading"; "Requests are limited to user activity related to retrieving or viewing the Dataset itself".
// - the entry's page, its JSON and its citation files (site paths `entries/<ACCESSION>/...`,
//   `entries/<ACCESSION>.json`): an investigation;
// - an object of the entry in a mirror (`<prefix><ACCESSION>/<path>`): a request, which is an investigation too.
// Previews under `.derived/previews/` are pictures on the entry's page, so they count as nothing of their own.
import { isValidAccession } from '../../catalog/accession.ts';

export type UseKind = 'investigation' | 'request';

export interface DatasetUse {
  accession: string;
  kind: UseKind;
}

const entryPage = /(?:^|\/)entries\/(BIC\d{7})(?:\/|\.json$|$)/;
const entryObject = /^(BIC\d{7})\/(.+)$/;

/** Percent-decoding that never throws (a malformed escape leaves the text as it is). */
function decode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The dataset use of a request target: an object key (S3 logs) or a URL path (site and web-server logs), with the
 * mirror's prefix (`prefix`, e.g. `catalogue/`) in front of object keys. Undefined when the target is nothing of
 * an entry (the home page, search, a scanner's probe) or its accession's check digit is wrong.
 */
export function datasetUseOf(target: string, targetKind: 'key' | 'path', prefix = ''): DatasetUse | undefined {
  let path = decode(target);
  if (targetKind === 'path') {
    const page = entryPage.exec(path);
    if (page) return isValidAccession(page[1]) ? { accession: page[1], kind: 'investigation' } : undefined;
    path = path.replace(/^\/+/, '');
  }
  if (prefix && !path.startsWith(prefix)) return undefined;
  const object = entryObject.exec(path.slice(prefix.length));
  if (!object || !isValidAccession(object[1])) return undefined;
  if (object[2].startsWith('.derived/previews/') || object[2].endsWith('/')) return undefined;
  return { accession: object[1], kind: 'request' };
}

/**
 * The item a double-click is judged on (COUNTER CoP for Research Data, "Double-click Filtering": "repeated access
 * to a web accessible resource", "the same URL"): the target, with an entry page's `index.html` and trailing
 * slash folded so that `entries/X/` and `entries/X/index.html` are one page.
 */
export function itemOf(target: string): string {
  return target.replace(/\/index\.html$/, '/').replace(/\/+$/, '');
}
