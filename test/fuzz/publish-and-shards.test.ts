// Files another job or another publisher wrote, read as untrusted: a shard report given to `mirror verify --merge`,
// and the publish record found in a mirror by `catalogue publish`. Any bytes give a result or the layer's own
// error with a message, never a crash, a prototype change or an object deleted.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { publishRecordKey, publishSite } from '../../site/lib/publish-site.ts';
import { SiteBuildError } from '../../site/lib/errors.ts';
import { mergeShardReports, toShardReport } from '../../storage/audit-merge.ts';
import { StorageError } from '../../storage/errors.ts';
import { createFolderStore } from '../../storage/folder-store.ts';

const numRuns = Number(process.env.FUZZ_RUNS ?? 100);
let work: string;
let site: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'fuzz-publish-'));
  site = join(work, 'site');
  await mkdir(site, { recursive: true });
  await writeFile(join(site, 'index.html'), '<h1>home</h1>');
});
afterAll(() => rm(work, { recursive: true, force: true }));

const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.record({
    shard: fc.record({ index: fc.integer(), count: fc.integer() }),
    sample: fc.double(),
    mirrors: fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
  }),
);

describe('shard reports', () => {
  it.prop([fc.array(anyJson, { maxLength: 4 })], { numRuns })(
    'any JSON: a merged audit or a StorageError',
    (values) => {
      try {
        const reports = values.map((value, i) => toShardReport(value, `report-${i}.json`));
        const merged = mergeShardReports(reports);
        expect(Array.isArray(merged.mirrors)).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(StorageError);
        expect((error as Error).message.length).toBeGreaterThan(0);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

describe('the publish record in a mirror', () => {
  it.prop(
    [
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      ),
    ],
    {
      numRuns: Math.min(numRuns, 60),
    },
  )('any bytes: the site published, or a SiteBuildError, and the other objects kept', async (bytes) => {
    const bucket = await mkdtemp(join(work, 'bucket-'));
    await writeFile(join(bucket, publishRecordKey), bytes);
    await writeFile(join(bucket, 'data.tif'), 'not the site');
    try {
      await publishSite({ dir: site, store: createFolderStore({ id: 'mirror', root: bucket }) });
    } catch (error) {
      expect(error).toBeInstanceOf(SiteBuildError);
    }
    expect((await readdir(bucket)).includes('data.tif')).toBe(true);
    await rm(bucket, { recursive: true, force: true });
  });
});
