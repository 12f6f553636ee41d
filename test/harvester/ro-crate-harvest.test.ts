// The harvest of RO-Crate partners end to end: the real BioImage Archive and IDR crates served by a local HTTP server
// (port 0, with ETag and Last-Modified, or Last-Modified alone, so that conditional requests get 304), listed by URL,
// by a sitemap, or in a folder of a repository behind a local GitHub API; broken and hostile crates quarantined, the
// rest harvested once.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { harvestedDir } from '../../catalog/layout.ts';
import { quarantineDir } from '../../harvester/harvest-state.ts';
import { harvestCrates, type CrateHarvestTarget } from '../../harvester/ro-crate/harvest-crates.ts';
import { startFakeGitHub, type FakeGitHub } from '../submission/github-server.ts';
import { runCli } from '../submission/helpers.ts';
import { writeFile } from 'node:fs/promises';

const fixtures = new URL('./fixtures/ro-crate/', import.meta.url);
const realCrates = new Map<string, string>(
  ['bia', 'idr'].flatMap((kind) =>
    readdirSync(new URL(`${kind}/`, fixtures)).map(
      (name) => [`/${kind}/${name}`, readFileSync(new URL(`${kind}/${name}`, fixtures), 'utf8')] as const,
    ),
  ),
);
const lastModified = 'Mon, 07 Dec 2026 04:00:00 GMT';

interface CrateServer {
  url: string;
  files: Map<string, string>;
  /** Last-Modified of a path, where it is not `lastModified`. */
  modified: Map<string, string>;
  /** Each request: its path, its validators and the status it got. */
  log: { path: string; status: number; ifNoneMatch?: string; ifModifiedSince?: string }[];
  close: () => Promise<void>;
}

let crates: CrateServer;

/**
 * Serves `files` with Last-Modified and, unless `etag` is false, a strong ETag (RFC 9110 §8.8.3). Answers 304 as
 * RFC 9110 §13.2.2 orders the preconditions: If-None-Match when the request has it (§13.1.3: If-Modified-Since is
 * then ignored), else If-Modified-Since, when the file was last modified at or before the date it gives.
 */
async function startCrateServer(files: Map<string, string>, { etag: withEtag = true } = {}): Promise<CrateServer> {
  const log: CrateServer['log'] = [];
  const modified = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const status = (code: number) => log.push({ path, status: code, ifNoneMatch, ifModifiedSince });
    if (path === '/redirect') {
      status(302);
      const port = (server.address() as AddressInfo).port;
      response.writeHead(302, { location: `http://localhost:${port}/bia/S-BIAD1405-ro-crate-metadata.json` }).end();
      return;
    }
    const body = files.get(path);
    if (body === undefined) {
      status(404);
      response.writeHead(404).end('not found');
      return;
    }
    const etag = withEtag ? `"${createHash('sha1').update(body).digest('hex')}"` : undefined;
    const lastModifiedOfPath = modified.get(path) ?? lastModified;
    const validators = { ...(etag ? { etag } : {}), 'last-modified': lastModifiedOfPath };
    const notModified =
      ifNoneMatch !== undefined
        ? ifNoneMatch === etag
        : ifModifiedSince !== undefined && Date.parse(lastModifiedOfPath) <= Date.parse(ifModifiedSince);
    if (notModified) {
      status(304);
      response.writeHead(304, validators).end();
      return;
    }
    status(200);
    const type = path.endsWith('.xml') ? 'application/xml' : 'application/ld+json';
    response.writeHead(200, { 'content-type': type, ...validators }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  return { url, files, modified, log, close };
}

const sitemap = (urls: string[]) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
  urls.map((u) => `  <url><loc>${u}</loc></url>\n`).join('') +
  '</urlset>\n';

const catalogues: string[] = [];
async function newCatalogue(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'crate-harvest-'));
  catalogues.push(folder);
  return folder;
}
const records = (catalog: string, partner: string) =>
  existsSync(join(catalog, harvestedDir, partner))
    ? readdirSync(join(catalog, harvestedDir, partner)).filter((n) => n.endsWith('.json'))
    : [];
const quarantined = (catalog: string, partner: string) =>
  existsSync(join(catalog, quarantineDir, partner)) ? readdirSync(join(catalog, quarantineDir, partner)) : [];

