// Resumption tokens on their own (OAI-PMH 2.0 §3.5): what goes in comes out, the wire format stays readable across
// releases, and a token that was altered, is for another verb or has expired is badResumptionToken.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCodec, type ResumptionState } from '../../harvester/provider-tokens.ts';
import { OaiRequestError } from '../../harvester/provider-verbs.ts';

const at = (iso: string) => () => new Date(iso);
const state: ResumptionState = {
  verb: 'ListRecords',
  metadataPrefix: 'oai_dc',
  set: 'method:FBbi',
  from: '2026-01-01T00:00:00Z',
  until: '2026-01-31T23:59:59Z',
  lastKey: '2026-01-02T10:00:00Z oai:bioimage-catalogue.org:BIC0000013',
  cursor: 100,
  completeListSize: 250,
  expiresAt: Date.parse('2026-02-01T00:00:00Z') / 1000,
};
const codec = createTokenCodec({ secret: 'test-secret', now: at('2026-01-15T00:00:00Z') });

const badToken = (run: () => unknown, message: RegExp) => {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OaiRequestError);
  expect((thrown as OaiRequestError).code).toBe('badResumptionToken');
  expect((thrown as OaiRequestError).message).toMatch(message);
};

describe('resumption tokens', () => {
  it('give back the state they were made from', () => {
    const token = codec.encode(state);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(codec.decode(token, 'ListRecords')).toEqual(state);
    const bare: ResumptionState = {
      verb: 'ListIdentifiers',
      lastKey: 'k',
      cursor: 1,
      completeListSize: 2,
      expiresAt: state.expiresAt,
    };
    expect(codec.decode(codec.encode(bare), 'ListIdentifiers')).toEqual({
      ...bare,
      metadataPrefix: undefined,
      set: undefined,
      from: undefined,
      until: undefined,
    });
  });

  it('keep their wire format: base64url of one-letter JSON, a dot, 22 characters of HMAC-SHA-256', () => {
    const wire = { v: 'ListRecords', m: 'oai_dc', k: 'key', c: 100, n: 250, e: state.expiresAt };
    const payload = Buffer.from(JSON.stringify(wire)).toString('base64url');
    const token = `${payload}.${createHmac('sha256', 'test-secret').update(payload).digest('base64url').slice(0, 22)}`;
    expect(codec.decode(token, 'ListRecords')).toMatchObject({
      verb: 'ListRecords',
      metadataPrefix: 'oai_dc',
      lastKey: 'key',
      cursor: 100,
      completeListSize: 250,
    });
    expect(
      codec.encode({
        verb: 'ListRecords',
        metadataPrefix: 'oai_dc',
        lastKey: 'key',
        cursor: 100,
        completeListSize: 250,
        expiresAt: state.expiresAt,
      }),
    ).toBe(token);
  });

  it('refuse a token signed with another secret, altered, cut or with a part too many', () => {
    const token = codec.encode(state);
    const other = createTokenCodec({ secret: 'another-secret', now: at('2026-01-15T00:00:00Z') });
    badToken(() => other.decode(token, 'ListRecords'), /not one this repository issued/);
    const [payload, signature] = token.split('.');
    const altered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), c: 0 }),
    ).toString('base64url');
    badToken(() => codec.decode(`${altered}.${signature}`, 'ListRecords'), /not one this repository issued/);
    for (const broken of [
      payload,
      `${payload}.`,
      `${token}.x`,
      `.${signature}`,
      '',
      `${payload}.${signature.slice(1)}`,
    ]) {
      badToken(() => codec.decode(broken, 'ListRecords'), /not one this repository issued/);
    }
  });

  it('refuse a signed token that is not JSON', () => {
    const payload = Buffer.from('not json').toString('base64url');
    const token = `${payload}.${createHmac('sha256', 'test-secret').update(payload).digest('base64url').slice(0, 22)}`;
    badToken(() => codec.decode(token, 'ListRecords'), /cannot be read/);
  });

  it('belong to one verb', () => {
    badToken(() => codec.decode(codec.encode(state), 'ListIdentifiers'), /belongs to ListRecords, not ListIdentifiers/);
  });

  it('expire at expiresAt, and say when', () => {
    const token = codec.encode(state);
    expect(
      createTokenCodec({ secret: 'test-secret', now: at('2026-02-01T00:00:00Z') }).decode(token, 'ListRecords'),
    ).toEqual(state);
    const later = createTokenCodec({ secret: 'test-secret', now: at('2026-02-01T00:00:01Z') });
    badToken(() => later.decode(token, 'ListRecords'), /expired at 2026-02-01T00:00:00Z/);
  });
});
