// Builds the fixture catalogue's site once and serves it for every browser test (SITE_TEST_URL).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';

export const fixtureCatalogue = join(import.meta.dirname, 'fixtures/valid/catalogue');

export default async function globalSetup(): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(tmpdir(), 'site-e2e-'));
  const server = await startStaticServer({ root: join(work, 'site'), port: 0 });
  const baseUrl = server.url.replace('localhost', '127.0.0.1');
  await buildSite({ catalog: fixtureCatalogue, out: join(work, 'site'), baseUrl, today: '2025-01-01' });
  process.env.SITE_TEST_URL = baseUrl;
  process.env.SITE_TEST_DIR = join(work, 'site');
  return async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  };
}
