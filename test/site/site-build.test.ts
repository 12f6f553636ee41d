// The built site as files: what must and must not be in it, the data files, and the bundle check. Builds the
// fixture catalogue once (real Astro, real Pagefind).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, ReleasedEntryError, type BuildResult } from '../../site/lib/build-site.ts';
import { verifyBundle } from '../../site/lib/search-index.ts';
import { readStatusTable } from '../../site/lib/status-files.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';

const fixtures = join(import.meta.dirname, 'fixtures');
let work: string;
let site: string;
let built: BuildResult;

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await allFiles(path)));
    else out.push(path);
  }
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-build-test-'));
  site = join(work, 'site');
  built = await buildSite({
    catalog: join(fixtures, 'valid/catalogue'),
    out: site,
    baseUrl: 'https://data.example.org/bic/',
    today: '2025-01-01',
  });
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('catalogue build', () => {
  it('never publishes the embargoed entry anywhere: pages, JSON, dump, sitemap, feed, search bundle', async () => {
    const files = await allFiles(site);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      let bytes = await readFile(file);
      if (/\.pf_(meta|index|fragment|filter)$/.test(file)) bytes = (await import('node:zlib')).gunzipSync(bytes);
      const text = bytes.toString('latin1');
      expect(text.includes('BIC0000037'), file).toBe(false);
      expect(text.includes('sequesteredembargoword'), file).toBe(false);
    }
  });

  it('writes a page per published accession, the tombstone included, and JSON beside it', async () => {
    for (const accession of ['BIC0000013', 'BIC0000021', 'BIC0000045', 'partnerx.rec-0001']) {
      expect(await readFile(join(site, 'entries', accession, 'index.html'), 'utf8')).toContain(accession);
      const json = JSON.parse(await readFile(join(site, 'entries', `${accession}.json`), 'utf8'));
      expect(json.accession).toBe(accession);
    }
    const tombstone = JSON.parse(await readFile(join(site, 'entries', 'BIC0000045.json'), 'utf8'));
    expect(tombstone.status).toBe('withdrawn');
  });

  it('keeps entry pages at most 30 KB gzipped, with no script but the JSON-LD data block', async () => {
    for (const accession of ['BIC0000013', 'BIC0000021', 'partnerx.rec-0001']) {
      const html = await readFile(join(site, 'entries', accession, 'index.html'));
      expect(gzipSync(html).length).toBeLessThanOrEqual(30 * 1024);
      // Quoted attribute values may hold '<' (escaped as needed by the HTML serialiser); look at markup only.
      const scripts =
        html
          .toString('utf8')
          .replace(/="[^"]*"/g, '=""')
          .match(/<script\b[^>]*>/g) ?? [];
      expect(scripts).toEqual(['<script type="">']);
      expect(html.toString('utf8')).toContain('<script type="application/ld+json">');
    }
  });

  it('serialises JSON-LD so that the injection entry cannot close its script element', async () => {
    const html = await readFile(join(site, 'entries/BIC0000021/index.html'), 'utf8');
    const block = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html)![1];
    expect(block).not.toMatch(/<\/?script|<!--/i);
    const ld = JSON.parse(block);
    expect(ld.name).toContain('</script><script>');
    expect(ld.url).toBe('https://data.example.org/bic/entries/BIC0000021/');
    const markup = html.replace(/="[^"]*"/g, '=""');
    expect(markup).not.toMatch(/<script>window/);
    expect(markup).not.toMatch(/<img src=x/);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned = &quot;description&quot;');
  });

  it('writes citation files of the injection entry that Citation.js reads back to its title and authors', async () => {
    const folder = join(site, 'entries/BIC0000021');
    const title = JSON.parse(await readFile(join(site, 'entries/BIC0000021.json'), 'utf8')).record.study.title;
    for (const [file, type] of [
      ['citation.bib', '@biblatex/text'],
      ['citation.ris', '@ris/file'],
    ]) {
      const items = (await Cite.async(await readFile(join(folder, file), 'utf8'), { forceType: type })).data as {
        title: string;
        author: { family?: string; given?: string; literal?: string }[];
      }[];
      expect(items, file).toHaveLength(1);
      expect(items[0].title, file).toBe(title);
      expect(items[0].author[0], file).toMatchObject({ family: '</script><b>Mallory</b>', given: 'Eve' });
    }
  });

  it('writes a JSON Lines dump of every published record, a sitemap of listed entries and an Atom feed', async () => {
    const lines = (await readFile(join(site, 'catalogue.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.accession).sort()).toContain('BIC0000045');
    expect(lines).toHaveLength(40);
    const parser = new XMLParser({ ignoreAttributes: false });
    const sitemap = parser.parse(await readFile(join(site, 'sitemap.xml'), 'utf8'));
    const locs = sitemap.urlset.url.map((u: { loc: string }) => u.loc);
    expect(locs).toContain('https://data.example.org/bic/entries/BIC0000013/');
    expect(locs).not.toContain('https://data.example.org/bic/entries/BIC0000045/');
    const feed = parser.parse(await readFile(join(site, 'feed.xml'), 'utf8'));
    expect(feed.feed.entry.length).toBeGreaterThan(10);
    expect(feed.feed.entry.find((e: { id: string }) => e.id.endsWith('/BIC0000021/')).title).toContain('</script>');
  });

  it('writes an OAI-PMH Static Repository file of the live records (no deleted ones)', async () => {
    const xml = await readFile(join(site, 'oai', 'static-repository.xml'), 'utf8');
    const parsed = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true }).parse(xml);
    expect(parsed.Repository).toBeDefined();
    expect(xml).toContain('https://data.example.org/bic/oai/static-repository.xml');
    expect(xml).toContain('oai:bioimage-catalogue.org:BIC0000013');
    // A Static Repository has no deleted records (guidelines §3.2): the tombstone is left out.
    expect(xml).not.toContain('oai:bioimage-catalogue.org:BIC0000045');
    // Each embedded ListRecords is a valid OAI-PMH part: checked where the renderer is, in test/harvester.
  });

  it('says where its time went: the catalogue read first, then both processes, then the finish', () => {
    const { loadMs, astroMs, indexMs, searchMs, dataMs, finishMs } = built.phases;
    for (const ms of [loadMs, astroMs, indexMs, searchMs, dataMs, finishMs]) expect(ms).toBeGreaterThan(0);
    // Both processes wait for the snapshot, so neither can be done before the catalogue was read.
    expect(astroMs).toBeGreaterThan(loadMs);
    expect(indexMs).toBeGreaterThan(loadMs);
    expect(Math.max(astroMs, indexMs) + finishMs).toBeLessThanOrEqual(built.ms + 1);
  });

  it('counts every HTML page it wrote (entry pages looked up, search shards not walked)', async () => {
    const html = (await allFiles(site)).filter((f) => f.endsWith('.html'));
    expect(html.length).toBeGreaterThan(30);
    expect(built.pages).toBe(html.length);
  });

  it('builds twice at once from the same tree: each Astro bundles and imports its own pages', async () => {
    // Astro puts its page bundle under <working folder>/.astro/.prerender/; with one shared working folder, one
    // build imported the other's half-written or deleted bundle ("Cannot find module .../.prerender/chunks/...").
    const outs = [join(work, 'twin-a'), join(work, 'twin-b')];
    const results = await Promise.all(
      outs.map((out, i) =>
        buildSite({ catalog: join(fixtures, 'valid/catalogue'), out, today: '2025-01-01', name: `Twin ${i}` }),
      ),
    );
    for (const [i, out] of outs.entries()) {
      expect(results[i].pages).toBe(built.pages);
      expect(await readFile(join(out, 'entries/BIC0000013/index.html'), 'utf8')).toContain(`Twin ${i}`);
    }
  }, 300_000);

  it('links pages under the base path', async () => {
    const html = await readFile(join(site, 'index.html'), 'utf8');
    expect(html).toContain('href="/bic/search/"');
    expect(html).toContain('<link rel="canonical" href="https://data.example.org/bic/">');
  });

  it('verifies a search bundle after writing and names a torn file', async () => {
    const bundle = join(site, 'pagefind');
    const files = await Promise.all(
      (await allFiles(bundle)).map(async (path) => ({
        path: path.slice(bundle.length + 1),
        content: new Uint8Array(await readFile(path)),
      })),
    );
    await expect(verifyBundle(bundle, files)).resolves.toBeUndefined();
    const fragment = files.find((f) => f.path.endsWith('.pf_fragment'))!;
    await writeFile(join(bundle, fragment.path), fragment.content.subarray(0, Math.floor(fragment.content.length / 2)));
    await expect(verifyBundle(bundle, files)).rejects.toThrow(
      `the search bundle file ${fragment.path} was not written whole`,
    );
    await writeFile(join(bundle, fragment.path), fragment.content);
  });
});

