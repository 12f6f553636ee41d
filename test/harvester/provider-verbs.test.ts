// The arguments of each verb on their own (OAI-PMH 2.0 §4, §3.5): a request becomes the typed request of its verb,
// and every argument the spec does not allow is badVerb or badArgument, naming the argument.
import { describe, expect, it } from 'vitest';
import { OaiRequestError, parseArgs, parseProviderRequest, verbSchemas } from '../../harvester/provider-verbs.ts';

const parse = (query: string) => parseProviderRequest(parseArgs(query));
const refused = (query: string): { code: string; message: string } => {
  try {
    parse(query);
  } catch (error) {
    expect(error).toBeInstanceOf(OaiRequestError);
    return { code: (error as OaiRequestError).code, message: (error as OaiRequestError).message };
  }
  throw new Error(`${query} was accepted`);
};

describe('provider requests', () => {
  it('read each verb into its typed request', () => {
    expect(parse('verb=Identify')).toEqual({ verb: 'Identify' });
    expect(parse('verb=ListMetadataFormats')).toEqual({ verb: 'ListMetadataFormats', identifier: undefined });
    expect(parse('verb=ListMetadataFormats&identifier=oai:x:1')).toEqual({
      verb: 'ListMetadataFormats',
      identifier: 'oai:x:1',
    });
    expect(parse('verb=ListSets')).toEqual({ verb: 'ListSets' });
    expect(parse('verb=ListSets&resumptionToken=t')).toEqual({ verb: 'ListSets', resumptionToken: 't' });
    expect(parse('verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:1')).toEqual({
      verb: 'GetRecord',
      identifier: 'oai:x:1',
      metadataPrefix: 'oai_dc',
    });
    expect(parse('verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-31&set=a:b')).toEqual({
      verb: 'ListRecords',
      metadataPrefix: 'oai_dc',
      from: '2026-01-01',
      until: '2026-01-31',
      set: 'a:b',
    });
    expect(parse('verb=ListIdentifiers&resumptionToken=t')).toEqual({ verb: 'ListIdentifiers', resumptionToken: 't' });
  });

  it('know the six verbs of §4 and no other', () => {
    expect(Object.keys(verbSchemas)).toEqual([
      'Identify',
      'ListMetadataFormats',
      'ListSets',
      'GetRecord',
      'ListIdentifiers',
      'ListRecords',
    ]);
    expect(refused('')).toEqual({ code: 'badVerb', message: 'the verb argument is missing' });
    expect(refused('verb=Identify&verb=Identify')).toEqual({
      code: 'badVerb',
      message: 'the verb argument is repeated',
    });
    expect(refused('verb=listrecords').code).toBe('badVerb');
    expect(refused('verb=__proto__').code).toBe('badVerb');
    expect(refused('verb=hasOwnProperty').code).toBe('badVerb');
  });

  it('refuse arguments repeated, unknown to the verb or missing', () => {
    expect(refused('verb=GetRecord&identifier=a&identifier=b&metadataPrefix=oai_dc')).toEqual({
      code: 'badArgument',
      message: 'the argument identifier is repeated',
    });
    expect(refused('verb=Identify&set=a')).toEqual({ code: 'badArgument', message: 'Identify takes no argument set' });
    expect(refused('verb=GetRecord&identifier=a&resumptionToken=t')).toEqual({
      code: 'badArgument',
      message: 'GetRecord takes no argument resumptionToken',
    });
    expect(refused('verb=ListSets&resumptionToken=t&set=a')).toEqual({
      code: 'badArgument',
      message: 'ListSets takes no argument set',
    });
    expect(refused('verb=GetRecord&identifier=a')).toEqual({
      code: 'badArgument',
      message: 'GetRecord requires the argument metadataPrefix',
    });
    expect(refused('verb=ListRecords')).toEqual({
      code: 'badArgument',
      message: 'ListRecords requires the argument metadataPrefix',
    });
  });

  it('hold resumptionToken exclusive (§3.5)', () => {
    for (const query of [
      'verb=ListRecords&resumptionToken=t&metadataPrefix=oai_dc',
      'verb=ListIdentifiers&resumptionToken=t&from=2026-01-01',
    ]) {
      expect(refused(query)).toEqual({
        code: 'badArgument',
        message: 'resumptionToken is an exclusive argument: send it with the verb alone',
      });
    }
  });

  it('take dates at day or second granularity, real ones, the same granularity, from before until (§3.3)', () => {
    expect(parse('verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-29T23:59:59Z')).toMatchObject({
      from: '2024-02-29T23:59:59Z',
    });
    for (const date of [
      '2026-02-30',
      '2025-02-29',
      '2026-1-01',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:00',
      '2026-01-01T00:00:00.000Z',
      'yesterday',
    ]) {
      expect(refused(`verb=ListRecords&metadataPrefix=oai_dc&from=${encodeURIComponent(date)}`).message).toContain(
        `from='${date}' is not a UTC date`,
      );
    }
    expect(refused('verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-01-02T00:00:00Z').message).toBe(
      'from and until must have the same granularity (§3.3.1)',
    );
    expect(refused('verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-02&until=2026-01-01').message).toBe(
      'from is later than until',
    );
  });
});
