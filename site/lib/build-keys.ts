// The keys of an incremental build (build-cache.ts): a digest of everything one output shows. An output whose key
// equals the previous build's is not written again. Both processes of a build compute the same keys from the same
// snapshot (Astro for the pages, the index process for the data files and the search shards), so each decides
// alone what it must write.
//
// What one entry shows is its published record (the snapshot line, which holds the manifest and a last-good
// notice), and of the rest of the catalogue only: whether the accession that replaces a withdrawn one is
// published, its labels and its usage counts. Everything else that reaches every page (the code, the site's name
// and address, the mirrors) is in the site digest, set once per build (SITE_INPUTS_DIGEST); a different site
// digest makes the whole build cold.
import { hash } from 'node:crypto';
import type { PublishedRecord } from './published.ts';

/**
 * SHA-256, hex, of the parts each followed by a separator that no part holds. One-shot `crypto.hash`: a build
 * takes several digests per record, and a Hash object per digest cost twice the time for short parts.
 */
export function digestOf(...parts: string[]): string {
  return hash('sha256', parts.join('\u0000') + '\u0000', 'hex');
}

const recordDigests = new WeakMap<object, string>();

/** Remembers the digest of the snapshot line a record was parsed from (snapshot.ts), so it is not serialised again. */
export function rememberRecordDigest(record: PublishedRecord, lineDigest: string): void {
  recordDigests.set(record, lineDigest);
}

/** The digest of a published record: of its snapshot line when it came from one, else of its JSON. */
export function recordDigest(record: PublishedRecord): string {
  let known = recordDigests.get(record);
  if (!known) {
    known = digestOf(JSON.stringify(record));
    recordDigests.set(record, known);
  }
  return known;
}

/** What one entry shows beyond its own record. */
export interface EntryContext {
  /** For a tombstone: is the accession that replaces it published (its page links to it only then)? */
  replacementPublished: boolean;
  /** Its labels (labels.ts labelsOf) and the filters and meta they add to its search record. */
  labels: unknown;
  /** Its usage counts as its page shows them (usage-report.ts entryUsage). */
  usage: unknown;
}

/** The key of an entry's outputs: its page, its image pages, its data files and its part of the search index. */
export function entryKey(siteDigest: string, record: PublishedRecord, context: EntryContext): string {
  return digestOf(siteDigest, recordDigest(record), JSON.stringify(context));
}

/** The site digest of this build (see above); '' when the build is not incremental. */
export const siteDigestFromEnv = (env: NodeJS.ProcessEnv = process.env) => env.SITE_INPUTS_DIGEST ?? '';
