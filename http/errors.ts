// Errors of http/, the HTTP helpers every layer above may use: one base with a stable `code` and the `cause`.

/** The codes of http/'s own errors. */
export type NetworkPolicyErrorCode = 'PRIVATE_ADDRESS';

/** Base error of http/: a request refused by the catalogue's own network policy. */
export class NetworkPolicyError extends Error {
  readonly code: NetworkPolicyErrorCode;
  constructor(code: NetworkPolicyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkPolicyError';
    this.code = code;
  }
}
