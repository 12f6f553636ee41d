// Licences are SPDX identifiers or expressions; the list comes from the maintained spdx-license-ids package.
import { createRequire } from 'node:module';
import parseSpdx from 'spdx-expression-parse';

const require = createRequire(import.meta.url);
const current = new Set<string>(require('spdx-license-ids'));
const deprecated = new Set<string>(require('spdx-license-ids/deprecated'));

export type LicenceVerdict = { ok: true; deprecated: boolean } | { ok: false; suggestion?: string };

const lowerCaseIndex = new Map([...current].map((id) => [id.toLowerCase(), id]));

/** Checks an SPDX licence expression; suggests the right spelling for a mis-cased or loosely written id. */
export function checkLicence(expression: string): LicenceVerdict {
  try {
    const ids = collectIds(parseSpdx(expression) as SpdxNode);
    return { ok: true, deprecated: ids.some((id) => deprecated.has(id)) };
  } catch {
    const normalised = expression.trim().replace(/\s+/g, '-').toLowerCase();
    return {
      ok: false,
      suggestion: lowerCaseIndex.get(normalised) ?? lowerCaseIndex.get(normalised.replace(/^cc-?by/, 'cc-by')),
    };
  }
}

type SpdxNode = { license?: string; left?: SpdxNode; right?: SpdxNode };

function collectIds(node: SpdxNode): string[] {
  if (node.license) return [node.license];
  return [...(node.left ? collectIds(node.left) : []), ...(node.right ? collectIds(node.right) : [])];
}
