// The search index built in lanes (site/lib/search-index.ts): shards built at once, each by its own Pagefind
// service on a worker thread, give the same bundles as one shard after the other: the same fragments and word
// index chunks byte for byte, the same pages per shard. (Filter and meta files are left out of the byte
// comparison: Pagefind 1.5.2 writes them in hash-map order, so they differ between two serial builds as well.)
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import { toPublished, type PublishedRecord } from '../../site/lib/published.ts';
import { writeSearchIndex } from '../../site/lib/search-index.ts';

const fixture = join(import.meta.dirname, 'fixtures/valid/catalogue');
const info = { name: 'Lanes', baseUrl: 'https://data.example.org/bic/' };
let work: string;
let records: PublishedRecord[];

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const dirent of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (dirent.isFile())
      files.set(
        relative(dir, join(dirent.parentPath, dirent.name)),
        await readFile(join(dirent.parentPath, dirent.name)),
      );
  }
  return files;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-search-lanes-test-'));
  records = (await loadPublishedCatalogue(fixture, { today: '2025-01-01' })).records.map(toPublished);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('search index lanes', () => {
  it('builds several shards on two lanes exactly as on one', async () => {
    const one = join(work, 'one');
    const two = join(work, 'two');
    const lines: string[] = [];
    const serial = await writeSearchIndex(one, records, info, { shardTarget: 10, lanes: 1 });
    const parallel = await writeSearchIndex(two, records, info, {
      shardTarget: 10,
      lanes: 2,
      log: (line) => lines.push(line),
    });
    expect(serial.shards[0]).toBe('pagefind');
    expect(serial.shards.length).toBeGreaterThanOrEqual(3);
    expect(serial.built).toEqual(serial.shards);
    expect(parallel.shards).toEqual(serial.shards);
    expect(parallel.records).toBe(serial.records);
    // Every shard was reported from its lane.
    expect(lines).toHaveLength(serial.shards.length);
    for (const name of serial.shards)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`shard ${name}: \\d+ records$`)));
    const [a, b] = [await filesOf(one), await filesOf(two)];
    const stable = (files: Map<string, Buffer>) =>
      [...files.keys()].filter((path) => !/\/filter\/|\.pf_meta$|pagefind-entry\.json$/.test(path)).sort();
    expect(stable(b)).toEqual(stable(a));
    expect(stable(a).filter((path) => path.endsWith('.pf_fragment'))).toHaveLength(
      records.filter((r) => r.status === 'live').length,
    );
    for (const path of stable(a)) expect(b.get(path)!.equals(a.get(path)!), path).toBe(true);
    for (const shard of serial.shards) {
      const entry = (files: Map<string, Buffer>) =>
        JSON.parse(files.get(`${shard}/pagefind-entry.json`)!.toString('utf8')).languages.en.page_count;
      expect(entry(b), shard).toBe(entry(a));
      const filters = (files: Map<string, Buffer>) =>
        [...files.keys()].filter((path) => path.startsWith(`${shard}/filter/`)).length;
      expect(filters(b), shard).toBe(filters(a));
    }
  }, 120_000);

  it('reports a lane that cannot write its shard, naming the cause', async () => {
    // invalid/out-is-a-file: the output folder is a file, so no shard folder can be made in it.
    const file = join(work, 'not-a-folder');
    await writeFile(file, 'x');
    await expect(writeSearchIndex(file, records, info, { shardTarget: 10, lanes: 2 })).rejects.toThrow(
      /ENOTDIR|not a directory/,
    );
  }, 120_000);
});
