// The GET behind a remote fixity audit (storage/hash-url.ts): the fast path for large objects, and every answer
// it steps aside for or reports. A raw TCP server on port 0 writes exact bytes, including the broken answers a
// real server or a proxy can give: a body cut short, an endless header, chunked coding, a 1xx before the 200.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fastPathMinBytes, hashUrl } from '../../storage/hash-url.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const body = randomBytes(fastPathMinBytes * 3 + 17);
let server: Server | undefined;

/** A server that answers each connection with `answer(requestHead, socket)`; returns the requests' heads. */
async function serve(answer: (head: string, socket: Socket) => void): Promise<{ url: string; heads: string[] }> {
  const heads: string[] = [];
  server = createServer((socket) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      heads.push(received.slice(0, end));
      answer(received.slice(0, end), socket);
      received = received.slice(end + 4);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket/key.bin?X-Amz-Signature=abc`,
    heads,
  };
}

const ok = (socket: Socket, bytes: Uint8Array, extra = '') => {
  socket.write(
    `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${bytes.length}\r\n${extra}\r\n`,
  );
  socket.end(bytes);
};

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('hashUrl', () => {
  it(
    'hashes a large object on the fast path (one request, ' + 'Connection: close), the path and query sent as given',
    async () => {
      const { url, heads } = await serve((_, socket) => ok(socket, body));
      expect(await hashUrl(url, 5_000, body.length)).toEqual({
        ok: true,
        sha256: sha(body),
        size: body.length,
        head: new Uint8Array(),
      });
      expect(heads).toHaveLength(1);
      expect(heads[0]).toMatch(/^GET \/bucket\/key\.bin\?X-Amz-Signature=abc HTTP\/1\.1\r\n/);
      expect(heads[0]).toMatch(/\r\nConnection: close/i);
    },
  );

  it('keeps node:http (kept-alive connections) for a small object or an unknown size', async () => {
    const small = randomBytes(1000);
    // The server closes after each answer and says so; the requests still asked to keep the connection.
    const { url, heads } = await serve((_, socket) => ok(socket, small, 'Connection: close\r\n'));
    expect(await hashUrl(url, 5_000, small.length)).toMatchObject({ ok: true, sha256: sha(small), size: small.length });
    expect(await hashUrl(url, 5_000)).toMatchObject({ ok: true, sha256: sha(small) });
    expect(heads.every((head) => /\r\nConnection: keep-alive/i.test(head))).toBe(true);
  });

  it('asks again through node:http for a chunked body, and after a 1xx answer', async () => {
    const chunked = await serve((_, socket) => {
      const half = body.length >> 1;
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      socket.write(`${half.toString(16)}\r\n`);
      socket.write(body.subarray(0, half));
      socket.write(`\r\n${(body.length - half).toString(16)}\r\n`);
      socket.write(body.subarray(half));
      socket.end('\r\n0\r\n\r\n');
    });
    expect(await hashUrl(chunked.url, 5_000, body.length)).toMatchObject({
      ok: true,
      sha256: sha(body),
      size: body.length,
    });
    expect(chunked.heads).toHaveLength(2);

    await new Promise((resolve) => server!.close(resolve));
    const early = await serve((_, socket) => {
      socket.write('HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n');
      ok(socket, body);
    });
    expect(await hashUrl(early.url, 5_000, body.length)).toMatchObject({ ok: true, sha256: sha(body) });
  });

  it('hashes only Content-Length bytes when the server sends more', async () => {
    const { url } = await serve((_, socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.end(Buffer.concat([body, Buffer.from('trailing garbage')]));
    });
    expect(await hashUrl(url, 5_000, body.length)).toMatchObject({ ok: true, sha256: sha(body), size: body.length });
  });

  it('reads at most the expected size plus one byte of a larger object, on both paths, and hangs up', async () => {
    const big = await serve((_, socket) => ok(socket, body));
    const fast = await hashUrl(big.url, 5_000, fastPathMinBytes);
    expect(fast).toMatchObject({
      ok: true,
      size: fastPathMinBytes + 1,
      sha256: sha(body.subarray(0, fastPathMinBytes + 1)),
    });

    await new Promise((resolve) => server!.close(resolve));
    // A body without end, chunked: only node:http can read it.
    let sent = 0;
    let closed = false;
    const endless = await serve((_, socket) => {
      socket.on('close', () => (closed = true));
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = randomBytes(64 * 1024);
      const more = () => {
        while (!socket.destroyed && sent < 256 * 1024 * 1024) {
          sent += chunk.length;
          if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`, 'latin1'))
            return void socket.once('drain', more);
        }
      };
      more();
    });
    expect(await hashUrl(endless.url, 5_000, 1000)).toMatchObject({ ok: true, size: 1001 });
    await expect.poll(() => closed).toBe(true);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('reports a body cut short, never a digest of the bytes that came', async () => {
    const { url } = await serve((_, socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.end(body.subarray(0, 1000));
    });
    const outcome = await hashUrl(url, 5_000, body.length);
    expect(outcome).toMatchObject({ ok: false, code: 'TRUNCATED' });
    expect(!outcome.ok && outcome.message).toContain(`after 1000 bytes of ${body.length}`);
  });

  it("reports statuses in the audit's words, a header that never ends, a silent server and a closed port", async () => {
    const statuses = new Map([
      ['404', 'NOT_FOUND'],
      ['403', 'ACCESS_DENIED'],
      ['503', 'MIRROR_UNAVAILABLE'],
      ['416', 'HTTP_416'],
    ]);
    const { url } = await serve((head, socket) => {
      const status = /key-(\d+)/.exec(head)?.[1];
      if (status) return void socket.end(`HTTP/1.1 ${status} Whatever\r\nContent-Length: 0\r\n\r\n`);
      if (head.includes('endless')) {
        socket.write('HTTP/1.1 200 OK\r\n');
        for (let i = 0; i < 2000; i++) socket.write(`X-Padding-${i}: ${'x'.repeat(60)}\r\n`);
        return;
      }
      // 'silent': accept and say nothing.
    });
    for (const [status, code] of statuses) {
      expect(await hashUrl(url.replace('key.bin', `key-${status}`), 5_000, body.length)).toMatchObject({
        ok: false,
        code,
        message: expect.stringContaining(`HTTP ${status}`),
      });
    }
    expect(await hashUrl(url.replace('key.bin', 'endless'), 5_000, body.length)).toMatchObject({
      ok: false,
      code: 'BAD_RESPONSE',
    });
    expect(await hashUrl(url.replace('key.bin', 'silent'), 300, body.length)).toMatchObject({
      ok: false,
      code: 'MIRROR_UNAVAILABLE',
      message: expect.stringContaining('no byte for 300 ms'),
    });
    expect(await hashUrl('http://127.0.0.1:1/x', 5_000, body.length)).toMatchObject({
      ok: false,
      code: 'MIRROR_UNAVAILABLE',
    });
  });
});
