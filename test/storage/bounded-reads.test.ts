// A partner's source that holds more bytes than its manifest says (a bigger S3 object on the real RADOS Gateway,
// a bigger file in a folder, an HTTP server that streams without end) is refused after at most size + 1 bytes
// have been read from it, and nothing of it stays at the destination (no object, no partial file).
import { HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../schemas/index.ts';
import { replicateFederated } from '../../storage/federation.ts';
import { createFolderStore, partialDir } from '../../storage/folder-store.ts';
import { createHttpStore } from '../../storage/http-store.ts';
import { createS3Store, singlePutLimit } from '../../storage/s3-store.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { temporaryFolder } from './helpers.ts';
import { createTestBucket, removeTestBucket, testClient } from './s3-env.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** What the manifest promises: 100 000 bytes. */
const declared = randomBytes(100_000);
/** The server's stream stops here at the latest, so that a reader without a bound fails the test, not the machine. */
const serverCap = 64 * 1024 * 1024;

let work: string;
let server: Server;
let baseUrl: string;
let client: S3Client;
const buckets: string[] = [];
const served = { bytes: 0, closed: 0, ranges: [] as string[] };

function manifest(): Manifest {
  return {
    schemaVersion: 1,
    location: { mirror: 'local', prefix: 'BIC0000015/' },
    files: [{ path: 'images/big.tif', size: declared.length, sha256: sha(declared), format: 'TIFF', role: 'image' }],
  };
}

/** The source, with a count of the bytes its read() streams yielded. */
function counted(store: ObjectStore): { store: ObjectStore; read: { bytes: number } } {
  const read = { bytes: 0 };
  return {
    read,
    store: {
      ...store,
      async read(key, options) {
        const stream = await store.read(key, options);
        async function* count() {
          for await (const chunk of stream) {
            read.bytes += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
        }
        return Readable.from(count(), { objectMode: false });
      },
    },
  };
}

async function folderTarget(label: string): Promise<{ store: ObjectStore; root: string }> {
  const root = join(work, label);
  return { store: createFolderStore({ id: label, root }), root };
}

/** Nothing under the folder but empty folders: no object, no partial file. */
async function filesUnder(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  return (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

beforeAll(async () => {
  work = await temporaryFolder('bounded');
  // Streams the declared bytes, then more, without end (up to serverCap), whatever Range the client sends.
  server = createServer((request, response) => {
    served.ranges.push(String(request.headers.range ?? ''));
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = randomBytes(64 * 1024);
    let sent = 0;
    response.on('close', () => served.closed++);
    const more = () => {
      while (sent < serverCap) {
        const body = sent === 0 ? Buffer.concat([declared, chunk]) : chunk;
        sent += body.length;
        served.bytes += body.length;
        if (!response.write(body)) return void response.once('drain', more);
      }
      response.end();
    };
    more();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/public`;
  client = testClient();
});

afterAll(async () => {
  server?.close();
  for (const name of buckets) await removeTestBucket(client, name).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('a source larger than the manifest says', () => {
  it(
    'an HTTP source that streams without end: ' + 'at most size + 1 bytes read, the connection closed, nothing kept',
    async () => {
      const source = counted(createHttpStore({ id: 'partner:peer', baseUrl }));
      const target = await folderTarget('from-http');
      const before = served.closed;
      const result = await replicateFederated({
        partner: 'peer',
        manifest: manifest(),
        source: source.store,
        target: target.store,
      });
      expect(result.copied).toBe(0);
      expect(source.read.bytes).toBeLessThanOrEqual(declared.length + 1);
      expect(result.problems).toMatchObject([{ path: 'images/big.tif', code: 'SOURCE_CORRUPT' }]);
      expect(served.ranges.at(-1)).toBe(`bytes=0-${declared.length}`);
      // The server ignored the Range; the client hung up long before the server's own stop.
      await expect.poll(() => served.closed).toBeGreaterThan(before);
      expect(served.bytes).toBeLessThan(serverCap / 4);
      expect(await filesUnder(target.root)).toEqual([]);
    },
  );

  it(
    'an HTTP source into an S3 mirror: ' + 'the single-PUT buffer holds at most size + 1 bytes, nothing stored',
    async () => {
      const ours = await createTestBucket(client, 'bounded-s3');
      buckets.push(ours);
      const source = counted(createHttpStore({ id: 'partner:peer', baseUrl }));
      const target = createS3Store({ id: 'ours', client, bucket: ours });
      const result = await replicateFederated({ partner: 'peer', manifest: manifest(), source: source.store, target });
      expect(source.read.bytes).toBeLessThanOrEqual(declared.length + 1);
      expect(result.problems).toMatchObject([{ path: 'images/big.tif', code: 'SOURCE_CORRUPT' }]);
      expect(await target.head('partners/peer/BIC0000015/images/big.tif')).toBeUndefined();
    },
  );

  it('a bigger object on the RADOS Gateway: at most size + 1 bytes read (a Range request), nothing kept', async () => {
    const partnerBucket = await createTestBucket(client, 'bounded-src');
    buckets.push(partnerBucket);
    const big = Buffer.concat([declared, randomBytes(4 * 1024 * 1024)]);
    await client.send(new PutObjectCommand({ Bucket: partnerBucket, Key: 'BIC0000015/images/big.tif', Body: big }));
    expect(
      (await client.send(new HeadObjectCommand({ Bucket: partnerBucket, Key: 'BIC0000015/images/big.tif' })))
        .ContentLength,
    ).toBe(big.length);
    const source = counted(createS3Store({ id: 'partner:peer', client, bucket: partnerBucket }));
    const target = await folderTarget('from-s3');
    const result = await replicateFederated({
      partner: 'peer',
      manifest: manifest(),
      source: source.store,
      target: target.store,
    });
    expect(source.read.bytes).toBeLessThanOrEqual(declared.length + 1);
    expect(result.problems).toMatchObject([{ path: 'images/big.tif', code: 'SOURCE_CORRUPT' }]);
    expect(await filesUnder(target.root)).toEqual([]);
  });

  it('a bigger file in a folder mirror: at most size + 1 bytes read, nothing kept', async () => {
    const partnerRoot = join(work, 'partner-folder');
    await mkdir(join(partnerRoot, 'BIC0000015', 'images'), { recursive: true });
    await writeFile(
      join(partnerRoot, 'BIC0000015', 'images', 'big.tif'),
      Buffer.concat([declared, randomBytes(8 * 1024 * 1024)]),
    );
    const source = counted(createFolderStore({ id: 'partner:peer', root: partnerRoot }));
    const target = await folderTarget('from-folder');
    const result = await replicateFederated({
      partner: 'peer',
      manifest: manifest(),
      source: source.store,
      target: target.store,
    });
    expect(source.read.bytes).toBeLessThanOrEqual(declared.length + 1);
    expect(result.problems).toMatchObject([{ path: 'images/big.tif', code: 'SOURCE_CORRUPT' }]);
    expect(await filesUnder(target.root)).toEqual([]);
    expect(existsSync(join(target.root, partialDir)) ? await readdir(join(target.root, partialDir)) : []).toEqual([]);
  });

  it(
    'a stream longer than promised is refused by put itself: ' + 'folder and S3 stores keep nothing and stop reading',
    async () => {
      const ours = await createTestBucket(client, 'bounded-put');
      buckets.push(ours);
      const folder = await folderTarget('put-folder');
      for (const store of [folder.store, createS3Store({ id: 'ours', client, bucket: ours })]) {
        let pulled = 0;
        async function* endless() {
          for (;;) {
            pulled += 65_536;
            yield Buffer.alloc(65_536, 1);
            if (pulled > serverCap) return;
          }
        }
        await expect(
          store.put(
            'x/endless.bin',
            { stream: Readable.from(endless(), { objectMode: false }) },
            { size: 100_000, sha256: 'a'.repeat(64) },
          ),
        ).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
        // Chunks of 64 KiB: the one that crosses the size, plus what the stream had buffered ahead.
        expect(pulled, store.kind).toBeLessThan(100_000 + 1024 * 1024);
        expect(await store.head('x/endless.bin')).toBeUndefined();
      }
      expect(await filesUnder(folder.root)).toEqual([]);
    },
  );

  it(
    'a stream longer than promised above the single-PUT limit: ' + 'the multipart upload is aborted, no parts left',
    async () => {
      const ours = await createTestBucket(client, 'bounded-mp');
      buckets.push(ours);
      const store = createS3Store({ id: 'ours', client, bucket: ours });
      const size = singlePutLimit + 1024;
      let pulled = 0;
      async function* longer() {
        const chunk = randomBytes(1024 * 1024);
        while (pulled < size + 8 * 1024 * 1024) {
          pulled += chunk.length;
          yield chunk;
        }
      }
      await expect(
        store.put(
          'x/long.bin',
          { stream: Readable.from(longer(), { objectMode: false }) },
          { size, sha256: 'a'.repeat(64) },
        ),
      ).rejects.toMatchObject({ code: 'SIZE_MISMATCH' });
      expect(pulled).toBeLessThan(size + 4 * 1024 * 1024);
      expect(await store.head('x/long.bin')).toBeUndefined();
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: ours }));
      expect(uploads.Uploads ?? []).toEqual([]);
    },
  );

  it('the right size still copies, and an empty file too (a Range on an empty object)', async () => {
    const partnerBucket = await createTestBucket(client, 'bounded-ok');
    buckets.push(partnerBucket);
    await client.send(
      new PutObjectCommand({ Bucket: partnerBucket, Key: 'BIC0000015/images/big.tif', Body: declared }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: partnerBucket, Key: 'BIC0000015/empty.txt', Body: new Uint8Array() }),
    );
    const files = [
      ...manifest().files,
      { path: 'empty.txt', size: 0, sha256: sha(new Uint8Array()), format: 'TXT' as const, role: 'other' as const },
    ];
    const target = await folderTarget('ok');
    const result = await replicateFederated({
      partner: 'peer',
      manifest: { ...manifest(), files },
      source: createS3Store({ id: 'partner:peer', client, bucket: partnerBucket }),
      target: target.store,
    });
    expect(result.problems).toEqual([]);
    expect(result.copied).toBe(2);
    expect((await filesUnder(target.root)).length).toBe(2);
  });
});
