// The prefetcher alone, on a client that answers when the test says so: which requests go out, and when.
import { describe, expect, it } from 'vitest';
import type { OaiClient, OaiPage, RequestOptions } from '../../harvester/client.ts';
import { createPrefetcher } from '../../harvester/prefetcher.ts';
import type { OaiRequest } from '../../harvester/protocol.ts';

interface Sent {
  request: OaiRequest;
  options?: RequestOptions;
  answer: (page: OaiPage) => void;
  fail: (error: Error) => void;
}

function recordingClient() {
  const sent: Sent[] = [];
  const client: Pick<OaiClient, 'request'> = {
    request: (request, options) =>
      new Promise<OaiPage>((resolve, reject) => void sent.push({ request, options, answer: resolve, fail: reject })),
  };
  return { client, sent };
}

const pageFor = (url: string): OaiPage => ({
  url,
  response: { responseDate: '', errors: [], records: [], headers: [], quarantined: [], stripped: 0 },
});
const byToken = (token: string): OaiRequest => ({ verb: 'ListRecords', resumptionToken: token });
const first: OaiRequest = { verb: 'ListRecords', metadataPrefix: 'oai_dc' };

describe('createPrefetcher', () => {
  it('answers the request for a token with the page asked for ahead, sending it once', async () => {
    const { client, sent } = recordingClient();
    const prefetcher = createPrefetcher(client, () => undefined);
    await prefetcher.ahead('t1');
    expect(sent.map((s) => s.request)).toEqual([byToken('t1')]);
    await prefetcher.ahead('t1');
    expect(sent).toHaveLength(1);
    const page = prefetcher.next(byToken('t1'));
    sent[0].answer(pageFor('ahead'));
    expect((await page).url).toBe('ahead');
    expect(sent).toHaveLength(1);
  });

  it('never asks ahead for the token of the page being processed', async () => {
    const { client, sent } = recordingClient();
    const prefetcher = createPrefetcher(client, () => 't1');
    await prefetcher.ahead('t1');
    expect(sent).toEqual([]);
  });

  it('sends a request of its own when the page asked for ahead is for another token, and drops that one', async () => {
    const { client, sent } = recordingClient();
    const prefetcher = createPrefetcher(client, () => undefined);
    await prefetcher.ahead('t1');
    void prefetcher.next(first);
    expect(sent.map((s) => s.request)).toEqual([byToken('t1'), first]);
    void prefetcher.next(byToken('t1'));
    expect(sent.map((s) => s.request)).toEqual([byToken('t1'), first, byToken('t1')]);
  });

  it('asks for the next page as soon as a token is read early, and only while nothing is waiting ahead', async () => {
    let current: string | undefined = undefined;
    const { client, sent } = recordingClient();
    const prefetcher = createPrefetcher(client, () => current);
    void prefetcher.next(first);
    sent[0].options!.onResumptionToken!('t1');
    expect(sent.map((s) => s.request)).toEqual([first, byToken('t1')]);
    // The early token of the page asked for ahead: one request ahead already waits to be used.
    sent[1].options!.onResumptionToken!('t2');
    expect(sent).toHaveLength(2);
    current = 't1';
    void prefetcher.next(byToken('t1'));
    expect(sent).toHaveLength(2);
    // Now nothing waits: the early token goes out, unless it is the page's own token.
    sent[1].options!.onResumptionToken!('t1');
    expect(sent).toHaveLength(2);
    sent[1].options!.onResumptionToken!('t2');
    expect(sent.map((s) => s.request)).toEqual([first, byToken('t1'), byToken('t2')]);
  });

  it('reports a failed page asked for ahead where it is used, never as an unhandled rejection', async () => {
    const { client, sent } = recordingClient();
    const prefetcher = createPrefetcher(client, () => undefined);
    await prefetcher.ahead('t1');
    sent[0].fail(new Error('connection reset'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(prefetcher.next(byToken('t1'))).rejects.toThrow('connection reset');
  });
});