describe('a released entry with errors', () => {
  const cli = new URL('../../cli/catalogue.mjs', import.meta.url).pathname;
  let broken: string;
  beforeAll(async () => {
    // The fixture with BIC0000013 (released, version 1 saved under versions/) given a title too short, and the
    // embargoed BIC0000037 broken too: an entry nobody can see yet is held back quietly.
    broken = join(work, 'broken-catalogue');
    await cp(join(fixtures, 'valid/catalogue'), broken, { recursive: true });
    const entry = join(broken, 'entries/BIC0000013/entry.yaml');
    const text = await readFile(entry, 'utf8');
    await mkdir(join(broken, 'entries/BIC0000013/versions'));
    await writeFile(join(broken, 'entries/BIC0000013/versions/1.yaml'), text);
    await writeFile(entry, text.replace(/^ {2}title: .*$/m, '  title: Short'));
    const embargoed = join(broken, 'entries/BIC0000037/entry.yaml');
    await writeFile(embargoed, (await readFile(embargoed, 'utf8')).replace(/^ {2}title: .*$/m, '  title: Short'));
  });

  it('fails the build (exit 1) naming the entry and its problem, and leaves the previous site as it was', async () => {
    const out = join(work, 'kept');
    await mkdir(out);
    await writeFile(join(out, 'index.html'), 'previous site');
    const build = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolvePromise) => {
        execFile(
          process.execPath,
          [cli, 'build', '--catalog', broken, '--out', out, ...args],
          { env: { ...process.env, CATALOGUE_TODAY: '2025-01-01' } },
          (error, stdout, stderr) => resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr }),
        );
      });
    const result = await build();
    expect(result.code, result.stderr).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => line.startsWith('entries/'));
    expect(lines[0]).toMatch(
      new RegExp(
        String.raw`^entries\/BIC0000013\/entry\.yaml:1:1 # RELEASED_ENTRY_INVALID BIC0000013 is ` +
          String.raw`released but has 1 error\(s\).* Fix: .*--publish-last-good`,
      ),
    );
    expect(lines[1]).toMatch(/^entries\/BIC0000013\/entry\.yaml:\d+:\d+ #\/study\/title TEXT_TOO_SHORT /);
    expect(result.stderr).not.toContain('BIC0000037');
    const json = await build('--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems.map((p: { code: string }) => p.code)).toEqual([
      'RELEASED_ENTRY_INVALID',
      'TEXT_TOO_SHORT',
    ]);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('previous site');
  }, 120_000);

  it('with publishLastGood, publishes version 1 with a notice on its page, in its JSON and in the log', async () => {
    const out = join(work, 'last-good');
    const log: string[] = [];
    await buildSite({
      catalog: broken,
      out,
      today: '2025-01-01',
      publishLastGood: true,
      log: (line) => log.push(line),
    });
    const page = await readFile(join(out, 'entries/BIC0000013/index.html'), 'utf8');
    expect(page).toContain('Transmission electron microscopy of labelling and trafficking');
    expect(page).toMatch(
      new RegExp(
        String.raw`This page shows version 1 of BIC0000013, the last version that passed the ` +
          String.raw`catalogue's checks\. The current version has 1 error\(s\)`,
      ),
    );
    expect(JSON.parse(await readFile(join(out, 'entries/BIC0000013.json'), 'utf8')).lastGood).toEqual({
      version: 1,
      problems: 1,
    });
    expect(
      log.filter((line) =>
        line.includes('BIC0000013 published from its last good version, entries/BIC0000013/versions/1.yaml'),
      ),
    ).toHaveLength(1);
    expect(await readdir(join(out, 'entries'))).not.toContain('BIC0000037');
    // No other entry page carries the notice.
    expect(await readFile(join(out, 'entries/BIC0000021/index.html'), 'utf8')).not.toContain(
      'An earlier version is shown',
    );
  }, 300_000);

  it('with publishLastGood but no saved version that passes, still fails and says so', async () => {
    const bare = join(work, 'no-versions');
    await cp(broken, bare, { recursive: true });
    await rm(join(bare, 'entries/BIC0000013/versions'), { recursive: true });
    const failed = await buildSite({
      catalog: bare,
      out: join(work, 'no-versions-site'),
      today: '2025-01-01',
      publishLastGood: true,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(ReleasedEntryError);
    expect((failed as ReleasedEntryError).problems.map((p) => p.code)).toEqual([
      'NO_LAST_GOOD_VERSION',
      'TEXT_TOO_SHORT',
    ]);
  }, 120_000);
});

