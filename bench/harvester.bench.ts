// Harvester and provider benchmarks: a loopback provider serving N records in pages of 100;
// this harvester (parse, crosswalk, validate, write) and the npm package `oai-pmh` harvest it in the same run.
// The machine may be shared: besides wall-clock rates, each row gives CPU time per record (user + system, all
// threads, from the process itself), which other processes disturb far less, and the ratio to the peer. System
// time is mostly the kernel creating one file per record (the peer writes nothing): on a file system that has just
// freed many inodes (ext4 skips recently deleted ones: recently_deleted() in fs/ext4/ialloc.c), it can be ten times
// what it is on a quiet one, so it is shown apart from user time, and no harvested folder is removed before the
// last harvest of the run (the harness removes the work folder at the end; 1.2 GB, or 5 GB with the million).
// Sizes: 100k records (--quick: 2,000). BENCH_HARVESTER_MILLION=1 adds a harvest of 1,000,000 records from a
// synthetic provider (rendered from a template, since a million catalogue records would need ~12 GB in the
// provider), to show that peak RSS stays flat; it takes ~10-20 min and writes 1M files (~4 GB) in the work folder.
// One row compares XML readers in this process, on CPU time: the recorded partner pages and a synthetic page.
// Run alone: npx node bench/harvester.bench.ts [--quick]
import { createServer, request } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEntries } from '../catalog/generate.ts';
import type { CatalogueRecord } from '../catalog/records.ts';
import { harvest } from '../harvester/harvest.ts';
import { createOaiProvider, listen } from '../harvester/provider.ts';
import { youngGenerationFlag } from '../harvester/young-generation.ts';
import { parseXml, prepareXml, type XmlElement } from '../harvester/xml.ts';
import { formatBytes, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const self = fileURLToPath(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));
const node = join(repo, 'node_modules/.bin/node');

/** In-memory published records, as loadPublishedCatalogue returns them (no disk: the provider is measured). */
function records(count: number): CatalogueRecord[] {
  const out: CatalogueRecord[] = [];
  for (const { entry } of generateEntries(count, { latestRelease: '2025-06-30' })) {
    out.push({
      kind: 'entry',
      data: entry,
      location: { kind: 'entry', id: entry.accession!, file: '', folder: '' },
      status: 'live',
      summary: {
        accession: entry.accession!,
        title: entry.study.title,
        status: 'live',
        version: entry.version ?? null,
        origin: null,
      },
    } as CatalogueRecord);
  }
  return out;
}

function firstByteMs(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    request(url, (response) => {
      response.once('data', () => resolve(performance.now() - started));
      response.resume();
    })
      .on('error', reject)
      .end();
  });
}

const peerHooks =
  `export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (error) { if (specifier.startsWith('.') && !/\\.(js|json)$/.test(specifier)) return next(specifier + ` +
  `'.js', context); throw error; }
}
export async function load(url, context, next) {
  if (url.endsWith('.json')) return next(url, { ...context, importAttributes: { ...context.importAttributes, ` +
  `type: 'json' } });
  const result = await next(url, context);
  if (!url.includes('/oai-pmh/src/')) return result;
  let n = 0;
  const source = String(result.source).replace(/import\\s*\\{([^}]+)\\}\\s*from\\s*'([^.'][^']*)'/g, (_, ` +
  `names, pkg) => { n++; return 'import __m' + n + " from '" + pkg + "'; const {" + names.replace(/\\bas\\b/g, ` +
  `':') + '} = __m' + n; });
  return { ...result, format: 'module', source };
}
`;

interface ChildReport {
  records: number;
  written?: number;
  problems?: number;
  /** CPU time of the whole process (all threads), microseconds. */
  cpu: { user: number; system: number };
}

const perRecordUs = (report: ChildReport | undefined) =>
  report && report.records ? (report.cpu.user + report.cpu.system) / report.records : NaN;
/**
 * "N µs CPU per record (U user + S system)": system time is mostly the kernel creating files, which depends on the
 * file system more than on the harvester.
 */
