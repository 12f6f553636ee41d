// The demo catalogue (archive/) built into a site whose local mirror is served at /files/ by the same server, as
// `catalogue start` does, so that the image viewer pages read the demo's OME-Zarr images over HTTP. Used by the
// viewer's browser tests and its benchmark; only the entries named get their files written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { writeDemoData } from '../../catalog/demo/data.ts';
import { drawDemoPreviews } from '../../cli/demo-bucket.ts';
import { buildSite } from '../../site/lib/build-site.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';

export const archive = join(import.meta.dirname, '..', '..', 'archive');

export interface DemoViewerSite {
  /** The site's address, ending with '/'. */
  url: string;
  close(): Promise<void>;
}

export async function startDemoViewerSite(accessions: readonly string[]): Promise<DemoViewerSite> {
  const work = await mkdtemp(join(tmpdir(), 'viewer-site-'));
  const bucket = join(work, 'bucket');
  await writeDemoData(bucket, accessions);
  await drawDemoPreviews(bucket, archive, accessions);
  const server = await startStaticServer({
    root: join(work, 'site'),
    port: 0,
    mounts: [{ prefix: '/files/', root: bucket }],
  });
  const url = server.url.replace('localhost', '127.0.0.1');
  const mirrorsFile = join(work, 'mirrors.yaml');
  const mirror = { id: 'local', kind: 'folder', role: 'primary', path: bucket, publicBaseUrl: `${url}files/` };
  await writeFile(mirrorsFile, stringify({ mirrors: [mirror] }));
  const before = process.env.CATALOGUE_MIRRORS;
  process.env.CATALOGUE_MIRRORS = mirrorsFile;
  try {
    await buildSite({ catalog: archive, out: join(work, 'site'), baseUrl: url, today: '2026-12-01' });
  } finally {
    if (before === undefined) delete process.env.CATALOGUE_MIRRORS;
    else process.env.CATALOGUE_MIRRORS = before;
  }
  return {
    url,
    close: async () => {
      await server.close();
      await rm(work, { recursive: true, force: true });
    },
  };
}
