// The code a viewer page shows runs as shown: the zarrita snippet in Node and the zarr 2 snippet in Debian's Python
// read the demo's OME-Zarr images (0.4 on Zarr v2, 0.5 on Zarr v3) over HTTP from `catalogue serve`'s /files/ and
// from a bucket of the real S3 gateway read anonymously. The gateway, given the CORS rule of docs/image-viewer.md,
// answers a browser's preflight and GET with the headers the viewer needs, and so does `catalogue serve`.
import { PutBucketCorsCommand, PutBucketPolicyCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoManifest, renderDemoFiles, writeDemoData } from '../../catalog/demo/data.ts';
import { zarritaSnippet, zarrPythonSnippet, type SnippetImage } from '../../site/lib/image-snippets.ts';
import { omeZarrImages } from '../../site/lib/ome-zarr-images.ts';
import { startStaticServer, type RunningServer } from '../../site/lib/static-server.ts';
import { publicReadPolicy, viewerCorsConfiguration } from '../../storage/viewer-cors.ts';
import { createTestBucket, removeTestBucket, s3TestEnv, testClient } from '../storage/s3-env.ts';

const repo = join(import.meta.dirname, '..', '..');
const accession = 'BIC0000059';
const debianPython = '/usr/bin/python3';
let work: string;
let server: RunningServer;
let filesUrl: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'image-snippets-'));
  await writeDemoData(join(work, 'bucket'), [accession]);
  server = await startStaticServer({
    root: work,
    port: 0,
    mounts: [{ prefix: '/files/', root: join(work, 'bucket') }],
  });
  filesUrl = new URL('files/', server.url.replace('localhost', '127.0.0.1')).href;
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** The demo entry's two images as its viewer pages name them, read from the mirror at `publicBaseUrl`. */
function demoImages(publicBaseUrl: string): { v04: SnippetImage; v05: SnippetImage } {
  const mirrors = [{ id: 'local', kind: 'folder' as const, role: 'primary' as const, path: 'x', publicBaseUrl }];
  const images = omeZarrImages(demoManifest(accession), mirrors);
  const toSnippet = (root: string) => {
    const image = images.find((i) => i.root === root)!;
    return { url: image.url!, zarrVersion: image.zarrVersion, name: root };
  };
  return { v04: toSnippet('kidney_01.ome.zarr'), v05: toSnippet('kidney_02.ome.zarr') };
}

