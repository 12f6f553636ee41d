// Builds the fixture catalogue's site once and serves it for every browser test (SITE_TEST_URL). The entry with
// images (fixture-images.ts) has its files and previews in a bucket folder, and the entry with a converted image
// (fixture-conversion.ts) its time lapse and OME-Zarr conversion; a second server publishes that bucket at /files/
// as `catalogue serve` does, with the CORS headers a viewer needs, on another origin, as a public mirror is
// (SITE_TEST_MIRROR_URL): its pictures and images load only if the CSP allows it. The site is built from a copy of
// the catalogue, whose manifest of the converted entry lists the conversion made here.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';
import { addConvertedTimeLapse } from './fixture-conversion.ts';
import { fixtureImages, imagesAccession } from './fixture-images.ts';

export const fixtureCatalogue = join(import.meta.dirname, 'fixtures/valid/catalogue');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(tmpdir(), 'site-e2e-'));
  const bucket = join(work, 'bucket');
  for (const object of (await fixtureImages('main')).objects) {
    const file = join(bucket, imagesAccession, ...object.path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, object.bytes);
  }
  const catalogue = join(work, 'catalogue');
  await cp(fixtureCatalogue, catalogue, { recursive: true });
  await addConvertedTimeLapse(catalogue, bucket);
  const mirrorSite = join(work, 'mirror-site');
  await mkdir(mirrorSite);
  const mirror = await startStaticServer({ root: mirrorSite, port: 0, mounts: [{ prefix: '/files/', root: bucket }] });
  const mirrorUrl = `${mirror.url.replace('localhost', '127.0.0.1')}files/`;
  const mirrorsFile = join(work, 'mirrors.yaml');
  await writeFile(
    mirrorsFile,
    `mirrors:\n  - id: local\n    kind: folder\n    role: primary\n    path: ${JSON.stringify(bucket)}\n` +
      `    publicBaseUrl: ${JSON.stringify(mirrorUrl)}\n`,
  );
  process.env.CATALOGUE_MIRRORS = mirrorsFile;
  const server = await startStaticServer({
    root: join(work, 'site'),
    port: 0,
    imageOrigins: [new URL(mirrorUrl).origin],
  });
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  // Search shards of about eight records: the browser tests search across several, as at scale.
  process.env.SITE_SEARCH_SHARD_TARGET = '8';
  await buildSite({ catalog: catalogue, out: join(work, 'site'), baseUrl, today: '2025-01-01' });
  delete process.env.SITE_SEARCH_SHARD_TARGET;
  process.env.SITE_TEST_URL = baseUrl;
  process.env.SITE_TEST_DIR = join(work, 'site');
  process.env.SITE_TEST_MIRROR_URL = mirrorUrl;
  return async () => {
    await server.close();
    await mirror.close();
    await rm(work, { recursive: true, force: true });
  };
}
