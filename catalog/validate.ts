// Validation of one document: the schema (all errors), then the checks a schema cannot make.
import { validatorFor, type SchemaName } from '../schemas/index.ts';
import { isValidOrcid } from './checks/orcid.ts';
import { isValidRor } from './checks/ror.ts';
import { checkLicence } from './checks/spdx.ts';
import { isValidDoi, isValidFbbiId, isValidPubmedId, parseTaxonId } from './checks/identifiers.ts';
import { knownImagingMethods, knownTaxa } from './checks/known-terms.ts';
import { derivedFolder, derivedPathReserved } from './checks/derived-path.ts';
import { checkObjectPath, findPathCollisions } from './checks/paths.ts';
import { relatedFindings } from './checks/related.ts';
import { annotationFindings } from './checks/annotations.ts';
import { isValidAccession } from './accession.ts';
import { isPublishableUrl } from './publishable-url.ts';
import { toSchemaProblems } from './schema-problems.ts';
import { joinPointer, type Problem, type Severity } from './problems.ts';
import type { SourceDocument } from './source.ts';

/** A problem before it is placed in a file: the pointer is resolved to a line by the caller. */
export interface Finding {
  pointer: string;
  code: string;
  message: string;
  fix?: string;
  severity: Severity;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * ROR_CHECKSUM for a value shaped like a ROR id (the schema reports any other shape) whose checksum fails
 * (https://ror.readme.io/docs/identifier: ISO 7064 Mod 97-10 on the last two digits).
 */
function rorChecksumFinding(pointer: string, value: unknown, hint = ''): Finding | undefined {
  if (!isString(value) || !rorShape.test(value) || isValidRor(value)) return undefined;
  return error(
    pointer,
    'ROR_CHECKSUM',
    `the ROR id '${value}' fails its checksum${hint}`,
    'copy the id from https://ror.org',
  );
}
const rorShape = /^(https:\/\/ror\.org\/)?0[0-9a-hjkmnp-tv-z]{6}\d{2}$/;

export function schemaFindings(name: SchemaName, data: unknown): Finding[] {
  const validate = validatorFor(name);
  if (validate(data)) return [];
  return toSchemaProblems(validate.errors ?? []).map((p) => ({ ...p, severity: 'error' as const }));
}

/** Places findings in their file, with line and column. */
export function locateFindings(document: SourceDocument, findings: readonly Finding[]): Problem[] {
  return findings.map((finding) => ({ file: document.file, ...document.locate(finding.pointer), ...finding }));
}

/** Checks of the study-level fields shared by entries and harvested records. */
function studyFindings(study: unknown, out: Finding[]): void {
  if (!isObject(study)) return;
  const affiliationIds = new Set<string>();
  asArray(study.affiliations).forEach((affiliation, i) => {
    if (!isObject(affiliation)) return;
    if (isString(affiliation.id)) {
      if (affiliationIds.has(affiliation.id))
        out.push(
          error(
            joinPointer('study', 'affiliations', i, 'id'),
            'DUPLICATE_ID',
            `the affiliation id '${affiliation.id}' is used twice`,
            'give each affiliation its own id',
          ),
        );
      affiliationIds.add(affiliation.id);
    }
    const ror = rorChecksumFinding(
      joinPointer('study', 'affiliations', i, 'ror'),
      affiliation.ror,
      ' (a mistyped character?)',
    );
    if (ror) out.push({ ...ror, fix: "copy the id from the organisation's page on https://ror.org" });
  });
  asArray(study.authors).forEach((author, i) => {
    if (!isObject(author)) return;
    if (isString(author.orcid) && /\d{4}-\d{4}-\d{4}-\d{3}[\dX]$/.test(author.orcid) && !isValidOrcid(author.orcid)) {
      out.push(
        error(
          joinPointer('study', 'authors', i, 'orcid'),
          'ORCID_CHECKSUM',
          `the ORCID iD '${author.orcid}' fails its check digit (a mistyped digit?)`,
          "copy the iD from the author's https://orcid.org page",
        ),
      );
    }
    asArray(author.affiliations).forEach((ref, k) => {
      if (isString(ref) && !affiliationIds.has(ref)) {
        out.push(
          error(
            joinPointer('study', 'authors', i, 'affiliations', k),
            'REFERENCE_UNRESOLVED',
            `the affiliation '${ref}' is not listed in study.affiliations`,
            `add an affiliation with id: ${ref}, or correct the id`,
          ),
        );
      }
    });
  });
  asArray(study.funding).forEach((funding, i) => {
    const ror = isObject(funding)
      ? rorChecksumFinding(joinPointer('study', 'funding', i, 'funderRor'), funding.funderRor)
      : undefined;
    if (ror) out.push(ror);
  });
  if (isString(study.license)) {
    const verdict = checkLicence(study.license);
    if (!verdict.ok) {
      out.push(
        error(
          '/study/license',
          'LICENSE_UNKNOWN',
          `'${study.license}' is not an SPDX licence identifier`,
          verdict.suggestion
            ? `did you mean '${verdict.suggestion}'?`
            : 'use an id from https://spdx.org/licenses/, e.g. CC-BY-4.0 or CC0-1.0',
        ),
      );
    } else if (verdict.deprecated) {
      out.push(
        warning(
          '/study/license',
          'LICENSE_DEPRECATED',
          `'${study.license}' is a deprecated SPDX identifier`,
          'use its current SPDX id',
        ),
      );
    }
  }
  asArray(study.publications).forEach((publication, i) => {
    if (!isObject(publication)) return;
    if (isString(publication.doi) && !isValidDoi(publication.doi)) {
      out.push(
        error(
          joinPointer('study', 'publications', i, 'doi'),
          'DOI_INVALID',
          `'${publication.doi}' is not a DOI`,
          "write the DOI alone, starting with '10.', without https://doi.org/",
        ),
      );
    }
    if (isString(publication.pubmedId) && !isValidPubmedId(publication.pubmedId)) {
      out.push(
        error(
          joinPointer('study', 'publications', i, 'pubmedId'),
          'PUBMED_INVALID',
          `'${publication.pubmedId}' is not a PubMed id`,
          'write the digits only, e.g. 34021280',
        ),
      );
    }
  });
}

function termFindings(term: unknown, pointer: string, out: Finding[]): void {
  if (!isObject(term) || !isString(term.id)) return;
  if (!isValidFbbiId(term.id)) {
    const fixed = /^FBbi[_:]?(\d{8})$/i.exec(term.id) ?? /FBbi_(\d{8})$/.exec(term.id);
    out.push(
      error(
        `${pointer}/id`,
        'FBBI_INVALID',
        `'${term.id}' is not an FBbi term id`,
        fixed
          ? `write FBbi:${fixed[1]}`
          : 'find the method at https://www.ebi.ac.uk/ols4/ontologies/fbbi and write its id as FBbi:00000000',
      ),
    );
    return;
  }
  const known = knownImagingMethods.get(term.id);
  if (!known) {
    out.push(
      warning(
        `${pointer}/id`,
        'FBBI_UNLISTED',
        `'${term.id}' is not among the FBbi terms this catalogue lists; it will be shown as written`,
        'check the id at https://www.ebi.ac.uk/ols4/ontologies/fbbi',
      ),
    );
  } else if (isString(term.label) && term.label.toLowerCase() !== known.toLowerCase()) {
    out.push(
      error(
        `${pointer}/label`,
        'FBBI_LABEL_MISMATCH',
        `'${term.id}' is '${known}', not '${term.label}'`,
        `write label: ${known}, or the id of '${term.label}'`,
      ),
    );
  }
}

/** References by local id between the REMBI objects of an entry (or a full harvested record). */
function referenceFindings(data: Json, out: Finding[]): void {
  const sections = ['biosamples', 'specimens', 'acquisitions', 'correlations', 'analyses'] as const;
  const ids: Record<string, Set<string>> = {};
  for (const section of [...sections, 'components'] as const) {
    ids[section] = new Set();
    asArray(data[section]).forEach((item, i) => {
      if (!isObject(item) || !isString(item.id)) return;
      if (ids[section].has(item.id))
        out.push(
          error(
            joinPointer(section, i, 'id'),
            'DUPLICATE_ID',
            `the id '${item.id}' is used twice in ${section}`,
            'give each object its own id',
          ),
        );
      ids[section].add(item.id);
    });
  }
  const used: Record<string, Set<string>> = Object.fromEntries(sections.map((s) => [s, new Set<string>()]));
  asArray(data.components).forEach((component, i) => {
    if (!isObject(component)) return;
    for (const section of sections) {
      asArray(component[section]).forEach((ref, k) => {
        if (!isString(ref)) return;
        used[section].add(ref);
        if (!ids[section].has(ref)) {
          out.push(
            error(
              joinPointer('components', i, section, k),
              'REFERENCE_UNRESOLVED',
              `'${ref}' is not the id of any of the entry's ${section}`,
              ids[section].size ? `use one of: ${[...ids[section]].join(', ')}` : `add it under ${section}`,
            ),
          );
        }
      });
    }
  });
  for (const section of sections) {
    asArray(data[section]).forEach((item, i) => {
      if (isObject(item) && isString(item.id) && !used[section].has(item.id)) {
        out.push(
          warning(
            joinPointer(section, i, 'id'),
            'UNUSED_OBJECT',
            `'${item.id}' is not used by any study component`,
            `list it in a component's ${section}, or remove it`,
          ),
        );
      }
    });
  }
}

function organismFindings(data: Json, out: Finding[]): void {
  asArray(data.biosamples).forEach((biosample, i) => {
    if (!isObject(biosample)) return;
    asArray(biosample.organisms).forEach((organism, k) => {
      if (!isObject(organism) || !isString(organism.taxonId)) return;
      const pointer = joinPointer('biosamples', i, 'organisms', k);
      const taxon = parseTaxonId(organism.taxonId);
      if (taxon === undefined) {
        const digits = /^(?:NCBITaxon[:_]|taxon:)?(\d+)$/i.exec(organism.taxonId)?.[1];
        out.push(
          error(
            `${pointer}/taxonId`,
            'TAXON_INVALID',
            `'${organism.taxonId}' is not an NCBI Taxonomy id`,
            digits
              ? `write NCBITaxon:${digits}`
              : 'look the organism up at https://www.ncbi.nlm.nih.gov/taxonomy and write NCBITaxon:<id>',
          ),
        );
        return;
      }
      const name = knownTaxa.get(taxon);
      if (name && isString(organism.scientificName) && name.toLowerCase() !== organism.scientificName.toLowerCase()) {
        out.push(
          error(
            `${pointer}/scientificName`,
            'TAXON_NAME_MISMATCH',
            `NCBITaxon:${taxon} is '${name}', not '${organism.scientificName}'`,
            `write scientificName: ${name}, or the taxon id of '${organism.scientificName}'`,
          ),
        );
      }
    });
  });
}

/** Findings for an entry.yaml (native entry or submission). `today` is YYYY-MM-DD in UTC. */
export function entryFindings(data: unknown, options: { submission: boolean; folderName: string }): Finding[] {
  const out = schemaFindings('entry', data);
  if (!isObject(data)) return out;
  studyFindings(data.study, out);
  referenceFindings(data, out);
  organismFindings(data, out);
  asArray(data.components).forEach(
    (c, i) => isObject(c) && termFindings(c.imagingMethod, joinPointer('components', i, 'imagingMethod'), out),
  );
  asArray(data.acquisitions).forEach(
    (a, i) => isObject(a) && termFindings(a.imagingMethod, joinPointer('acquisitions', i, 'imagingMethod'), out),
  );
  if (isObject(data.study)) out.push(...relatedFindings(data.study.related));
  out.push(...annotationFindings(data.annotations));
  accessionFindings(data, options, out);
  return out;
}

function accessionFindings(data: Json, options: { submission: boolean; folderName: string }, out: Finding[]): void {
  if (options.submission) {
    for (const field of ['accession', 'version', 'versions', 'doi'] as const) {
      if (data[field] !== undefined)
        out.push(
          error(
            `/${field}`,
            'ASSIGNED_BY_CATALOGUE',
            `'${field}' is assigned when the submission is merged`,
            `remove the '${field}' line`,
          ),
        );
    }
    return;
  }
  if (!isString(data.accession)) {
    out.push(
      error(
        '',
        'ACCESSION_MISSING',
        'a released entry must carry its accession',
        `add accession: ${options.folderName}`,
      ),
    );
    return;
  }
  if (!isValidAccession(data.accession)) {
    out.push(
      error(
        '/accession',
        'ACCESSION_CHECK_DIGIT',
        `'${data.accession}' is not a valid accession (its check digit is wrong)`,
        'accessions are assigned by the catalogue; restore the one it gave',
      ),
    );
  } else if (data.accession !== options.folderName) {
    out.push(
      error(
        '/accession',
        'ACCESSION_FOLDER_MISMATCH',
        `the entry says '${data.accession}' but lives in the folder '${options.folderName}'`,
        `move it to entries/${data.accession}/ or restore the accession`,
      ),
    );
  }
  const versions = asArray(data.versions);
  if (typeof data.version === 'number' && versions.length > 0) {
    const last = versions[versions.length - 1];
    // Only numbers are compared (and shown): a mapping with a `toString` field cannot be turned into text, and
    // the schema reports any other type.
    if (isObject(last) && typeof last.version === 'number' && last.version !== data.version) {
      out.push(
        error(
          '/version',
          'VERSION_HISTORY_MISMATCH',
          `version is ${data.version} but the last item of versions is ${last.version}`,
          'versions are written by the catalogue; restore them',
        ),
      );
    }
  }
}

/** Findings for a manifest.json; `componentIds` are the entry's component ids when known. */
export function manifestFindings(data: unknown, componentIds?: ReadonlySet<string>): Finding[] {
  const out = schemaFindings('manifest', data);
  if (!isObject(data)) return out;
  const files = asArray(data.files);
  for (const collision of findPathCollisions(
    files.map((file) => (isObject(file) && isString(file.path) ? file.path : undefined)),
  )) {
    out.push(error(joinPointer('files', collision.index, 'path'), collision.code, collision.message, collision.fix));
  }
  files.forEach((file, i) => {
    if (!isObject(file)) return;
    if (isString(file.path)) {
      const verdict = checkObjectPath(file.path);
      if (!verdict.ok) out.push(error(joinPointer('files', i, 'path'), verdict.code, verdict.message, verdict.fix));
      else if (file.path.startsWith(derivedFolder))
        out.push(error(joinPointer('files', i, 'path'), ...derivedPathReserved));
    }
    if (isString(file.sha256) && /^[0-9A-F]{64}$/i.test(file.sha256) && file.sha256 !== file.sha256.toLowerCase()) {
      out.push(
        error(
          joinPointer('files', i, 'sha256'),
          'SHA256_UPPER_CASE',
          'the sha256 must be written in lower case',
          'write it in lower-case hexadecimal',
        ),
      );
    }
    if (componentIds && isString(file.component) && !componentIds.has(file.component)) {
      out.push(
        error(
          joinPointer('files', i, 'component'),
          'REFERENCE_UNRESOLVED',
          `'${file.component}' is not a component of the entry`,
          `use one of: ${[...componentIds].join(', ')}`,
        ),
      );
    }
  });
  // The schema keeps derived paths under `.derived/`; the path rule keeps them inside the prefix.
  asArray(data.derived).forEach((file, i) => {
    if (!isObject(file) || !isString(file.path)) return;
    const verdict = checkObjectPath(file.path);
    if (!verdict.ok) out.push(error(joinPointer('derived', i, 'path'), verdict.code, verdict.message, verdict.fix));
  });
  return out;
}

export function tombstoneFindings(data: unknown, folderName: string): Finding[] {
  const out = schemaFindings('tombstone', data);
  if (isObject(data) && isString(data.accession)) {
    if (!isValidAccession(data.accession))
      out.push(
        error(
          '/accession',
          'ACCESSION_CHECK_DIGIT',
          `'${data.accession}' is not a valid accession`,
          'restore the accession the catalogue gave',
        ),
      );
    else if (data.accession !== folderName)
      out.push(
        error(
          '/accession',
          'ACCESSION_FOLDER_MISMATCH',
          `the tombstone says '${data.accession}' but lives in '${folderName}'`,
          `move it to entries/${data.accession}/`,
        ),
      );
  }
  return out;
}

export function harvestedFindings(data: unknown): Finding[] {
  const out = schemaFindings('harvested-record', data);
  if (!isObject(data)) return out;
  studyFindings(data.study, out);
  publishedUrlFindings(data, out);
  if (Array.isArray(data.components)) referenceFindings(data, out);
  organismFindings(data, out);
  return out;
}

// A property whose name says it holds a URL (url, uri, landingPageUrl, schemaURI, ...).
const urlProperty = /^(?:url|uri)$|(?:Url|Uri|URL|URI)$/;
// An identifier written as a URL (scheme://...) or with a scheme that runs code or embeds content where a link is made.
const urlLikeIdentifier = /^[a-z][a-z0-9+.-]*:\/\/|^\s*(?:javascript|vbscript|data|file|blob):/i;

/**
 * URL_NOT_HTTP for every URL of a harvested record that is not a publishable http(s) URL (publishable-url.ts):
 * every property named like a URL, at any depth, and the study's identifiers that are written as URLs. Records come
 * from partners, and these URLs reach the pages, JSON-LD `sameAs` and the dump. Not repeated where the schema
 * already refused the value.
 */
function publishedUrlFindings(record: Record<string, unknown>, out: Finding[]): void {
  const refused = new Set(out.map((f) => f.pointer));
  const report = (pointer: string, value: string) => {
    if (refused.has(pointer)) return;
    const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
    out.push(
      error(
        pointer,
        'URL_NOT_HTTP',
        `${JSON.stringify(shown)} is not an http(s) URL that can be published`,
        'only http:// and https:// URLs (without spaces, control characters or user:password@) are published; ' +
          'correct the URL at the partner, or leave the field out',
      ),
    );
  };
  const walk = (value: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], depth + 1));
    else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (isString(item) && urlProperty.test(key) && !isPublishableUrl(item)) report(joinPointer(...path, key), item);
        else walk(item, [...path, key], depth + 1);
      }
    }
  };
  walk(record, [], 0);
  const study = record.study;
  if (isObject(study)) {
    asArray(study.identifiers).forEach((identifier, i) => {
      if (isString(identifier) && urlLikeIdentifier.test(identifier) && !isPublishableUrl(identifier))
        report(joinPointer('study', 'identifiers', i), identifier);
    });
  }
}

function error(pointer: string, code: string, message: string, fix?: string): Finding {
  return { pointer, code, message, fix, severity: 'error' };
}

function warning(pointer: string, code: string, message: string, fix?: string): Finding {
  return { pointer, code, message, fix, severity: 'warning' };
}