describe('a withdrawn entry whose tombstone has errors', () => {
  it('fails the build, even with publishLastGood: its tombstone page stays, never a ' +
    'version from before the withdrawal', async () => {
    const catalog = join(work, 'broken-tombstone');
    await cp(join(fixtures, 'valid/catalogue'), catalog, { recursive: true });
    const tombstone = join(catalog, 'entries/BIC0000045/tombstone.yaml');
    await writeFile(tombstone, (await readFile(tombstone, 'utf8')).replace(/^ {2}reason: .*$/m, '  reason: 42'));
    await mkdir(join(catalog, 'entries/BIC0000045/versions'));
    await writeFile(
      join(catalog, 'entries/BIC0000045/versions/1.yaml'),
      await readFile(join(catalog, 'entries/BIC0000013/entry.yaml'), 'utf8'),
    );
    for (const publishLastGood of [false, true]) {
      const failed = await buildSite({
        catalog,
        out: join(work, `broken-tombstone-site-${publishLastGood}`),
        today: '2025-01-01',
        publishLastGood,
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(ReleasedEntryError);
      const [headline] = (failed as ReleasedEntryError).problems;
      expect(headline).toMatchObject({ code: 'TOMBSTONE_INVALID', file: 'entries/BIC0000045/tombstone.yaml' });
    }
  }, 120_000);
});

describe('status files', () => {
  it('explains a missing file', async () => {
    const table = await readStatusTable(join(fixtures, 'valid/catalogue'), 'mirror-status.json');
    expect(table.state).toBe('missing');
    expect(table.note).toBe('mirror-status.json does not exist yet in the catalogue.');
  });
  it('invalid/status-not-json: a half-written file', async () => {
    const table = await readStatusTable(join(fixtures, 'invalid/status-not-json'), 'harvest-log.json');
    expect(table.state).toBe('unreadable');
    expect(table.note).toMatch(/^harvest-log\.json is not valid JSON \(.+\); it may be being written/);
  });
  it('invalid/status-no-list: JSON without a list of results', async () => {
    const table = await readStatusTable(join(fixtures, 'invalid/status-no-list'), 'harvest-log.json');
    expect(table.state).toBe('unreadable');
    expect(table.note).toBe('harvest-log.json holds no list of results that this page understands.');
  });
  it('reads a list of results', async () => {
    const table = await readStatusTable(join(fixtures, 'valid/catalogue'), 'harvest-log.json');
    expect(table.state).toBe('ok');
    expect(table.rows[0]).toMatchObject({ partner: 'partnerx', status: 'ok', records: 1 });
  });
});

describe('static server', () => {
  it('serves the site with security headers, its 404 page, and nothing outside its folder', async () => {
    const server = await startStaticServer({ root: site, port: 0 });
    try {
      const home = await fetch(server.url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
      const meta = await fetch(
        new URL('pagefind/', server.url).href +
          (await readdir(join(site, 'pagefind'))).find((f) => f.endsWith('.pf_meta')),
      );
      expect(meta.status).toBe(200);
      expect(meta.headers.get('content-type')).toBe('application/octet-stream');
      expect((await fetch(new URL('entries/NOPE/', server.url))).status).toBe(404);
      const redirect = await fetch(new URL('entries/BIC0000013', server.url), { redirect: 'manual' });
      expect(redirect.status).toBe(301);
      for (const path of [
        '/..%2f..%2fetc%2fpasswd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/entries/..%2f..%2f..%2fpackage.json',
        '/%00',
      ]) {
        const response = await fetch(server.url.replace(/\/$/, '') + path);
        expect(response.status, path).toBe(404);
      }
    } finally {
      await server.close();
    }
  });

  it(
    "gzips text for a client that accepts it, never Pagefind's compressed files, " + 'and serves plain bytes otherwise',
    async () => {
      const server = await startStaticServer({ root: site, port: 0 });
      try {
        const script = await readFile(join(site, 'search.js'));
        const asked = await rawGet(new URL('search.js', server.url), { 'Accept-Encoding': 'gzip, deflate' });
        expect(asked.headers['content-encoding']).toBe('gzip');
        expect(asked.headers.vary).toBe('Accept-Encoding');
        expect(asked.body.length).toBeLessThan(script.length);
        expect(gunzipSync(asked.body).equals(script)).toBe(true);
        const plain = await rawGet(new URL('search.js', server.url), {});
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.body.equals(script)).toBe(true);
        const refused = await rawGet(new URL('search.js', server.url), { 'Accept-Encoding': 'gzip;q=0, deflate' });
        expect(refused.headers['content-encoding']).toBeUndefined();
        expect(refused.body.equals(script)).toBe(true);
        const metaName = (await readdir(join(site, 'pagefind'))).find((f) => f.endsWith('.pf_meta'))!;
        const meta = await rawGet(new URL(`pagefind/${metaName}`, server.url), { 'Accept-Encoding': 'gzip' });
        expect(meta.headers['content-encoding']).toBeUndefined();
        expect(meta.body.equals(await readFile(join(site, 'pagefind', metaName)))).toBe(true);
      } finally {
        await server.close();
      }
    },
  );

  it("serves a mounted bucket under its prefix (npm start's /files/) and nothing outside it", async () => {
    const bucket = await mkdtemp(join(tmpdir(), 'bucket-'));
    await mkdir(join(bucket, 'BIC0000013', 'images'), { recursive: true });
    await writeFile(join(bucket, 'BIC0000013', 'images', 'a.tif'), 'II*\0demo');
    const server = await startStaticServer({ root: site, port: 0, mounts: [{ prefix: '/files/', root: bucket }] });
    try {
      const file = await fetch(new URL('files/BIC0000013/images/a.tif', server.url));
      expect(file.status).toBe(200);
      expect(await file.text()).toBe('II*\0demo');
      for (const path of [
        '/files/..%2f..%2fpackage.json',
        '/files/%2e%2e/%2e%2e/package.json',
        '/files/BIC0000013/images/missing.tif',
      ]) {
        expect((await fetch(server.url.replace(/\/$/, '') + path)).status, path).toBe(404);
      }
      expect((await fetch(server.url)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

/** A GET with exactly these headers (fetch would add and undo its own Accept-Encoding). */
function rawGet(url: URL, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolvePromise, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolvePromise({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}
