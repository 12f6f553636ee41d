// The provider's resumption tokens (OAI-PMH 2.0 §3.5): stateless, they carry the list's own state (verb,
// arguments, where the last page ended, cursor, size, expiry), signed with HMAC-SHA-256 so that a harvester cannot
// forge one. Any process holding the secret can continue a list another one started; nothing is kept per token.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { toIsoSeconds as isoSeconds } from '../catalog/dates.ts';
import { OaiRequestError } from './provider-verbs.ts';

/** The state of an incomplete list, as its resumption token carries it. */
export interface ResumptionState {
  verb: 'ListIdentifiers' | 'ListRecords' | 'ListSets';
  metadataPrefix?: string;
  set?: string;
  /** Lower bound on datestamps, at second granularity (a day-granularity `from` starts at 00:00:00Z). */
  from?: string;
  /** Upper bound on datestamps, at second granularity (a day-granularity `until` ends at 23:59:59Z). */
  until?: string;
  /** Sort key of the last item sent: datestamp + ' ' + identifier (the next page starts after it). */
  lastKey: string;
  /** §3.5.1 cursor: the position of the next page's first item in the complete list. */
  cursor: number;
  /** §3.5.1 completeListSize, counted when the list was started. */
  completeListSize: number;
  /** Expiry, seconds since the epoch (§3.5.1 expirationDate). */
  expiresAt: number;
}

/**
 * The JSON inside a token, one letter a field to keep tokens short in every URL a harvester sends. Tokens of
 * this shape stay valid across releases; a change of shape turns the tokens of running harvests into
 * badResumptionToken, so that they start their lists again.
 */
interface WireState {
  v: ResumptionState['verb'];
  m?: string;
  s?: string;
  f?: string;
  u?: string;
  k: string;
  c: number;
  n: number;
  e: number;
}

const toWire = (state: ResumptionState): WireState => ({
  v: state.verb,
  m: state.metadataPrefix,
  s: state.set,
  f: state.from,
  u: state.until,
  k: state.lastKey,
  c: state.cursor,
  n: state.completeListSize,
  e: state.expiresAt,
});

const fromWire = (wire: WireState): ResumptionState => ({
  verb: wire.v,
  metadataPrefix: wire.m,
  set: wire.s,
  from: wire.f,
  until: wire.u,
  lastKey: wire.k,
  cursor: wire.c,
  completeListSize: wire.n,
  expiresAt: wire.e,
});

export interface TokenCodec {
  /** The token for `state`: base64url(JSON) '.' 22 characters of its base64url HMAC. */
  encode(state: ResumptionState): string;
  /**
   * The state inside `token`, if this repository issued it for `verb` and it has not expired; otherwise an
   * OaiRequestError badResumptionToken that says which.
   */
  decode(token: string, verb: ResumptionState['verb']): ResumptionState;
}

/** Signs with `secret`; `now` is the clock expiry is checked against. */
export function createTokenCodec(options: { secret: string; now: () => Date }): TokenCodec {
  const { secret, now } = options;
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);

  function encode(state: ResumptionState): string {
    const payload = Buffer.from(JSON.stringify(toWire(state))).toString('base64url');
    return `${payload}.${sign(payload)}`;
  }

  function decode(token: string, verb: ResumptionState['verb']): ResumptionState {
    const [payload, signature, extra] = token.split('.');
    const expected = payload ? sign(payload) : '';
    const signed =
      extra === undefined &&
      payload &&
      signature &&
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    if (!signed) {
      throw new OaiRequestError('badResumptionToken', 'the resumptionToken is not one this repository issued');
    }
    let state: ResumptionState;
    try {
      state = fromWire(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as WireState);
    } catch {
      throw new OaiRequestError('badResumptionToken', 'the resumptionToken cannot be read');
    }
    if (state.verb !== verb) {
      throw new OaiRequestError('badResumptionToken', `the resumptionToken belongs to ${state.verb}, not ${verb}`);
    }
    if (state.expiresAt * 1000 < now().getTime()) {
      const expiry = isoSeconds(new Date(state.expiresAt * 1000));
      throw new OaiRequestError('badResumptionToken', `the resumptionToken expired at ${expiry}; start the list again`);
    }
    return state;
  }

  return { encode, decode };
}
