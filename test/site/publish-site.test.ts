// `catalogue publish` against the real S3 gateway and a folder: changed files only, headers per file, new files
// before the pages that link to them and old files removed last, objects it did not publish left alone, and an
// interrupted publish finished by running it again.
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cacheControlOf,
  immutableCacheControl,
  publishRecordKey,
  publishSite,
  shortCacheControl,
  stageOf,
} from '../../site/lib/publish-site.ts';
import { StorageError } from '../../storage/errors.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { catalogue } from '../storage/helpers.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from '../storage/s3-env.ts';

const client = testClient();
let bucket: string;
let work: string;

beforeAll(async () => {
  s3TestEnv();
  bucket = await createTestBucket(client, 'publish');
  work = await mkdtemp(join(tmpdir(), 'publish-'));
});
afterAll(async () => {
  await removeTestBucket(client, bucket);
  await rm(work, { recursive: true, force: true });
});

async function writeSite(dir: string, files: Record<string, string>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const [key, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await writeFile(join(dir, key), text);
  }
}

const siteV1 = {
  'index.html': '<a href="entries/BIC0000001/">one</a>',
  'entries/BIC0000001/index.html': '<h1>one</h1><link rel="stylesheet" href="/site.css">',
  'entries/BIC0000002/index.html': '<h1>two</h1>',
  'site.css': 'body{margin:0}',
  'pagefind/pagefind-entry.json': '{"meta":"pagefind.en_1.pf_meta"}',
  'pagefind/pagefind.en_1.pf_meta': 'meta one',
  'pagefind/fragment/en_a.pf_fragment': 'fragment a',
  'catalogue.jsonl': '{"accession":"BIC0000001"}\n',
};

/** A store that records the order of writes and can fail the n-th put, as a connection cut would. */
function recording(store: ObjectStore, failAfterPuts = Infinity) {
  const operations: string[] = [];
  let puts = 0;
  const wrapped: ObjectStore = {
    ...store,
    head: (key) => store.head(key),
    list: (prefix) => store.list(prefix),
    read: (key, options) => store.read(key, options),
    async put(key, body, options) {
      if (key !== publishRecordKey && ++puts > failAfterPuts)
        throw new StorageError('S3_NetworkingError', `${key}: connection reset`);
      operations.push(`put ${key}`);
      await store.put(key, body, options);
    },
    async delete(key) {
      operations.push(`delete ${key}`);
      await store.delete(key);
    },
  };
  return { store: wrapped, operations };
}

const s3 = (prefix = '') => createS3Store({ id: 'site-mirror', client, bucket, prefix });

