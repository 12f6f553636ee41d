// Harvester and provider benchmarks (issue 3, §7): a loopback provider serving N records in pages of 100;
// this harvester (parse, crosswalk, validate, write) and the npm package `oai-pmh` harvest it in the same run.
// Run alone: npx node bench/harvester.bench.ts [--quick]
import { request } from 'node:http';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEntries } from '../catalog/generate.ts';
import type { CatalogueRecord } from '../catalog/records.ts';
import { harvest } from '../harvester/harvest.ts';
import { createOaiProvider, listen } from '../harvester/provider.ts';
import { formatBytes, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const self = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));
const node = join(repo, 'node_modules/.bin/node');

/** In-memory published records, as loadPublishedCatalogue returns them (no disk: the provider is measured). */
function records(count: number): CatalogueRecord[] {
  const out: CatalogueRecord[] = [];
  for (const { entry } of generateEntries(count, { latestRelease: '2025-06-30' })) {
    out.push({ kind: 'entry', data: entry, location: { kind: 'entry', id: entry.accession!, file: '', folder: '' }, status: 'live', summary: { accession: entry.accession!, title: entry.study.title, status: 'live', version: entry.version ?? null, origin: null } } as CatalogueRecord);
  }
  return out;
}

function firstByteMs(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(url, (response) => {
      response.once('data', () => resolve(performance.now() - started));
      response.resume();
    }).on('error', reject).end();
  });
}

const peerHooks = `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) { if (specifier.startsWith('.') && !/\\.(js|json)$/.test(specifier)) return next(specifier + '.js', context); throw error; }
}
export async function load(url, context, next) {
  if (url.endsWith('.json')) return next(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  const result = await next(url, context);
  if (!url.includes('/oai-pmh/src/')) return result;
  let n = 0;
  const source = String(result.source).replace(/import\\s*\\{([^}]+)\\}\\s*from\\s*'([^.'][^']*)'/g, (_, names, pkg) => { n++; return 'import __m' + n + " from '" + pkg + "'; const {" + names.replace(/\\bas\\b/g, ':') + '} = __m' + n; });
  return { ...result, format: 'module', source };
}
`;

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const total = quick ? 2_000 : 100_000;
  const prefix = 'oai_dc';
  const provider = createOaiProvider({ load: async () => records(total), pageSize: 100, maxAgeMs: Number.MAX_SAFE_INTEGER, secret: 'bench' });
  await provider.snapshot();
  const { server, url } = await listen(provider.listener);
  const rows: BenchRow[] = [];
  const section = 'Harvester and OAI-PMH provider';
  const cmd = `npx node bench/harvester.bench.ts${quick ? ' --quick' : ''}`;
  try {
    // Provider alone: every page fetched as text, nothing parsed beyond the token.
    const first = await firstByteMs(`${url}?verb=ListRecords&metadataPrefix=${prefix}`);
    let started = performance.now();
    let pages = 0;
    let next = `${url}?verb=ListRecords&metadataPrefix=${prefix}`;
    let middleToken = '';
    for (;;) {
      const text = await (await fetch(next)).text();
      pages++;
      const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(text)?.[1];
      if (!token) break;
      if (pages === Math.floor(total / 200)) middleToken = token;
      next = `${url}?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
    }
    const providerRate = total / ((performance.now() - started) / 1000);
    const middle = middleToken ? await firstByteMs(`${url}?verb=ListRecords&resumptionToken=${encodeURIComponent(middleToken)}`) : NaN;
    rows.push({ section, what: `provider: ListRecords ${prefix}, ${total} records in ${pages} pages of 100`, result: `${providerRate.toFixed(0)} records/s; first byte ${first.toFixed(0)} ms (first page), ${middle.toFixed(0)} ms (mid-list token)`, target: '>= 5,000 records/s', verdict: providerRate >= 5000 ? 'met' : 'missed', command: cmd });

    // This harvester, in its own process so that its peak RSS is its own.
    const catalog = join(workDir, 'harvested-catalogue');
    started = performance.now();
    const ours = await measureCommand(node, [self, 'child-harvest', url, catalog, prefix]);
    if (ours.exitCode !== 0) throw new Error(`the harvester child failed (exit ${ours.exitCode})`);
    const oursRate = total / (ours.wallMs / 1000);
    // The peer: the npm package oai-pmh, listing the same records (it parses; it writes nothing).
    // Its CommonJS entry needs the `esm` loader, which Node 24 no longer runs; its ES module source loads with a
    // small loader hook (extensionless imports, JSON, named imports from CommonJS), as `esm` did.
    const hooks = join(workDir, 'peer-hooks.mjs');
    await writeFile(hooks, peerHooks);
    const peerScript = join(workDir, 'peer.mjs');
    await writeFile(peerScript, `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});\nconst { OaiPmh } = await import(${JSON.stringify(join(repo, 'node_modules/oai-pmh/src/index.js'))});\nlet n = 0;\nfor await (const r of new OaiPmh(process.argv[2]).listRecords({ metadataPrefix: '${prefix}' })) if (r) n++;\nprocess.stdout.write(String(n));\n`);
    const peer = await measureCommand(node, [peerScript, url]);
    const peerRate = total / (peer.wallMs / 1000);
    rows.push({ section, what: `this harvester: ${total} records, pages of 100 (parse, crosswalk, validate, write)`, result: `${oursRate.toFixed(0)} records/s, peak RSS ${formatBytes(ours.peakRssBytes)}`, target: '>= 3,000 records/s, >= peer, <= 300 MB', verdict: oursRate >= 3000 && oursRate >= peerRate && (ours.peakRssBytes ?? 0) <= 300 * 1024 * 1024 ? 'met' : 'missed', command: cmd });
    rows.push({ section, what: `peer: npm oai-pmh 2.0.3, same endpoint (parse only, writes nothing)`, result: `${peer.exitCode === 0 ? `${peerRate.toFixed(0)} records/s (${peer.stdout.trim()} records)` : `failed (exit ${peer.exitCode})`}, peak RSS ${formatBytes(peer.peakRssBytes)}`, target: '', verdict: '', command: cmd });
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return rows;
};
export default benchmark;

if (process.argv[2] === 'child-harvest') {
  const [, , , url, catalog, prefix] = process.argv;
  await mkdir(catalog, { recursive: true });
  const summary = await harvest({ catalog, target: { partner: 'bench', baseUrl: url, metadataPrefix: prefix } });
  process.stdout.write(JSON.stringify({ records: summary.records, written: summary.written, problems: summary.problems.length }) + '\n');
} else if (process.argv[1] === self) {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'bench-harvester-'));
  try {
    for (const row of await benchmark({ quick: process.argv.includes('--quick'), workDir: dir })) console.log(`${row.what}: ${row.result} [${row.target ?? ''} ${row.verdict ?? ''}]`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