async function runJavaScript(code: string): Promise<string> {
  // From the repository, so that `import "zarrita"` finds the project's copy.
  const run = await execa(process.execPath, ['--input-type=module', '-e', code], { cwd: repo, reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

async function runPython(code: string): Promise<string> {
  const run = await execa(debianPython, ['-c', code], { reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

/** What both snippets print of the demo images: axes, then the shape of every level. */
const expected = {
  v04: {
    axes: ['c', 'z', 'y', 'x'],
    shapes: [
      [2, 16, 128, 128],
      [2, 8, 64, 64],
    ],
    plane: [64, 64],
  },
  v05: {
    axes: ['c', 'z', 'y', 'x'],
    shapes: [
      [3, 16, 384, 384],
      [3, 8, 192, 192],
      [3, 4, 96, 96],
    ],
    plane: [96, 96],
  },
};

function expectJavaScriptOutput(stdout: string, want: (typeof expected)['v04']): void {
  const flat = stdout.replace(/\s+/g, '');
  expect(flat).toContain(
    `[${want.axes.map((a) => `'${a}'`).join(',')}][${want.shapes.map((s) => `[${s}]`).join(',')}]`,
  );
  expect(flat).toContain(`[${want.plane}]${want.plane[0] * want.plane[1]}`);
}

function expectPythonOutput(stdout: string, want: (typeof expected)['v04']): void {
  const lines = stdout.trim().split('\n');
  const shapes = want.shapes.map((s) => `(${s.join(', ')})`).join(', ');
  expect(lines[0]).toBe(`[${want.axes.map((a) => `'${a}'`).join(', ')}] [${shapes}]`);
  // A real plane: uint16, with more than one value in it.
  const plane = /^\((\d+), (\d+)\) (\w+) (\d+) (\d+)$/.exec(lines[1]);
  expect(plane, lines[1]).not.toBeNull();
  expect([Number(plane![1]), Number(plane![2])]).toEqual(want.plane);
  expect(plane![3]).toBe('uint16');
  expect(Number(plane![5])).toBeGreaterThan(Number(plane![4]));
}

describe('snippets over HTTP from `catalogue serve`', () => {
  it('zarrita reads the OME-Zarr 0.4 and the 0.5 image', async () => {
    const { v04, v05 } = demoImages(filesUrl);
    expectJavaScriptOutput(await runJavaScript(zarritaSnippet(v04).code), expected.v04);
    expectJavaScriptOutput(await runJavaScript(zarritaSnippet(v05).code), expected.v05);
  }, 60_000);

  it('zarr 2 in Debian Python reads the 0.4 image; the 0.5 image gets no zarr 2 snippet', async () => {
    const { v04, v05 } = demoImages(filesUrl);
    expectPythonOutput(await runPython(zarrPythonSnippet(v04)!.code), expected.v04);
    expect(zarrPythonSnippet(v05)).toBeUndefined();
  }, 60_000);

  it('a URL cannot break out of the string it is written into', () => {
    const url = 'https://example.org/a"b\'c\\d\n");process.exit(7);("/';
    const code = zarritaSnippet({ url, zarrVersion: 3, name: 'x' }).code;
    expect(code).toContain(JSON.stringify(url));
    expect(code).not.toContain('process.exit(7);("');
  });

  it('serves /files/ with CORS headers and answers the preflight', async () => {
    const key = `${filesUrl}${accession}/kidney_02.ome.zarr/zarr.json`;
    const preflight = await fetch(key, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://viewer.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/\bRange\b/i);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/\bGET\b/);
    const get = await fetch(key, { headers: { Origin: 'https://viewer.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    expect(get.headers.get('access-control-expose-headers')).toMatch(/Content-Length.*Content-Range.*ETag/);
    expect(get.headers.get('etag')).toMatch(/^W\/"/);
    // Still a download, never a page of the site.
    expect(get.headers.get('content-disposition')).toMatch(/^attachment/);
    // The site's own pages get no CORS headers.
    const page = await fetch(server.url.replace('localhost', '127.0.0.1'), {
      headers: { Origin: 'https://x.example' },
    });
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('snippets against a public bucket of the real S3 gateway', () => {
  let client: S3Client;
  let bucket: string;
  let bucketUrl: string;

  beforeAll(async () => {
    client = testClient();
    bucket = await createTestBucket(client, 'viewer');
    const files = renderDemoFiles(accession).filter((f) => f.path.startsWith('kidney_'));
    for (const file of files)
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${accession}/${file.path}`,
          Body: file.bytes,
        }),
      );
    // Read and listed anonymously, as a public mirror is (docs/image-viewer.md): with ListBucket a missing key is a
    // 404, which Zarr readers take for "absent", rather than a 403.
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(publicReadPolicy(bucket)) }));
    // The rule exactly as docs/image-viewer.md gives it for `aws s3api put-bucket-cors`.
    const docs = await readFile(join(repo, 'docs', 'image-viewer.md'), 'utf8');
    const rule = JSON.parse(/<!-- cors-rule -->\s*```json\n([\s\S]*?)```/.exec(docs)![1]);
    expect(rule).toEqual(viewerCorsConfiguration);
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: rule }));
    bucketUrl = `${s3TestEnv().endpoint.replace(/\/$/, '')}/${bucket}/`;
  }, 120_000);
  afterAll(async () => {
    if (bucket) await removeTestBucket(client, bucket);
  });

  it('answers a preflight and a GET with Origin with the CORS headers', async () => {
    const key = `${bucketUrl}${accession}/kidney_01.ome.zarr/.zattrs`;
    const preflight = await fetch(key, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://viewer.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'range',
      },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/viewer\.example)$/);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/\bGET\b/);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('range');
    const get = await fetch(key, { headers: { Origin: 'https://viewer.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/viewer\.example)$/);
    expect(get.headers.get('access-control-expose-headers')?.toLowerCase()).toMatch(/content-range/);
  });

  it('zarrita and zarr 2 read the images anonymously', async () => {
    const { v04, v05 } = demoImages(bucketUrl);
    expectJavaScriptOutput(await runJavaScript(zarritaSnippet(v05).code), expected.v05);
    expectPythonOutput(await runPython(zarrPythonSnippet(v04)!.code), expected.v04);
  }, 60_000);
});
