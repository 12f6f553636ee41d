/** Names of the citation downloads in each entry's folder, shared with the entry page. */
export const citationFiles = {
  bibtex: 'citation.bib',
  ris: 'citation.ris',
  csl: 'citation.csl.json',
  datacite: 'datacite.xml',
} as const;
