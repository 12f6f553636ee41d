// Syntax of the identifiers that entries cite.

/** DOI syntax (https://www.doi.org/the-identifier/resources/handbook/2_numbering): "10." registrant "/" suffix. */
export function isValidDoi(doi: string): boolean {
  return /^10\.\d{4,9}\/\S+$/.test(doi);
}

/** PubMed ids are positive integers, today up to 8 digits. */
export function isValidPubmedId(id: string): boolean {
  return /^[1-9]\d{0,8}$/.test(id);
}

/** NCBI Taxonomy ids as CURIEs: NCBITaxon:<positive integer>. */
export function parseTaxonId(id: string): number | undefined {
  const match = /^NCBITaxon:([1-9]\d{0,8})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** FBbi term ids: FBbi:<8 digits>. */
export function isValidFbbiId(id: string): boolean {
  return /^FBbi:\d{8}$/.test(id);
}
