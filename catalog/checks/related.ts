// Checks of study.related: each compact identifier has a known Bioregistry prefix and a local id its pattern accepts.
import { parseCompactIdentifier } from './bioregistry.ts';
import { identifierSchemes } from './bioregistry.ts';
import { joinPointer } from '../problems.ts';
import type { Finding } from '../validate.ts';

const knownPrefixes = () => [...identifierSchemes.keys()].join(', ');

/** XREF_PREFIX_UNKNOWN and XREF_ID_INVALID findings, each with the identifier most likely meant. */
export function relatedFindings(related: unknown): Finding[] {
  if (!Array.isArray(related)) return [];
  const out: Finding[] = [];
  const seen = new Map<string, number>();
  related.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || typeof (item as { id?: unknown }).id !== 'string') return;
    const { id, relation } = item as { id: string; relation?: unknown };
    const pointer = joinPointer('study', 'related', i, 'id');
    const key = `${id} ${String(relation)}`;
    if (seen.has(key)) {
      out.push({
        pointer,
        code: 'XREF_DUPLICATE',
        message: `'${id}' with relation ${String(relation)} is listed twice (items ${seen.get(key)} and ${i})`,
        fix: 'remove one of them',
        severity: 'warning',
      });
    }
    seen.set(key, i);
    const verdict = parseCompactIdentifier(id);
    if (verdict.ok) return;
    const meant = verdict.suggestion ? `did you mean '${verdict.suggestion}'?` : undefined;
    if (verdict.reason === 'localId' && verdict.scheme) {
      const { scheme } = verdict;
      out.push({
        pointer,
        code: 'XREF_ID_INVALID',
        message: `'${id}' is not a valid ${scheme.name} id (the Bioregistry pattern is ${scheme.patternText})`,
        fix: meant ?? `write it like ${scheme.prefix}:${scheme.example}`,
        severity: 'error',
      });
    } else {
      out.push({
        pointer,
        code: 'XREF_PREFIX_UNKNOWN',
        message:
          verdict.reason === 'shape'
            ? `'${id}' has no prefix: write it as prefix:id`
            : `'${id.slice(0, id.indexOf(':'))}' is not a prefix this catalogue knows`,
        fix: meant ?? `use one of the Bioregistry prefixes ${knownPrefixes()}, e.g. emdb:EMD-1234`,
        severity: 'error',
      });
    }
  });
  return out;
}
