// jsonld.js ships no types, and @types/jsonld describes its 1.5 API, which has no `safe` option. The tests use
// expand and toRDF with the options below (jsonld.js lib/jsonld.js documents each).
declare module 'jsonld' {
  /** JSON-LD 1.1 API, RemoteDocument: what a document loader gives back for a URL. */
  export interface RemoteDocument {
    contextUrl?: string | null;
    documentUrl: string;
    document: unknown;
  }

  export interface ProcessingOptions {
    /** The base IRI that relative IRIs resolve against (JSON-LD 1.1 API, JsonLdOptions.base). */
    base?: string;
    /** jsonld.js safe mode: fail where the JSON-LD 1.1 algorithms would drop a term, value or relative reference. */
    safe?: boolean;
    documentLoader?: (url: string) => Promise<RemoteDocument>;
  }

  /** An RDF/JS term as jsonld.js gives it in a dataset. */
  export interface Term {
    termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
    value: string;
    datatype?: { termType: 'NamedNode'; value: string };
    language?: string;
  }

  export interface Quad {
    subject: Term;
    predicate: Term;
    object: Term;
    graph: Term;
  }

  const jsonld: {
    expand(input: unknown, options?: ProcessingOptions): Promise<Record<string, unknown>[]>;
    toRDF(input: unknown, options: ProcessingOptions & { format: 'application/n-quads' }): Promise<string>;
    toRDF(input: unknown, options?: ProcessingOptions): Promise<Quad[]>;
  };
  export default jsonld;
}
