// The site as a mirror serves it: `catalogue publish` puts the fixture site into a bucket of the real S3 gateway,
// and a plain reader in front of the bucket (GET the key, index.html for a folder, the headers the bucket
// stored) serves it to Chromium. Home page, search and an entry page must work from there.
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { publishSite } from '../../site/lib/publish-site.ts';
import { createS3Store } from '../../storage/s3-store.ts';
import { createTestBucket, removeTestBucket, testClient } from '../storage/s3-env.ts';

const client = testClient();
let bucket: string;
let server: Server;
let base: string;

/** Serves the bucket as a static website endpoint would: a key per path, index.html for a folder. */
function bucketWebsite(bucketName: string): Server {
  return createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).slice(1);
    const key = path === '' || path.endsWith('/') ? `${path}index.html` : path;
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
      response.writeHead(200, {
        'Content-Type': object.ContentType ?? 'application/octet-stream',
        ...(object.ContentEncoding ? { 'Content-Encoding': object.ContentEncoding } : {}),
        ...(object.CacheControl ? { 'Cache-Control': object.CacheControl } : {}),
      });
      response.end(Buffer.from(await object.Body!.transformToByteArray()));
    } catch (error) {
      response.writeHead(error instanceof NoSuchKey ? 404 : 500).end();
    }
  });
}

test.beforeAll(async () => {
  bucket = await createTestBucket(client, 'site');
  const report = await publishSite({
    dir: process.env.SITE_TEST_DIR!,
    store: createS3Store({ id: 'site', client, bucket }),
    gzip: true,
  });
  expect(report.uploaded).toBe(report.files);
  server = bucketWebsite(bucket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (bucket) await removeTestBucket(client, bucket);
});

test('the published site works from the bucket: home, search and an entry page', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(base);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Bioimage Catalogue');
  await page.goto(`${base}search/`);
  await page.locator('#q').fill('quokkafluorescence');
  await expect(page.locator('#results li')).toHaveCount(1);
  await page.locator('#results li a').first().click();
  await expect(page).toHaveURL(/\/entries\/BIC0000013\/$/);
  expect(page.url().startsWith(base)).toBe(true);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(errors).toEqual([]);
});