const cpuText = (report: ChildReport | undefined) =>
  report && report.records
    ? `${perRecordUs(report).toFixed(0)} µs CPU per record (${(report.cpu.user / report.records).toFixed(0)} ` +
      `user + ${(report.cpu.system / report.records).toFixed(0)} system)`
    : 'CPU not reported';

function lastJsonLine(stdout: string): ChildReport | undefined {
  const line = stdout.trim().split('\n').pop();
  try {
    return line ? (JSON.parse(line) as ChildReport) : undefined;
  } catch {
    return undefined;
  }
}

const escapeXml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The ListRecords element of a synthetic oai_dc page: records start..start+count of total, token = next offset. */
function syntheticListRecords(start: number, count: number, total: number): string {
  const items: string[] = [];
  for (let i = start; i < Math.min(total, start + count); i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    items.push(
      `<record><header><identifier>oai:synthetic:${i}</identifier><datestamp>` +
        `2024-01-${day}T00:00:00Z</datestamp></header><metadata><oai_dc:dc ` +
        `xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
        `<dc:title>${escapeXml(`Light-sheet imaging of zebrafish heart development, sample ${i}`)}</dc:title>` +
        `<dc:creator>Ada Lovelace</dc:creator><dc:creator>Grace Hopper</dc:creator><dc:subject>` +
        `zebrafish</dc:subject><dc:subject>light-sheet microscopy</dc:subject><dc:description>` +
        `${escapeXml(
          (
            `Time-lapse light-sheet recordings of the developing heart, embryo ${i}, 48 to 72 hours post ` +
            `fertilisation, with segmentation masks. `
          ).repeat(6),
        )}` +
        `</dc:description><dc:date>2024-01-${day}</dc:date><dc:type>Dataset</dc:type><dc:identifier>` +
        `https://example.org/datasets/${i}</dc:identifier><dc:rights>` +
        `https://creativecommons.org/licenses/by/4.0/</dc:rights></oai_dc:dc></metadata></record>`,
    );
  }
  const next = start + count < total ? String(start + count) : '';
  return (
    `<ListRecords>${items.join('')}<resumptionToken completeListSize="${total}" cursor="${start}">` +
    `${next}</resumptionToken></ListRecords>`
  );
}

const syntheticHead =
  `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
  `2026-01-01T00:00:00Z</responseDate><request>http://synthetic/oai</request>`;

