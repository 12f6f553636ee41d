// Compact identifiers (`prefix:local id`) of the resources an entry may name, read from the Bioregistry records
// copied into bioregistry-subset.json (see bioregistry-subset.md for source and licence). Each field is taken the way
// the Bioregistry resolves it: its own curated value first, then the registries it aligns (MIRIAM first).
import records from './bioregistry-subset.json' with { type: 'json' };

/** What the catalogue knows of one prefix. */
export interface IdentifierScheme {
  /** The Bioregistry prefix, lower case: `emdb`, `pdb`. */
  prefix: string;
  name: string;
  /** The Bioregistry pattern, held to the whole local id (some registered patterns anchor only one alternative). */
  pattern: RegExp;
  /** The pattern as the Bioregistry writes it, for messages. */
  patternText: string;
  /** The page of a local id: `$1` is replaced by the id. */
  uriFormat: string;
  /** One valid local id, for messages. */
  example: string;
}

interface RegistryRecord {
  name?: string;
  pattern?: string;
  uri_format?: string;
  example?: string;
  synonyms?: string[];
  miriam?: { name?: string; pattern?: string; uri_format?: string; sampleId?: string };
  n2t?: { name?: string; pattern?: string; uri_format?: string; example?: string };
}

/**
 * Where the copied records lag behind the archives they describe, kept apart so that the copy stays verbatim: EMDB
 * has issued five-digit ids since EMD-10000 (2019), which the MIRIAM pattern of the copy, ^EMD-\d{4}$, refuses.
 */
const corrections: Readonly<Record<string, Pick<RegistryRecord, 'pattern'>>> = {
  emdb: { pattern: '^EMD-\\d{4,5}$' },
};

// Bioregistry `Resource.get_pattern` / `get_uri_format` / `get_example`: own value, then MIRIAM, then N2T.
function toScheme(prefix: string, copied: RegistryRecord): IdentifierScheme {
  const record = { ...copied, ...corrections[prefix] };
  const pick = (field: 'name' | 'pattern' | 'uri_format') =>
    record[field] ?? record.miriam?.[field] ?? record.n2t?.[field];
  const pattern = pick('pattern');
  const uriFormat = pick('uri_format');
  const example = record.example ?? record.miriam?.sampleId ?? record.n2t?.example;
  if (!pattern || !uriFormat || !example) throw new Error(`bioregistry-subset.json: ${prefix} lacks a field`);
  const name = pick('name') ?? prefix;
  return { prefix, name, pattern: new RegExp(`^(?:${pattern})$`), patternText: pattern, uriFormat, example };
}

const registry = records as Record<string, RegistryRecord>;

/** Every prefix an entry may use, by lower-case prefix. */
export const identifierSchemes: ReadonlyMap<string, IdentifierScheme> = new Map(
  Object.entries(registry).map(([prefix, record]) => [prefix, toScheme(prefix, record)]),
);

/** Other spellings the Bioregistry lists for a prefix (`PMID` for pubmed), lower case. */
const synonyms: ReadonlyMap<string, string> = new Map(
  Object.entries(registry).flatMap(([prefix, record]) =>
    (record.synonyms ?? []).map((synonym) => [synonym.toLowerCase(), prefix] as const),
  ),
);

export type CompactIdentifierVerdict =
  | { ok: true; scheme: IdentifierScheme; localId: string; url: string }
  | { ok: false; reason: 'shape' | 'prefix' | 'localId'; suggestion?: string; scheme?: IdentifierScheme };

/**
 * Checks a compact identifier against its prefix's pattern. On failure says what is wrong and, where one is near,
 * the identifier the writer most likely meant (`EMDB:EMD-1234` → `emdb:EMD-1234`, `empair:10326` → `empiar:10326`).
 */
export function parseCompactIdentifier(curie: string): CompactIdentifierVerdict {
  const colon = curie.indexOf(':');
  if (colon <= 0) return { ok: false, reason: 'shape', suggestion: suggestWithoutPrefix(curie) };
  const written = curie.slice(0, colon);
  const localId = curie.slice(colon + 1);
  const scheme = identifierSchemes.get(written);
  if (!scheme) {
    const meant = nearestPrefix(written);
    const suggestion = meant ? `${meant}:${localId}` : undefined;
    return { ok: false, reason: 'prefix', suggestion };
  }
  if (!scheme.pattern.test(localId)) {
    return { ok: false, reason: 'localId', scheme, suggestion: repairLocalId(scheme, localId) };
  }
  return {
    ok: true,
    scheme,
    localId,
    url: scheme.uriFormat.replace('$1', encodeURIComponent(localId).replace(/%2F/g, '/')),
  };
}

/** The registered prefix meant by a mis-cased, synonymous or mistyped one (edit distance at most 2). */
export function nearestPrefix(written: string): string | undefined {
  const lower = written.toLowerCase();
  if (identifierSchemes.has(lower)) return lower;
  const synonym = synonyms.get(lower);
  if (synonym) return synonym;
  let best: { prefix: string; distance: number } | undefined;
  for (const prefix of identifierSchemes.keys()) {
    const distance = editDistance(lower, prefix);
    if (distance <= 2 && (!best || distance < best.distance)) best = { prefix, distance };
  }
  return best?.prefix;
}

// Common slips: a URL prefix or the prefix written twice (`emdb:emdb:EMD-1`), spaces, a lower-case letter part.
function repairLocalId(scheme: IdentifierScheme, localId: string): string | undefined {
  const candidates = [
    localId.trim(),
    localId.replace(new RegExp(`^${scheme.prefix}:`, 'i'), ''),
    localId.toUpperCase(),
    localId.toLowerCase(),
    scheme.prefix === 'emdb' ? `EMD-${localId.replace(/^\D*/, '')}` : '',
    scheme.prefix === 'idr' ? localId.replace(/^idr/i, '') : '',
  ];
  const fixed = candidates.find((candidate) => candidate && candidate !== localId && scheme.pattern.test(candidate));
  return fixed ? `${scheme.prefix}:${fixed}` : undefined;
}

// An id written without a prefix: the one scheme whose ids have a shape of their own (EMD-, S-, 10.) and match it.
// Bare numbers are left alone: an EMPIAR, PubMed and IDR id all look alike.
function suggestWithoutPrefix(localId: string): string | undefined {
  const specific = ['emdb', 'biostudies', 'doi'];
  const matches = specific.filter((prefix) => identifierSchemes.get(prefix)?.pattern.test(localId));
  return matches.length === 1 ? `${matches[0]}:${localId}` : undefined;
}

/** Levenshtein distance (insertions, deletions, substitutions), for the short strings prefixes are. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
