// RO-Crate harvest: reading and crosswalking one crate (the 33 real crates of the tests, in turn), and a harvest of
// 1,000 crates from a local server, first in full and then again with every crate answered 304 Not Modified.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crateToHarvestedRecord } from '../harvester/ro-crate/crosswalk.ts';
import { harvestCrates } from '../harvester/ro-crate/harvest-crates.ts';
import { readCrate } from '../harvester/ro-crate/read-crate.ts';
import { removeAfterRun, type Benchmark, type BenchRow } from './harness.ts';

const section = 'RO-Crate harvest';
const fixtures = new URL('../test/harvester/fixtures/ro-crate/', import.meta.url);

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const crates = ['bia', 'idr', 'gide-search'].flatMap((kind) =>
    readdirSync(new URL(`${kind}/`, fixtures)).map((name) => readFileSync(new URL(`${kind}/${name}`, fixtures))),
  );
  const rows: BenchRow[] = [];
  const rounds = quick ? 100 : 1000;
  const started = performance.now();
  for (let i = 0; i < rounds; i++)
    for (const bytes of crates)
      crateToHarvestedRecord(readCrate(bytes), {
        partner: 'bench',
        crateUrl: 'https://x.org/ro-crate-metadata.json',
        harvestedAt: '2026-12-07T05:00:00Z',
      });
  const perCrate = ((performance.now() - started) * 1000) / (rounds * crates.length);
  rows.push({
    section,
    what: `read and crosswalk one real crate (5-25 KB; ${crates.length} crates x ${rounds})`,
    result: `${perCrate.toFixed(0)} µs per crate`,
    command: 'npm run bench -- --only ro-crate',
  });

  // 1,000 distinct crates: the real ones with their root @id made unique.
  const count = quick ? 200 : 1000;
  const bodies = Array.from({ length: count }, (_, i) => {
    const text = crates[i % crates.length].toString('utf8');
    return text.replaceAll('"@id": "https://', `"@id": "https://n${i}.`);
  });
  const server = createServer((request, response) => {
    const body = bodies[Number(/\/(\d+)\.json$/.exec(request.url ?? '')?.[1])];
    if (body === undefined) return void response.writeHead(404).end();
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
    response.writeHead(200, { etag, 'content-type': 'application/ld+json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const catalog = join(workDir, 'ro-crate-catalogue');
  removeAfterRun(catalog);
  const target = {
    partner: 'bench',
    source: { urls: bodies.map((_, i) => `${base}/${i}.json`) },
    contact: 'bench@example.org',
    allowPrivateNetwork: true,
  };
  try {
    for (const run of ['first harvest', 'again, every crate 304'] as const) {
      const runStarted = performance.now();
      const summary = await harvestCrates({ catalog, target });
      const seconds = (performance.now() - runStarted) / 1000;
      rows.push({
        section,
        what: `${run}, ${count} crates from a local server (one request at a time)`,
        result:
          `${seconds.toFixed(2)} s, ${(count / seconds).toFixed(0)} crates/s ` +
          `(${summary.written} written, ${summary.unchanged} unchanged)`,
        command: 'npm run bench -- --only ro-crate',
      });
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return rows;
};

export default benchmark;
