// harvester/partners.yaml: the partner archives, checked against schemas/partner.schema.json and beyond it
// (cron expressions, unique ids). Every problem is reported with its file, line and field.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { validate as validateCron } from 'node-cron';
import type { Partner, Partners } from '../schemas/index.ts';
import { CatalogError, SourceFileError } from '../catalog/errors.ts';
import { formatProblem, joinPointer, sourceProblem, type Problem } from '../catalog/problems.ts';
import { parseSource } from '../catalog/source.ts';
import { locateFindings, schemaFindings, type Finding } from '../catalog/validate.ts';

/** The repository's partner registry. */
export const defaultPartnersFile = fileURLToPath(new URL('./partners.yaml', import.meta.url));

/** Problems of a partners document (empty when it is valid). `file` names it in the problems. */
export function partnerProblems(file: string, text: string): { partners?: Partners; problems: Problem[] } {
  let document;
  try {
    document = parseSource(file, text);
  } catch (error) {
    if (error instanceof SourceFileError) return { problems: [{ ...sourceProblem(error), file }] };
    throw error;
  }
  const findings: Finding[] = schemaFindings('partner', document.data);
  const partners = (document.data as Partners | null)?.partners;
  if (Array.isArray(partners)) {
    const seen = new Set<string>();
    partners.forEach((partner: Partner, i) => {
      if (typeof partner?.schedule === 'string' && !validateCron(partner.schedule)) {
        findings.push({
          pointer: joinPointer('partners', i, 'schedule'),
          code: 'CRON_INVALID',
          message: `'${partner.schedule}' is not a cron expression`,
          fix: "write minute hour day month weekday, e.g. '0 3 * * *' for 03:00 every day",
          severity: 'error',
        });
      }
      if (typeof partner?.id === 'string') {
        if (seen.has(partner.id))
          findings.push({
            pointer: joinPointer('partners', i, 'id'),
            code: 'DUPLICATE_ID',
            message: `the partner id '${partner.id}' is used twice`,
            fix: 'give each partner its own id',
            severity: 'error',
          });
        seen.add(partner.id);
      }
    });
  }
  const problems = locateFindings(document, findings);
  return { partners: problems.some((p) => p.severity === 'error') ? undefined : (document.data as Partners), problems };
}

/** Reads and checks a partners file; throws CatalogError PARTNERS_INVALID listing every problem. */
export async function loadPartners(
  path = defaultPartnersFile,
  displayName = 'harvester/partners.yaml',
): Promise<Partners> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CatalogError('PARTNERS_UNREADABLE', `cannot read ${displayName}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { partners, problems } = partnerProblems(displayName, text);
  if (!partners)
    throw new CatalogError(
      'PARTNERS_INVALID',
      `${displayName} has problems:\n${problems.map(formatProblem).join('\n')}`,
    );
  return partners;
}

/** A partner id for an ad hoc base URL: its host name, as a partner id may be written (a-z, 0-9, '-'). */
export function partnerIdForUrl(baseUrl: string): string {
  const host = new URL(baseUrl).hostname.toLowerCase().replace(/^www\./, '');
  const id = host.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (/^[a-z]/.test(id) ? id : `h-${id}`).slice(0, 41).replace(/-+$/, '');
}
