// Federation: an entry harvested in bic_full from another instance carries its manifest, and
// `catalogue mirror sync --entry <harvested id>` copies its files from the partner's public mirror (a real HTTP
// server on port 0, or an anonymous-read bucket on the real RADOS Gateway) into ours, checked byte for byte
// against the partner's sha256: corrupt and missing files are reported, unsafe paths never requested.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { fromFull } from '../../harvester/crosswalks/full.ts';
import { formats } from '../../harvester/provider-formats.ts';
import { parseXml } from '../../harvester/xml.ts';
import type { Manifest } from '../../schemas/index.ts';
import { catalogue, temporaryFolder, writeMirrors } from './helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from './s3-env.ts';

const id = 'peer.k7f3q9xw2m4tabcd';
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let work: string;
let catalog: string;
let partnerFolder: string;
let bucket: string;
let server: Server;
let baseUrl: string;
let client: S3Client;
const buckets: string[] = [];
const bytes: Record<string, Buffer> = {};

/** The partner's manifest: three files its mirror should hold. */
function partnerManifest(extra: Manifest['files'] = []): Manifest {
  return {
    schemaVersion: 1,
    location: { mirror: 'local', prefix: 'BIC0000015/' },
    files: [
      ...['images/a.tif', 'images/b.tif', 'notes.txt'].map((path) => ({
        path,
        size: bytes[path].length,
        sha256: sha(bytes[path]),
        format: 'other' as const,
        role: 'other' as const,
      })),
      ...extra,
    ],
  };
}

async function writeHarvested(manifest: Manifest | undefined) {
  const record = {
    schemaVersion: 1,
    id,
    origin: {
      partner: 'peer',
      identifier: 'oai:peer.example.org:BIC0000015',
      datestamp: '2025-01-02T03:04:05Z',
      metadataFormat: 'bic_full',
      harvestedAt: '2025-01-03T00:00:00Z',
    },
    study: { title: 'A study harvested from another instance' },
    sourceAccession: 'BIC0000015',
    ...(manifest ? { manifest } : {}),
  };
  await mkdir(join(catalog, 'harvested', 'peer'), { recursive: true });
  await writeFile(join(catalog, 'harvested', 'peer', `${id}.json`), JSON.stringify(record, null, 2) + '\n');
}

async function writePartners(files: string): Promise<string> {
  const file = join(work, 'partners.yaml');
  await writeFile(
    file,
    `partners:\n` +
      `  - id: peer\n` +
      `    name: Peer catalogue\n` +
      `    baseUrl: https://peer.example.org/oai\n` +
      `    metadataPrefix: bic_full\n` +
      `    schedule: "0 3 * * *"\n` +
      `    contact: data@peer.example.org\n` +
      `${files}`,
  );
  return file;
}

