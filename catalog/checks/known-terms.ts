// Small reference tables for the ontology checks. They are not the ontologies: a well-formed id that is missing
// here is a warning (look it up), while a known id with another name is an error (a likely copy-paste slip).

/**
 * NCBI Taxonomy ids of organisms common in bioimaging, with their scientific names
 * (https://www.ncbi.nlm.nih.gov/taxonomy).
 */
export const knownTaxa: ReadonlyMap<number, string> = new Map([
  [9606, 'Homo sapiens'],
  [10090, 'Mus musculus'],
  [10116, 'Rattus norvegicus'],
  [7227, 'Drosophila melanogaster'],
  [6239, 'Caenorhabditis elegans'],
  [7955, 'Danio rerio'],
  [8355, 'Xenopus laevis'],
  [9031, 'Gallus gallus'],
  [3702, 'Arabidopsis thaliana'],
  [4932, 'Saccharomyces cerevisiae'],
  [559292, 'Saccharomyces cerevisiae S288C'],
  [4896, 'Schizosaccharomyces pombe'],
  [562, 'Escherichia coli'],
  [1423, 'Bacillus subtilis'],
  [44689, 'Dictyostelium discoideum'],
  [5833, 'Plasmodium falciparum'],
  [3055, 'Chlamydomonas reinhardtii'],
  [5691, 'Trypanosoma brucei'],
  [8090, 'Oryzias latipes'],
  [9823, 'Sus scrofa'],
  [9913, 'Bos taurus'],
  [9544, 'Macaca mulatta'],
  [4577, 'Zea mays'],
  [4100, 'Nicotiana benthamiana'],
  [666, 'Vibrio cholerae'],
  [2697049, 'Severe acute respiratory syndrome coronavirus 2'],
  [32630, 'synthetic construct'],
]);

/** FBbi (Biological Imaging Methods Ontology) terms common in this catalogue, with their labels. */
export const knownImagingMethods: ReadonlyMap<string, string> = new Map([
  ['FBbi:00000243', 'bright-field microscopy'],
  ['FBbi:00000245', 'differential interference contrast microscopy'],
  ['FBbi:00000246', 'fluorescence microscopy'],
  ['FBbi:00000247', 'phase contrast microscopy'],
  ['FBbi:00000249', 'time lapse microscopy'],
  ['FBbi:00000251', 'confocal microscopy'],
  ['FBbi:00000253', 'spinning disk confocal microscopy'],
  ['FBbi:00000255', 'multi-photon microscopy'],
  ['FBbi:00000256', 'electron microscopy'],
  ['FBbi:00000258', 'transmission electron microscopy'],
  ['FBbi:00000260', 'X-ray microscopy'],
  ['FBbi:00000336', 'STORM (stochastic optical reconstruction microscopy)'],
  ['FBbi:00000345', 'light microscopy'],
  ['FBbi:00000364', 'light sheet fluorescence microscopy'],
  ['FBbi:00000368', 'fluorescence lifetime imaging microscopy'],
  ['FBbi:00000369', 'selective plane illumination microscopy'],
  ['FBbi:00000380', 'scanning-transmission electron microscopy'],
  ['FBbi:00000617', 'evanescent wave microscopy'],
  ['FBbi:00050000', 'focused ion beam scanning electron microscopy'],
]);

/** The broad family of an imaging method, for browsing: light, electron or X-ray. */
export function methodFamily(id: string): 'light' | 'electron' | 'X-ray' | 'other' {
  const label = knownImagingMethods.get(id)?.toLowerCase() ?? '';
  if (label.includes('electron')) return 'electron';
  if (label.includes('x-ray')) return 'X-ray';
  return label ? 'light' : 'other';
}