describe('publishing a built site to a bucket', () => {
  it('sends every file once with its Content-Type and Cache-Control, then nothing when nothing changed', async () => {
    const dir = join(work, 'v1');
    await writeSite(dir, siteV1);
    const first = await publishSite({ dir, store: s3('one/') });
    expect(first).toMatchObject({ files: 8, uploaded: 8, unchanged: 0, deleted: 0 });

    const page = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'one/entries/BIC0000001/index.html' }));
    expect(page.ContentType).toBe('text/html; charset=utf-8');
    expect(page.CacheControl).toBe(shortCacheControl);
    const fragment = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'one/pagefind/fragment/en_a.pf_fragment' }),
    );
    expect(fragment.CacheControl).toBe(immutableCacheControl);
    expect(fragment.ContentType).toBe('application/octet-stream');

    const again = await publishSite({ dir, store: s3('one/') });
    expect(again).toMatchObject({ uploaded: 0, unchanged: 8, deleted: 0 });
  });

  it('sends only what changed, stores new files before the pages, and removes old files last', async () => {
    const dir = join(work, 'v2');
    await writeSite(dir, siteV1);
    await publishSite({ dir, store: s3('two/') });
    const v2 = { ...siteV1 } as Record<string, string>;
    delete v2['entries/BIC0000002/index.html'];
    delete v2['pagefind/pagefind.en_1.pf_meta'];
    v2['pagefind/pagefind.en_2.pf_meta'] = 'meta two';
    v2['pagefind/pagefind-entry.json'] = '{"meta":"pagefind.en_2.pf_meta"}';
    v2['entries/BIC0000003/index.html'] = '<h1>three</h1>';
    v2['index.html'] = '<a href="entries/BIC0000003/">three</a>';
    await writeSite(dir, v2);
    const { store, operations } = recording(s3('two/'));
    const report = await publishSite({ dir, store });
    expect(report).toMatchObject({ uploaded: 4, unchanged: 4, deleted: 2 });
    const writes = operations.filter((op) => !op.endsWith(publishRecordKey));
    // Stage by stage; within a stage the files go up together, in any order.
    expect(writes.slice(0, 2)).toEqual(['put pagefind/pagefind.en_2.pf_meta', 'put pagefind/pagefind-entry.json']);
    expect(writes.slice(2, 4).sort()).toEqual(['put entries/BIC0000003/index.html', 'put index.html']);
    expect(writes.slice(4).sort()).toEqual([
      'delete entries/BIC0000002/index.html',
      'delete pagefind/pagefind.en_1.pf_meta',
    ]);
    const keys: string[] = [];
    for await (const object of s3('two/').list('')) keys.push(object.key);
    expect(keys.sort()).toEqual([...Object.keys(v2), publishRecordKey].sort());
  });

  it('never removes or replaces objects it did not publish', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'three/BIC0000001/data.tif', Body: 'data' }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'three/site.css', Body: 'someone else' }));
    const dir = join(work, 'v3');
    await writeSite(dir, siteV1);
    await expect(publishSite({ dir, store: s3('three/') })).rejects.toThrow(
      /1 object\(s\) this command did not publish would be replaced, e\.g\. site\.css; .*--force/,
    );
    const forced = await publishSite({ dir, store: s3('three/'), force: true });
    expect(forced.uploaded).toBe(8);
    await writeSite(dir, { 'index.html': 'only a home page' });
    const report = await publishSite({ dir, store: s3('three/') });
    expect(report.deleted).toBe(7);
    const data = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'three/BIC0000001/data.tif' }));
    expect(await data.Body!.transformToString()).toBe('data');
  });

  it('an interrupted publish removes nothing, and running it again finishes it', async () => {
    const dir = join(work, 'v4');
    await writeSite(dir, siteV1);
    await publishSite({ dir, store: s3('four/') });
    const v2 = { ...siteV1 } as Record<string, string>;
    delete v2['entries/BIC0000002/index.html'];
    v2['site.css'] = 'body{margin:1em}';
    v2['entries/BIC0000001/index.html'] = '<h1>one, changed</h1>';
    v2['pagefind/fragment/en_b.pf_fragment'] = 'fragment b';
    await writeSite(dir, v2);
    const cut = recording(s3('four/'), 1);
    await expect(publishSite({ dir, store: cut.store, concurrency: 1 })).rejects.toThrow(
      /could not be sent.*nothing was removed: run the command again/,
    );
    expect(cut.operations.filter((op) => op.startsWith('delete'))).toEqual([]);
    expect(await s3('four/').head('entries/BIC0000002/index.html')).toBeDefined();
    const rerun = await publishSite({ dir, store: s3('four/') });
    expect(rerun.uploaded).toBe(2);
    expect(rerun.deleted).toBe(1);
    const keys: string[] = [];
    for await (const object of s3('four/').list('')) keys.push(object.key);
    expect(keys.sort()).toEqual([...Object.keys(v2), publishRecordKey].sort());
  });

  it('with --gzip stores text gzipped with Content-Encoding, and the bytes decompress to the file', async () => {
    const dir = join(work, 'v5');
    await writeSite(dir, siteV1);
    const run = await catalogue(
      'publish',
      '--to',
      'site',
      '--dir',
      dir,
      '--prefix',
      'five/',
      '--gzip',
      '--mirrors',
      await mirrorsFile(),
    );
    expect(run.stderr).toContain('stage 1/3');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8 of 8 file\(s\) sent/);
    const page = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'five/index.html' }));
    expect(page.ContentEncoding).toBe('gzip');
    const bytes = Buffer.from(await page.Body!.transformToByteArray());
    expect(gunzipSync(bytes).toString()).toBe(siteV1['index.html']);
    const fragment = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'five/pagefind/fragment/en_a.pf_fragment' }),
    );
    expect(fragment.ContentEncoding).toBeUndefined();
  });
});

