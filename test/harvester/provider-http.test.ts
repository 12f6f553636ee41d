// The provider's HTTP listener on its own, over a stand-in for the verbs: what reaches them from GET and POST, how
// answers are compressed, and what a failure inside them becomes (a 500 and one log line).
import { request } from 'node:http';
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressionEncodings, createProviderListener, listen } from '../../harvester/provider-http.ts';
import type { Args } from '../../harvester/provider-verbs.ts';

const calls: { args: Args; baseUrl: string }[] = [];
const logged: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const listener = createProviderListener({
    respond: async (args, baseUrl) => {
      calls.push({ args, baseUrl });
      if (args.get('fail')) throw new Error('broken\nsnapshot');
      return `<answer>${'x'.repeat(Number(args.get('size')?.[0] ?? 10))}</answer>`;
    },
    log: (line) => logged.push(line),
  });
  ({ server, url } = await listen(listener));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const send = (target: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () =>
        resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });

describe('provider HTTP listener', () => {
  it('passes the arguments of a GET query and of a POST form, with the base URL they came to', async () => {
    calls.length = 0;
    expect((await send(`${url}?verb=Identify&x=1`)).status).toBe(200);
    const posted = await send(url.replace('/oai', '/other'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'verb=ListSets',
    });
    expect(posted.status).toBe(200);
    expect(calls.map((c) => [[...c.args], new URL(c.baseUrl).pathname])).toEqual([
      [
        [
          ['verb', ['Identify']],
          ['x', ['1']],
        ],
        '/oai',
      ],
      [[['verb', ['ListSets']]], '/other'],
    ]);
  });

  it('sends small answers as they are and larger ones compressed as the client asks', async () => {
    const small = await send(`${url}?size=10`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe(`<answer>${'x'.repeat(10)}</answer>`);
    const large = await send(`${url}?size=5000`, { headers: { 'accept-encoding': 'gzip' } });
    expect(large.headers['content-encoding']).toBe('gzip');
    expect(large.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(large.body).toString()).toBe(`<answer>${'x'.repeat(5000)}</answer>`);
    const plain = await send(`${url}?size=5000`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(compressionEncodings).toContain('gzip');
  });

  it('answers a failure inside the verbs with a 500 without details, and logs one line', async () => {
    logged.length = 0;
    const failed = await send(`${url}?fail=1`);
    expect(failed.status).toBe(500);
    expect(failed.body.toString()).not.toContain('broken');
    expect(logged).toEqual(['oai: GET /oai?fail=1: broken snapshot']);
    expect((await send(`${url}?size=1`)).status).toBe(200);
  });
});
