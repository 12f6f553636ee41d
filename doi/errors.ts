// Errors of doi/, the DataCite registration at the edge of the catalogue: one base with a stable `code`.

/** The codes of doi/'s errors. */
export type DoiErrorCode = 'DATACITE_CONFIG_INCOMPLETE' | 'DATACITE_REJECTED' | 'DATACITE_UNAVAILABLE';

/** Base error of doi/. A refused request knows what was asked (`method`, `url`) and what came back. */
export class DoiError extends Error {
  readonly code: DoiErrorCode;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  constructor(
    code: DoiErrorCode,
    message: string,
    details: { method?: string; url?: string; status?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DoiError';
    this.code = code;
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
  }
}
