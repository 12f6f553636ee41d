// Citation.js ships no types; the tests use only its async parser and the CSL items it gives back.
declare module '@citation-js/core' {
  export class Cite {
    static async(input: string, options?: { forceType?: string }): Promise<Cite>;
    data: Record<string, unknown>[];
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