beforeAll(async () => {
  work = await temporaryFolder('federation');
  catalog = join(work, 'catalog');
  bucket = join(work, 'bucket');
  partnerFolder = join(work, 'partner-mirror');
  for (const [path, size] of [
    ['images/a.tif', 300_000],
    ['images/b.tif', 20_000],
    ['notes.txt', 100],
  ] as const)
    bytes[path] = randomBytes(size);
  // The partner's public mirror: a static file server over its folder, HEAD and GET, nothing outside it.
  server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    if (path.startsWith('..')) return void response.writeHead(403).end();
    try {
      const body = await readFile(join(partnerFolder, path));
      response.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/public`;
});

afterAll(async () => {
  server?.close();
  for (const name of buckets) await removeTestBucket(client, name).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('bic_full carries the manifest', () => {
  it('the provider renders <bic:manifest> and the crosswalk keeps it in the harvested record', () => {
    const manifest: Manifest = {
      schemaVersion: 1,
      location: { mirror: 'local', prefix: 'BIC0000015/' },
      files: [{ path: 'x.tif', size: 3, sha256: 'a'.repeat(64), format: 'TIFF', role: 'image' }],
    };
    const record = {
      kind: 'entry',
      data: { accession: 'BIC0000015', study: { title: 'T <&> "q"' } },
      manifest,
      summary: { accession: 'BIC0000015' },
    } as unknown as CatalogueRecord;
    const full = formats.find((f) => f.prefix === 'bic_full')!;
    const xml = full.render(record, { name: 'Peer', baseUrl: 'https://peer.example.org' } as never);
    expect(xml).toContain('<bic:manifest>');
    const crosswalked = fromFull(parseXml(xml).root, { partner: 'peer', identifier: 'oai:peer:BIC0000015' });
    expect(crosswalked.manifest).toEqual(manifest);
    expect(crosswalked.study.title).toBe('T <&> "q"');
  });

  it('a tombstone carries no manifest', () => {
    const record = {
      kind: 'tombstone',
      data: { accession: 'BIC0000016', title: 'Gone', withdrawn: { date: '2025-01-01', reason: 'x' } },
      manifest: { schemaVersion: 1, location: { mirror: 'local', prefix: 'B/' }, files: [] },
      summary: { accession: 'BIC0000016' },
    } as unknown as CatalogueRecord;
    expect(
      formats
        .find((f) => f.prefix === 'bic_full')!
        .render(record, { name: 'Peer', baseUrl: 'https://peer.example.org' } as never),
    ).not.toContain('manifest');
  });
});

describe('mirror sync --entry <harvested id>', () => {
  it(
    'copies from an HTTP mirror, verifying each file; a corrupt copy is removed, ' +
      'a missing one reported, an unsafe path never requested',
    async () => {
      // At the partner: a.tif right, b.tif corrupted (same size, other bytes), notes.txt missing.
      await mkdir(join(partnerFolder, 'public', 'BIC0000015', 'images'), { recursive: true });
      await writeFile(join(partnerFolder, 'public', 'BIC0000015', 'images', 'a.tif'), bytes['images/a.tif']);
      await writeFile(
        join(partnerFolder, 'public', 'BIC0000015', 'images', 'b.tif'),
        randomBytes(bytes['images/b.tif'].length),
      );
      await writeHarvested(
        partnerManifest([{ path: '../../escape.txt', size: 1, sha256: 'b'.repeat(64), format: 'TXT', role: 'other' }]),
      );
      const partners = await writePartners(`    files: { baseUrl: "${baseUrl}" }\n`);
      const mirrors = await writeMirrors(
        work,
        `mirrors:\n  - { id: local, kind: folder, role: primary, path: "${bucket}" }\n`,
      );
      const run = await catalogue(
        'mirror',
        'sync',
        '--entry',
        id,
        '--catalog',
        catalog,
        '--mirrors',
        mirrors,
        '--partners',
        partners,
      );
      expect(run.code, run.stderr).toBe(1);
      const copies = join(bucket, 'partners', 'peer', 'BIC0000015');
      expect(await readFile(join(copies, 'images', 'a.tif'))).toEqual(bytes['images/a.tif']);
      expect(existsSync(join(copies, 'images', 'b.tif'))).toBe(false);
      expect(existsSync(join(work, 'escape.txt'))).toBe(false);
      expect(run.stderr).toContain(`harvested/peer/${id}.json images/b.tif: SOURCE_CORRUPT`);
      expect(run.stderr).toContain(`harvested/peer/${id}.json notes.txt: MISSING_AT_PARTNER`);
      expect(run.stderr).toMatch(/\.\.\/\.\.\/escape\.txt: UNSAFE_PATH/);
      expect(run.stdout).toContain('1 copied');

      // The partner fixes its mirror: the next run copies what is missing and keeps what is there.
      await writeFile(join(partnerFolder, 'public', 'BIC0000015', 'images', 'b.tif'), bytes['images/b.tif']);
      await writeFile(join(partnerFolder, 'public', 'BIC0000015', 'notes.txt'), bytes['notes.txt']);
      await writeHarvested(partnerManifest());
      const again = await catalogue(
        'mirror',
        'sync',
        '--entry',
        id,
        '--catalog',
        catalog,
        '--mirrors',
        mirrors,
        '--partners',
        partners,
        '--json',
      );
      expect(again.code, again.stderr).toBe(0);
      const result = JSON.parse(again.stdout);
      expect(result).toMatchObject({
        entry: id,
        copied: 2,
        present: 1,
        problems: [],
        prefix: 'partners/peer/BIC0000015/',
      });
      for (const path of Object.keys(bytes))
        expect(sha(await readFile(join(copies, ...path.split('/'))))).toBe(sha(bytes[path]));
    },
  );

  it('copies from an anonymous-read bucket on the RADOS Gateway into an S3 mirror', async () => {
    const env = s3TestEnv();
    client = testClient();
    const [publicBucket, ours] = [
      await createTestBucket(client, 'fed-pub'),
      await createTestBucket(client, 'fed-ours'),
    ];
    buckets.push(publicBucket, ours);
    // Public objects: read without credentials (the request is unsigned), as a partner's public mirror is.
    for (const path of Object.keys(bytes))
      await client.send(
        new PutObjectCommand({
          Bucket: publicBucket,
          Key: `mirror/BIC0000015/${path}`,
          Body: bytes[path],
          ACL: 'public-read',
        }),
      );
    await writeHarvested(partnerManifest());
    const partners = await writePartners(
      `    files: { endpoint: "${env.endpoint}", bucket: ${publicBucket}, prefix: mirror/ }\n`,
    );
    process.env.FED_KEY = env.accessKeyId;
    process.env.FED_SECRET = env.secretAccessKey;
    const mirrors = await writeMirrors(
      work,
      `mirrors:\n` +
        `  - { id: local, kind: folder, role: primary, path: "${bucket}" }\n` +
        `  - { id: ours, kind: s3, role: mirror, endpoint: "${env.endpoint}", bucket: ${ours}, ` +
        `credentials: { accessKeyIdEnv: FED_KEY, secretAccessKeyEnv: FED_SECRET } }\n`,
    );
    const run = await catalogue(
      'mirror',
      'sync',
      '--entry',
      id,
      '--to',
      'ours',
      '--catalog',
      catalog,
      '--mirrors',
      mirrors,
      '--partners',
      partners,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('3 copied');
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const got = await client.send(new GetObjectCommand({ Bucket: ours, Key: 'partners/peer/BIC0000015/images/a.tif' }));
    expect(sha(await got.Body!.transformToByteArray())).toBe(sha(bytes['images/a.tif']));
    expect(got.Metadata?.sha256).toBe(sha(bytes['images/a.tif']));
  });

  it('a partner without a public mirror, and a record without a manifest, are explained', async () => {
    await writeHarvested(partnerManifest());
    const mirrors = await writeMirrors(
      work,
      `mirrors:\n  - { id: local, kind: folder, role: primary, path: "${bucket}" }\n`,
    );
    const noFiles = await catalogue(
      'mirror',
      'sync',
      '--entry',
      id,
      '--catalog',
      catalog,
      '--mirrors',
      mirrors,
      '--partners',
      await writePartners(''),
    );
    expect(noFiles.code).toBe(2);
    expect(noFiles.stderr).toContain("partner 'peer' has no `files`");
    await writeHarvested(undefined);
    const noManifest = await catalogue(
      'mirror',
      'sync',
      '--entry',
      id,
      '--catalog',
      catalog,
      '--mirrors',
      mirrors,
      '--partners',
      await writePartners(`    files: { baseUrl: "${baseUrl}" }\n`),
    );
    expect(noManifest.code).toBe(1);
    expect(noManifest.stderr).toContain(`harvested/peer/${id}.json: NO_MANIFEST`);
    const unknown = await catalogue(
      'mirror',
      'sync',
      '--entry',
      'peer.nosuchrecord',
      '--catalog',
      catalog,
      '--mirrors',
      mirrors,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no harvested record 'peer.nosuchrecord'");
  });
});