async function mirrorsFile(): Promise<string> {
  const env = s3TestEnv();
  process.env.PUBLISH_TEST_KEY = env.accessKeyId;
  process.env.PUBLISH_TEST_SECRET = env.secretAccessKey;
  const file = join(work, 'mirrors.yaml');
  await writeFile(
    file,
    `mirrors:
  - { id: local, kind: folder, role: primary, path: ${JSON.stringify(join(work, 'bucket'))} }
  - id: site
    kind: s3
    role: mirror
    endpoint: ${env.endpoint}
    bucket: ${bucket}
    credentials: { accessKeyIdEnv: PUBLISH_TEST_KEY, secretAccessKeyEnv: PUBLISH_TEST_SECRET }
`,
  );
  return file;
}

describe('publishing to a folder', () => {
  it('copies the site, and a second publish after a change sends one file', async () => {
    const dir = join(work, 'f1');
    await writeSite(dir, siteV1);
    const target = join(work, 'served');
    const store = createFolderStore({ id: 'folder', root: target });
    expect((await publishSite({ dir, store })).uploaded).toBe(8);
    await writeFile(join(dir, 'site.css'), 'body{margin:2em}');
    expect(await publishSite({ dir, store })).toMatchObject({ uploaded: 1, unchanged: 7 });
    expect(await readFile(join(target, 'site.css'), 'utf8')).toBe('body{margin:2em}');
  });

  it('refuses a folder that is not a built site', async () => {
    await expect(
      publishSite({ dir: join(work, 'nothing'), store: createFolderStore({ id: 'x', root: join(work, 'x') }) }),
    ).rejects.toThrow(/not a built site; run `catalogue build` first/);
  });
});

describe('headers and order by key', () => {
  it('fingerprinted search files are immutable, pages and unhashed entry points short-lived', () => {
    expect(cacheControlOf('pagefind/index/en_3f.pf_index')).toBe(immutableCacheControl);
    expect(cacheControlOf('pagefind/filter/en_3f.pf_filter')).toBe(immutableCacheControl);
    expect(cacheControlOf('pagefind/pagefind.en_3f.pf_meta')).toBe(immutableCacheControl);
    expect(cacheControlOf('_astro/index.B1x2.css')).toBe(immutableCacheControl);
    expect(cacheControlOf('pagefind/pagefind-entry.json')).toBe(shortCacheControl);
    expect(cacheControlOf('pagefind/pagefind.js')).toBe(shortCacheControl);
    expect(cacheControlOf('entries/BIC0000001/index.html')).toBe(shortCacheControl);
    expect(stageOf('pagefind/fragment/a.pf_fragment')).toBe(0);
    expect(stageOf('pagefind/pagefind-entry.json')).toBe(1);
    expect(stageOf('index.html')).toBe(2);
  });

  it('treats the bundle of a search shard as the first bundle', () => {
    const shard = 'pagefind-BIC0042017';
    expect(cacheControlOf(`${shard}/index/en_3f.pf_index`)).toBe(immutableCacheControl);
    expect(cacheControlOf(`${shard}/fragment/en_3f.pf_fragment`)).toBe(immutableCacheControl);
    expect(cacheControlOf(`${shard}/pagefind.en_3f.pf_meta`)).toBe(immutableCacheControl);
    expect(cacheControlOf(`${shard}/pagefind-entry.json`)).toBe(shortCacheControl);
    expect(stageOf(`${shard}/pagefind.en_3f.pf_meta`)).toBe(0);
    expect(stageOf(`${shard}/pagefind-entry.json`)).toBe(1);
    expect(stageOf('entries/pagefind-entry.json')).toBe(0);
  });
});