/** A provider of `total` synthetic oai_dc records (template-rendered, no catalogue), pages of 100, token = offset. */
async function syntheticProvider(total: number): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const head = syntheticHead;
    let body: string;
    if (query.get('verb') === 'Identify') {
      body =
        '<Identify><repositoryName>synthetic</repositoryName><baseURL>http://synthetic/oai</baseURL>' +
        '<protocolVersion>2.0</protocolVersion><adminEmail>a@example.org</adminEmail><earliestDatestamp>' +
        '2020-01-01T00:00:00Z</earliestDatestamp><deletedRecord>persistent</deletedRecord><granularity>' +
        'YYYY-MM-DDThh:mm:ssZ</granularity></Identify>';
    } else {
      body = syntheticListRecords(Number(query.get('resumptionToken') ?? 0), 100, total);
    }
    const xml = `${head}${body}</OAI-PMH>\n`;
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(Buffer.byteLength(xml)) });
    res.end(xml);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/oai`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

// The XML readers compared on the harvest's pages: this project's (harvester/xml.ts: well-formedness checked and
// the namespace-resolved tree built in one pass), fast-xml-parser (XMLValidator.validate, then XMLParser.parse into
// its own ordered tree: the namespace step the harvester needs on top is not counted) and saxes (namespace-aware,
// well-formedness checked, building the same XmlElement tree from its events). The two libraries run behind the
// guards the harvester keeps whatever the reader (prepareXml: size limit, invalid characters, DOCTYPE refusal).
type XmlReaders = Record<string, (text: string) => unknown>;

/**
 * The readers, loaded when the comparison runs: the bench's harvest child is this same file, and its peak RSS must
 * not count two XML libraries that a harvest never loads.
 */
async function loadXmlReaders(): Promise<XmlReaders> {
  const [{ XMLParser, XMLValidator }, { SaxesParser }] = await Promise.all([
    import('fast-xml-parser'),
    import('saxes'),
  ]);
  const fxpParser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });

  function saxesParse(text: string): XmlElement {
    const parser = new SaxesParser({ xmlns: true, position: false });
    const stack: XmlElement[] = [];
    let root: XmlElement | undefined;
    parser.on('opentag', (tag) => {
      const attrs: Record<string, string> = {};
      for (const attr of Object.values(tag.attributes)) {
        if (attr.prefix === 'xmlns' || attr.name === 'xmlns') continue;
        attrs[attr.prefix ? (attr.prefix === 'xml' ? attr.name : `${attr.uri}|${attr.local}`) : attr.local] =
          attr.value;
      }
      const element: XmlElement = { ns: tag.uri ?? '', name: tag.local ?? tag.name, attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1].children.push(element);
      else root = element;
      stack.push(element);
    });
    parser.on('text', (t) => {
      if (stack.length) stack[stack.length - 1].text += t;
    });
    parser.on('cdata', (t) => {
      stack[stack.length - 1].text += t;
    });
    parser.on('closetag', () => void stack.pop());
    parser.on('error', (error) => {
      throw error;
    });
    parser.write(text).close();
    return root!;
  }

  return {
    'harvester/xml.ts': (text) => parseXml(text),
    'fast-xml-parser (validate + parse)': (input) => {
      const { text } = prepareXml(input);
      const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
      if (verdict !== true) throw new Error(verdict.err.msg);
      return fxpParser.parse(text);
    },
    saxes: (input) => saxesParse(prepareXml(input).text),
  };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Records per CPU second of each reader over `pages`, each page read whole: the readers take turns in five rounds of
 * at least `ms` / 5 of CPU time each, so that a busy moment of a shared machine falls on all of them alike.
 */
function readerRates(xmlReaders: XmlReaders, pages: string[], records: number, ms: number): Record<string, number> {
  const spent: Record<string, { passes: number; ms: number }> = {};
  for (const [name, read] of Object.entries(xmlReaders)) {
    for (const page of pages) read(page);
    spent[name] = { passes: 0, ms: 0 };
  }
  for (let round = 0; round < 5; round++) {
    for (const [name, read] of Object.entries(xmlReaders)) {
      const started = cpuMs();
      let passes = 0;
      while (cpuMs() - started < ms / 5 || passes < 2) {
        for (const page of pages) read(page);
        passes++;
      }
      spent[name].passes += passes;
      spent[name].ms += cpuMs() - started;
    }
  }
  return Object.fromEntries(
    Object.entries(spent).map(([name, { passes, ms: used }]) => [name, (records * passes) / (used / 1000)]),
  );
}

/**
 * The XML readers on the recorded partner pages (all of them, and the ListRecords pages alone: the harvest's
 * workload) and on a large synthetic page. The rule: the own reader is kept only at >= 1.5x each other reader on
 * the harvest's workload.
 */
async function xmlReaderRow(section: string, quick: boolean, command: string): Promise<BenchRow> {
  const folder = join(repo, 'test/harvester/fixtures/valid/oai');
  const recorded = readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.xml'))
    .map((f) => readFileSync(join(folder, f), 'utf8'));
  const recordsIn = (text: string) =>
    parseXml(text)
      .root.children.flatMap((c) => c.children)
      .filter((c) => c.name === 'record').length;
  const listRecords = recorded.filter((page) => parseXml(page).root.children.some((c) => c.name === 'ListRecords'));
  const large = `${syntheticHead}${syntheticListRecords(0, 2000, 2000)}</OAI-PMH>\n`;
  const ms = quick ? 500 : 2000;
  const count = (pages: string[]) => pages.reduce((sum, page) => sum + recordsIn(page), 0);
  const xmlReaders = await loadXmlReaders();
  const corpora = [
    { name: `${recorded.length} recorded pages of every verb`, pages: recorded, workload: false },
    { name: `their ${listRecords.length} ListRecords pages`, pages: listRecords, workload: true },
    {
      name: `a synthetic page of 2,000 oai_dc records (${formatBytes(Buffer.byteLength(large))})`,
      pages: [large],
      workload: true,
    },
  ].map((corpus) => ({
    ...corpus,
    records: count(corpus.pages),
    rates: readerRates(xmlReaders, corpus.pages, count(corpus.pages), ms),
  }));
  const own = 'harvester/xml.ts';
  const others = Object.keys(xmlReaders).filter((n) => n !== own);
  const lead = Math.min(
    ...corpora.filter((c) => c.workload).flatMap((c) => others.map((n) => c.rates[own] / c.rates[n])),
  );
  const text = (rates: Record<string, number>) =>
    Object.entries(rates)
      .map(([n, r]) => `${n} ${r.toFixed(0)}`)
      .join(', ');
  return {
    section,
    what: 'XML readers, records per CPU second (harvester/xml.ts, fast-xml-parser validate + parse, saxes)',
    result:
      `${corpora.map((c) => `${c.name}, ${c.records} records: ${text(c.rates)}`).join('; ')}; on the ListRecords ` +
      `pages the own reader is at least ${lead.toFixed(2)}x each other`,
    target: 'own reader kept only at >= 1.5x',
    verdict: lead >= 1.5 ? 'met' : 'missed',
    command,
  };
}

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const total = quick ? 2_000 : 100_000;
  const prefix = 'oai_dc';
  const provider = createOaiProvider({
    load: async () => records(total),
    pageSize: 100,
    maxAgeMs: Number.MAX_SAFE_INTEGER,
    secret: 'bench',
  });
  await provider.snapshot();
  const { server, url } = await listen(provider.listener);
  const section = 'Harvester and OAI-PMH provider';
  const cmd = `npx node bench/harvester.bench.ts${quick ? ' --quick' : ''}`;
  const rows: BenchRow[] = [await xmlReaderRow(section, quick, cmd)];
  try {
    // Provider alone: every page fetched (gzip, as harvesters ask) and read to its token by a client in another
    // process, so that the client's own work does not run on the provider's thread.
    const first = await firstByteMs(`${url}?verb=ListRecords&metadataPrefix=${prefix}`);
    const client = await measureCommand(node, [self, 'child-fetch', url, prefix, String(Math.floor(total / 200))]);
    if (client.exitCode !== 0) throw new Error(`the provider client failed (exit ${client.exitCode})`);
    // The client's own clock, from its first request to its last answer (its start-up is not the provider's time).
    const {
      pages,
      records: served,
      middleToken,
      ms,
    } = JSON.parse(client.stdout.trim().split('\n').pop()!) as {
      pages: number;
      records: number;
      middleToken: string;
      ms: number;
    };
    if (served !== total) throw new Error(`the provider served ${served} records, not ${total}`);
    const providerRate = total / (ms / 1000);
    const middle = middleToken
      ? await firstByteMs(`${url}?verb=ListRecords&resumptionToken=${encodeURIComponent(middleToken)}`)
      : NaN;
    rows.push({
      section,
      what: `provider: ListRecords ${prefix}, ${total} records in ${pages} pages of 100`,
      result:
        `${providerRate.toFixed(0)} records/s; first byte ${first.toFixed(0)} ms (first page), ` +
        `${middle.toFixed(0)} ms (mid-list token)`,
      target: '>= 5,000 records/s',
      verdict: providerRate >= 5000 ? 'met' : 'missed',
      command: cmd,
    });

    // This harvester, in its own process so that its peak RSS is its own.
    const catalog = join(workDir, 'harvested-catalogue');
    const ours = await measureCommand(node, [youngGenerationFlag(), self, 'child-harvest', url, catalog, prefix]);
    if (ours.exitCode !== 0) throw new Error(`the harvester child failed (exit ${ours.exitCode})`);
    const oursRate = total / (ours.wallMs / 1000);
    const oursReport = lastJsonLine(ours.stdout);
    if (oursReport?.records !== total || oursReport.written !== total || oursReport.problems !== 0)
      throw new Error(
        `the harvester child harvested ${JSON.stringify(oursReport)}, not ${total} records written without problems`,
      );
    // The peer: the npm package oai-pmh, listing the same records (it parses; it writes nothing).
    // Its CommonJS entry needs the `esm` loader, which Node 24 does not run; its ES module source loads with a
    // small loader hook (extensionless imports, JSON, named imports from CommonJS), as `esm` did.
    const hooks = join(workDir, 'peer-hooks.mjs');
    await writeFile(hooks, peerHooks);
    const peerScript = join(workDir, 'peer.mjs');
    await writeFile(
      peerScript,
      `import { register } from 'node:module';\nregister(${JSON.stringify('file://' + hooks)});\nconst c0 = ` +
        `process.cpuUsage();\nconst { OaiPmh } = await ` +
        `import(${JSON.stringify(join(repo, 'node_modules/oai-pmh/src/index.js'))});\nlet n = 0;\nfor await ` +
        `(const r of new OaiPmh(process.argv[2]).listRecords({ metadataPrefix: '${prefix}' })) if (r) n++;\n` +
        `process.stdout.write(JSON.stringify({ records: n, cpu: process.cpuUsage(c0) }) + '\\n');\n`,
    );
    const peer = await measureCommand(node, [peerScript, url]);
    const peerRate = total / (peer.wallMs / 1000);
    const peerReport = lastJsonLine(peer.stdout);
    const ratio = oursRate / peerRate;
    rows.push({
      section,
      what: `this harvester: ${total} records, pages of 100 (parse, crosswalk, validate, write one file per record)`,
      result:
        `${oursRate.toFixed(0)} records/s (${ratio.toFixed(2)}x the peer), ${cpuText(oursReport)}, peak RSS ` +
        `${formatBytes(ours.peakRssBytes)}`,
      target: '>= 3,000 records/s, >= peer, <= 300 MB',
      verdict:
        oursRate >= 3000 && oursRate >= peerRate && (ours.peakRssBytes ?? 0) <= 300 * 1024 * 1024 ? 'met' : 'missed',
      command: cmd,
    });
    rows.push({
      section,
      what: `peer: npm oai-pmh 2.0.3, same endpoint, same run (parse only, writes nothing)`,
      result:
        `${
          peer.exitCode === 0
            ? `${peerRate.toFixed(0)} records/s (${peerReport?.records ?? '?'} records), ${cpuText(peerReport)}`
            : `failed (exit ${peer.exitCode})`
        }` + `, peak RSS ${formatBytes(peer.peakRssBytes)}`,
      target: '',
      verdict: '',
      command: cmd,
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }

  // Peak RSS against size: the synthetic provider, 1/10 of the size and the full size (1M when asked for).
  const million = !quick && process.env.BENCH_HARVESTER_MILLION === '1';
  const sizes = quick ? [200, 2_000] : million ? [100_000, 1_000_000] : [10_000, 100_000];
  const peaks: { size: number; rss: number | null; rate: number; us: number }[] = [];
  for (const size of sizes) {
    const synthetic = await syntheticProvider(size);
    try {
      const folder = join(workDir, `synthetic-${size}`);
      const run = await measureCommand(node, [
        youngGenerationFlag(),
        self,
        'child-harvest',
        synthetic.url,
        folder,
        'oai_dc',
      ]);
      if (run.exitCode !== 0)
        throw new Error(`the harvester child failed on ${size} synthetic records (exit ${run.exitCode})`);
      peaks.push({
        size,
        rss: run.peakRssBytes,
        rate: size / (run.wallMs / 1000),
        us: perRecordUs(lastJsonLine(run.stdout)),
      });
      // Not removed until the end (the harness removes workDir): see the note on deleted inodes at the top.
    } finally {
      synthetic.close();
    }
  }
  // The same harvest without capping V8's young generation at 32 MiB (harvester/young-generation.ts): V8 then grows
  // it to its maximum (2 x 64 MiB on a machine with this much memory), which is then most of peak RSS.
  const unheld = await (async () => {
    const size = sizes[sizes.length - 1] === 1_000_000 ? 100_000 : sizes[sizes.length - 1];
    const synthetic = await syntheticProvider(size);
    try {
      const folder = join(workDir, `synthetic-unheld-${size}`);
      const run = await measureCommand(node, [self, 'child-harvest', synthetic.url, folder, 'oai_dc']);
      return run.exitCode === 0
        ? `; ${size.toLocaleString('en')} with the young generation left to grow: ` +
            `${formatBytes(run.peakRssBytes)}, ${(size / (run.wallMs / 1000)).toFixed(0)} records/s, ` +
            `${perRecordUs(lastJsonLine(run.stdout)).toFixed(0)} µs CPU/record`
        : '';
    } finally {
      synthetic.close();
    }
  })();
  const flat = peaks.every((p) => (p.rss ?? Infinity) <= 300 * 1024 * 1024);
  rows.push({
    section,
    what:
      `this harvester, peak RSS against size (synthetic oai_dc ` +
      `provider${million ? '' : '; 1M: BENCH_HARVESTER_MILLION=1'})`,
    result:
      peaks
        .map(
          (p) =>
            `${p.size.toLocaleString('en')}: ${formatBytes(p.rss)}, ${p.rate.toFixed(0)} records/s, ` +
            `${p.us.toFixed(0)} µs CPU/record`,
        )
        .join('; ') + unheld,
    target: '<= 300 MB, flat',
    verdict: flat ? 'met' : 'missed',
    command: million ? 'BENCH_HARVESTER_MILLION=1 npx node bench/harvester.bench.ts' : cmd,
  });
  return rows;
};
export default benchmark;

if (process.argv[2] === 'child-fetch') {
  // The provider's client: every page over keep-alive HTTP with gzip, records counted, the token followed.
  const [, , , url, prefix, middlePage] = process.argv;
  const { gunzipSync } = await import('node:zlib');
  const agent = new (await import('node:http')).Agent({ keepAlive: true });
  const get = (target: string) =>
    new Promise<string>((resolve, reject) => {
      request(target, { agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve((response.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
        });
      })
        .on('error', reject)
        .end();
    });
  let next = `${url}?verb=ListRecords&metadataPrefix=${prefix}`;
  let pages = 0;
  let records = 0;
  let middleToken = '';
  const clientStarted = performance.now();
  for (;;) {
    const text = await get(next);
    pages++;
    for (let i = text.indexOf('<record>'); i !== -1; i = text.indexOf('<record>', i + 8)) records++;
    const token = /<resumptionToken[^>]*>([^<]+)<\/resumptionToken>/.exec(text)?.[1];
    if (!token) break;
    if (pages === Number(middlePage)) middleToken = token;
    next = `${url}?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`;
  }
  agent.destroy();
  process.stdout.write(JSON.stringify({ pages, records, middleToken, ms: performance.now() - clientStarted }) + '\n');
} else if (process.argv[2] === 'child-harvest') {
  const [, , , url, catalog, prefix] = process.argv;
  await mkdir(catalog, { recursive: true });
  const c0 = process.cpuUsage();
  const summary = await harvest({ catalog, target: { partner: 'bench', baseUrl: url, metadataPrefix: prefix } });
  process.stdout.write(
    JSON.stringify({
      records: summary.records,
      written: summary.written,
      problems: summary.problems.length,
      cpu: process.cpuUsage(c0),
    }) + '\n',
  );
} else if (process.argv[1] === self) {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'bench-harvester-'));
  try {
    for (const row of await benchmark({ quick: process.argv.includes('--quick'), workDir: dir }))
      console.log(`${row.what}: ${row.result} [${row.target ?? ''} ${row.verdict ?? ''}]`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