beforeAll(async () => {
  crates = await startCrateServer(new Map(realCrates));
  crates.files.set('/sitemap.xml', sitemap([...realCrates.keys()].map((p) => crates.url + p)));
});
afterAll(async () => {
  await crates.close();
  await Promise.all(catalogues.map((c) => rm(c, { recursive: true, force: true })));
});
afterEach(() => {
  crates.log.length = 0;
  crates.modified.clear();
  crates.files.clear();
  for (const [path, body] of realCrates) crates.files.set(path, body);
  crates.files.set('/sitemap.xml', sitemap([...realCrates.keys()].map((p) => crates.url + p)));
});

const target = (source: CrateHarvestTarget['source']): CrateHarvestTarget => ({
  partner: 'bia',
  source,
  contact: 'curator@example.org',
  allowPrivateNetwork: true,
});

describe('RO-Crate harvest over HTTP', () => {
  it('harvests every crate of a sitemap once, then asks again conditionally and gets 304 for each', async () => {
    const catalog = await newCatalogue();
    const first = await harvestCrates({ catalog, target: target({ sitemap: `${crates.url}/sitemap.xml` }) });
    expect(first).toMatchObject({ crates: 29, written: 29, quarantined: 0, unchanged: 0 });
    expect(first.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(records(catalog, 'bia')).toHaveLength(29);
    const stored = JSON.parse(
      await readFile(join(catalog, harvestedDir, 'bia', records(catalog, 'bia')[0]), 'utf8'),
    ) as { origin: Record<string, string> };
    expect(stored.origin.crate).toMatch(new RegExp(`^${crates.url}/(bia|idr)/`));
    expect(stored.origin.datestamp).toBe('2026-12-07T04:00:00Z');

    crates.log.length = 0;
    const second = await harvestCrates({ catalog, target: target({ sitemap: `${crates.url}/sitemap.xml` }) });
    expect(second).toMatchObject({ crates: 29, written: 0, unchanged: 29 });
    expect(crates.log.filter((r) => r.path !== '/sitemap.xml').every((r) => r.status === 304)).toBe(true);
  });

  it('reads again only the crate that changed, into the same record', async () => {
    const catalog = await newCatalogue();
    const path = '/idr/idr0018-ro-crate-metadata.json';
    const urls = [...realCrates.keys()].filter((p) => /idr00(18|53|65)/.test(p)).map((p) => crates.url + p);
    await harvestCrates({ catalog, target: target({ urls }) });
    const before = records(catalog, 'bia');
    crates.files.set(path, realCrates.get(path)!.replace('Histopathology of mouse knockouts', 'Mouse knockouts'));
    const again = await harvestCrates({ catalog, target: target({ urls }) });
    expect(again).toMatchObject({ written: 1, unchanged: 2 });
    expect(records(catalog, 'bia')).toEqual(before);
    const texts = await Promise.all(before.map((n) => readFile(join(catalog, harvestedDir, 'bia', n), 'utf8')));
    expect(texts.filter((t) => t.includes('"title": "Mouse knockouts"'))).toHaveLength(1);
  });

  it('asks a server without ETags by If-Modified-Since alone; reads again only a crate whose date moved', async () => {
    const server = await startCrateServer(new Map(realCrates), { etag: false });
    try {
      const catalog = await newCatalogue();
      const paths = [...realCrates.keys()].filter((p) => /idr00(18|53|65)/.test(p));
      const urls = paths.map((p) => server.url + p);
      const harvest = () => harvestCrates({ catalog, target: target({ urls }) });
      expect(await harvest()).toMatchObject({ crates: 3, written: 3, unchanged: 0 });

      server.log.length = 0;
      expect(await harvest()).toMatchObject({ crates: 3, written: 0, unchanged: 3, quarantined: 0 });
      expect(server.log).toEqual(paths.map((path) => ({ path, status: 304, ifModifiedSince: lastModified })));

      const changed = '/idr/idr0018-ro-crate-metadata.json';
      const later = 'Tue, 08 Dec 2026 09:30:00 GMT';
      server.modified.set(changed, later);
      server.files.set(
        changed,
        realCrates.get(changed)!.replace('Histopathology of mouse knockouts', 'Mouse knockouts'),
      );
      server.log.length = 0;
      expect(await harvest()).toMatchObject({ written: 1, unchanged: 2 });
      expect(server.log.filter((r) => r.status === 200)).toEqual([
        { path: changed, status: 200, ifModifiedSince: lastModified },
      ]);
      const stored = await Promise.all(
        records(catalog, 'bia').map(
          async (n) =>
            JSON.parse(await readFile(join(catalog, harvestedDir, 'bia', n), 'utf8')) as {
              study: { title: string };
              origin: { datestamp: string };
            },
        ),
      );
      expect(stored.filter((r) => r.study.title === 'Mouse knockouts').map((r) => r.origin.datestamp)).toEqual([
        '2026-12-08T09:30:00Z',
      ]);

      // The new Last-Modified is the one asked next time.
      server.log.length = 0;
      expect(await harvest()).toMatchObject({ written: 0, unchanged: 3 });
      expect(server.log.find((r) => r.path === changed)).toEqual({
        path: changed,
        status: 304,
        ifModifiedSince: later,
      });
    } finally {
      await server.close();
    }
  });

  it('quarantines broken, hostile and missing crates with a reason, and harvests the rest', async () => {
    const catalog = await newCatalogue();
    const valid = realCrates.get('/bia/S-BIAD1405-ro-crate-metadata.json')!;
    crates.files.set('/bad/truncated.json', valid.slice(0, 500));
    crates.files.set('/bad/deep.json', '['.repeat(10_000));
    crates.files.set('/bad/proto.json', valid.replace('"@graph"', '"__proto__": {"x": 1}, "@graph"'));
    crates.files.set('/bad/huge.json', `{"@graph": [], "pad": "${'x'.repeat(3 * 1024 * 1024)}"}`);
    crates.files.set('/bad/untitled.json', valid.replace(/"name": "Whole-organism[^"]*",/, ''));
    const bad = ['truncated', 'deep', 'proto', 'huge', 'untitled', 'missing'].map((n) => `${crates.url}/bad/${n}.json`);
    const summary = await harvestCrates({
      catalog,
      target: target({ urls: [...bad, `${crates.url}/bia/S-BIAD1405-ro-crate-metadata.json`] }),
    });
    expect(summary).toMatchObject({ crates: 7, written: 1, quarantined: 6 });
    expect(summary.problems.map((p) => p.code).sort()).toEqual([
      'CRATE_FORBIDDEN_KEY',
      'CRATE_NOT_JSON',
      'CRATE_TOO_DEEP',
      'CROSSWALK_NO_TITLE',
      'HTTP_404',
      'RESPONSE_TOO_LARGE',
    ]);
    for (const problem of summary.problems) expect(problem.file).toMatch(/^harvest-state\/quarantine\/bia\//);
    expect(quarantined(catalog, 'bia')).toHaveLength(6);
    expect(({} as Record<string, unknown>).x).toBeUndefined();

    // Corrected at the partner, the crate is harvested and leaves the quarantine.
    crates.files.set('/bad/untitled.json', valid);
    const again = await harvestCrates({ catalog, target: target({ urls: [bad[4]] }) });
    expect(again).toMatchObject({ written: 1, quarantined: 0 });
    expect(quarantined(catalog, 'bia')).toHaveLength(5);
  });

  it('keeps a tombstone of a record whose crate is gone or unlisted, and revives it when it returns', async () => {
    const catalog = await newCatalogue();
    const paths = [...realCrates.keys()].filter((p) => /idr00(18|53|65)/.test(p));
    const sitemapUrl = `${crates.url}/sitemap.xml`;
    crates.files.set('/sitemap.xml', sitemap(paths.map((p) => crates.url + p)));
    await harvestCrates({ catalog, target: target({ sitemap: sitemapUrl }) });
    const stored = async () =>
      Promise.all(
        records(catalog, 'bia').map(
          async (n) =>
            JSON.parse(await readFile(join(catalog, harvestedDir, 'bia', n), 'utf8')) as {
              origin: { crate: string };
              deleted?: { datestamp: string };
            },
        ),
      );
    crates.files.set('/sitemap.xml', sitemap(paths.slice(1).map((p) => crates.url + p)));
    crates.files.delete(paths[2]);
    const summary = await harvestCrates({ catalog, target: target({ sitemap: sitemapUrl }) });
    expect(summary).toMatchObject({ deleted: 2, unchanged: 1, quarantined: 0 });
    const deleted = (await stored()).filter((r) => r.deleted).map((r) => r.origin.crate);
    expect(deleted.sort()).toEqual([crates.url + paths[0], crates.url + paths[2]].sort());

    crates.files.set(paths[2], realCrates.get(paths[2])!);
    const back = await harvestCrates({ catalog, target: target({ sitemap: sitemapUrl }) });
    expect(back).toMatchObject({ written: 1, deleted: 0 });
    expect((await stored()).filter((r) => r.deleted)).toHaveLength(1);
  });

  it('retires nothing when the sitemap comes back empty', async () => {
    const catalog = await newCatalogue();
    const sitemapUrl = `${crates.url}/sitemap.xml`;
    crates.files.set('/sitemap.xml', sitemap([`${crates.url}/idr/idr0018-ro-crate-metadata.json`]));
    await harvestCrates({ catalog, target: target({ sitemap: sitemapUrl }) });
    crates.files.set('/sitemap.xml', sitemap([]));
    expect(await harvestCrates({ catalog, target: target({ sitemap: sitemapUrl }) })).toMatchObject({ deleted: 0 });
  });

  it('refuses a redirect to a non-public address unless the partner allows its own network', async () => {
    const catalog = await newCatalogue();
    const urls = [`${crates.url}/redirect`];
    const refused = await harvestCrates({ catalog, target: { ...target({ urls }), allowPrivateNetwork: false } });
    expect(refused).toMatchObject({ written: 0, quarantined: 1 });
    expect(refused.problems[0].code).toBe('PRIVATE_ADDRESS');
    const allowed = await harvestCrates({ catalog, target: target({ urls }), full: true });
    expect(allowed).toMatchObject({ written: 1, quarantined: 0 });
  });
});

describe('catalogue harvest <ro-crate partner>', () => {
  it('harvests the partner of the partners file, prints the summary and logs the run', async () => {
    const catalog = await newCatalogue();
    const partners = join(catalog, 'partners.yaml');
    await writeFile(
      partners,
      'partners:\n' +
        '  - id: idr\n    name: Image Data Resource\n    baseUrl: https://idr.openmicroscopy.org/\n' +
        '    metadataPrefix: ro-crate\n    protocol: ro-crate\n    schedule: "0 4 * * *"\n' +
        '    contact: idr@example.org\n    allowPrivateNetwork: true\n' +
        `    crates:\n      urls: ["${crates.url}/idr/idr0001-ro-crate-metadata.json"]\n`,
    );
    const result = await runCli(['harvest', 'idr', '--partners', partners, '--catalog', catalog, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject([{ partner: 'idr', metadataPrefix: 'ro-crate', written: 1 }]);
    const log = JSON.parse(await readFile(join(catalog, 'harvest-log.json'), 'utf8')) as {
      partners: Record<string, { runs: { status: string }[] }>;
    };
    expect(log.partners.idr.runs[0].status).toBe('ok');
    expect(records(catalog, 'idr')).toHaveLength(1);
  });

  it('--pr proposes the records, the crate state and the log', async () => {
    const catalog = await newCatalogue();
    const partners = join(catalog, 'partners.yaml');
    await writeFile(
      partners,
      'partners:\n' +
        '  - id: idr\n    name: Image Data Resource\n    baseUrl: https://idr.openmicroscopy.org/\n' +
        '    metadataPrefix: ro-crate\n    protocol: ro-crate\n    schedule: "0 4 * * *"\n' +
        '    contact: idr@example.org\n    allowPrivateNetwork: true\n' +
        `    crates:\n      urls: ["${crates.url}/idr/idr0005-ro-crate-metadata.json"]\n`,
    );
    const github = await startFakeGitHub({ tokens: { 'token-bot': { login: 'bot', type: 'Bot', writeAll: true } } });
    try {
      github.addRepository('bioimage/catalogue', { 'README.md': '# catalogue\n' });
      const result = await runCli(
        ['harvest', 'idr', '--partners', partners, '--catalog', catalog, '--json', '--pr'].concat([
          '--repo',
          'bioimage/catalogue',
          '--api-url',
          github.url,
        ]),
        { GITHUB_TOKEN: 'token-bot', GH_TOKEN: undefined },
      );
      expect(result.stderr).toBe('');
      const { pullRequest } = JSON.parse(result.stdout) as { pullRequest: { commit: string } };
      const files = [...github.filesAt(pullRequest.commit).keys()].filter((f) => f.startsWith('archive/'));
      expect(files.sort()).toEqual([
        'archive/harvest-log.json',
        'archive/harvest-state/idr/ro-crate.json',
        expect.stringMatching(/^archive\/harvested\/idr\/idr\.[a-z2-7]{16}\.json$/),
      ]);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  });

  it('refuses a ro-crate partner without crates, naming the field', async () => {
    const catalog = await newCatalogue();
    const partners = join(catalog, 'partners.yaml');
    await writeFile(
      partners,
      'partners:\n  - id: idr\n    name: IDR\n    baseUrl: https://idr.openmicroscopy.org/\n' +
        '    metadataPrefix: ro-crate\n    protocol: ro-crate\n    schedule: "0 4 * * *"\n    contact: a@b.org\n',
    );
    const result = await runCli(['harvest', 'idr', '--partners', partners, '--catalog', catalog]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/crates/);
  });
});

describe('RO-Crate harvest from a GitHub folder', () => {
  let github: FakeGitHub;
  const files = (names: string[]) =>
    Object.fromEntries([
      ['README.md', '# crates\n'],
      ...names.map((n) => [`study_ro_crates/${n.split('/').pop()}`, realCrates.get(n)!]),
    ]);
  beforeAll(async () => {
    github = await startFakeGitHub({ tokens: { 'token-1': { login: 'harvester', readOnly: true } } });
  });
  afterAll(() => github.close());

  it('reads the folder at its commit, skips an unmoved commit, reads only the changed blobs of a new one', async () => {
    const catalog = await newCatalogue();
    const names = [...realCrates.keys()].filter((n) => n.startsWith('/bia/')).slice(0, 5);
    github.addRepository('BioImage-Archive/gide-ro-crate', files(names));
    const source = { github: { owner: 'BioImage-Archive', repo: 'gide-ro-crate', path: 'study_ro_crates' } };
    const options = { catalog, target: target(source), githubApiUrl: github.url, githubToken: 'token-1' };
    const first = await harvestCrates(options);
    expect(first).toMatchObject({ crates: 5, written: 5, quarantined: 0 });
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    const stored = JSON.parse(
      await readFile(join(catalog, harvestedDir, 'bia', records(catalog, 'bia')[0]), 'utf8'),
    ) as { origin: Record<string, string> };
    expect(stored.origin.commit).toBe(first.commit);
    expect(stored.origin.crate).toMatch(
      /^https:\/\/github\.com\/BioImage-Archive\/gide-ro-crate\/blob\/main\/study_ro_crates\//,
    );

    const requestsBefore = github.requests.length;
    const same = await harvestCrates(options);
    expect(same).toMatchObject({ written: 0, unchanged: 5, commit: first.commit });
    expect(github.requests.slice(requestsBefore).map((r) => r.operationId)).toEqual(['repos/get', 'git/get-ref']);

    const changed = files(names);
    const key = Object.keys(changed)[1];
    changed[key] = changed[key].replace('"datePublished": "', '"datePublished": "2026-01-01", "x": "');
    github.addRepository('BioImage-Archive/gide-ro-crate', changed);
    const next = await harvestCrates(options);
    expect(next).toMatchObject({ crates: 5, written: 1, unchanged: 4 });
    expect(next.commit).not.toBe(first.commit);
    expect(github.violations).toEqual([]);
    expect(records(catalog, 'bia')).toHaveLength(5);
  });

  it('reads only the crates of the folder itself, and refuses a folder that is not there', async () => {
    const catalog = await newCatalogue();
    const [one, two] = [...realCrates.keys()].filter((n) => n.startsWith('/idr/'));
    github.addRepository('lubianat/idr_study_crates', {
      'ro-crates/idr0001-ro-crate-metadata.json': realCrates.get(one)!,
      'ro-crates/old/idr0005-ro-crate-metadata.json': realCrates.get(two)!,
      'ro-crates/notes.json': '{}',
    });
    const options = (path: string) => ({
      catalog,
      target: target({ github: { owner: 'lubianat', repo: 'idr_study_crates', path, ref: 'main' } }),
      githubApiUrl: github.url,
      githubToken: 'token-1',
    });
    expect(await harvestCrates(options('ro-crates'))).toMatchObject({ crates: 1, written: 1 });
    await expect(harvestCrates(options('ro-crate'))).rejects.toMatchObject({ code: 'GITHUB_NO_FOLDER' });
  });
});
