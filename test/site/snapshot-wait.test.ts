// The build starts Astro and the index worker before the snapshot exists (site/lib/build-site.ts): they wait for
// it (snapshot.ts waitForSnapshot), and the snapshot appears whole or not at all (written under a temporary name).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedLines, type PublishedLine } from '../../catalog/load.ts';
import { publishedRecords, writeSnapshot } from '../../site/lib/snapshot.ts';
import { settingsFromEnv } from '../../site/lib/site-config.ts';

const fixture = join(import.meta.dirname, 'fixtures/valid/catalogue');
let work: string;
let lines: PublishedLine[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-snapshot-wait-test-'));
  lines = (await loadPublishedLines(fixture, { today: '2025-01-01', threads: 1 })).lines;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('a snapshot written while its readers wait', () => {
  it('is read by a waiting reader once it has been written, with every record', async () => {
    const file = join(work, 'late.jsonl');
    const settings = settingsFromEnv({
      SITE_CATALOGUE: fixture,
      SITE_SNAPSHOT: file,
      SITE_SNAPSHOT_PENDING: '1',
      CATALOGUE_TODAY: '2025-01-01',
    });
    expect(settings.snapshotPending).toBe(true);
    let settled = false;
    const reading = publishedRecords(settings).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Still waiting: the snapshot does not exist yet.
    expect(settled).toBe(false);
    writeSnapshot(file, lines);
    const records = await reading;
    expect(records.map((r) => r.accession)).toEqual(lines.map((l) => l.accession));
  });

  it('is refused at once when it is missing and the reader was not told to wait', async () => {
    const settings = settingsFromEnv({
      SITE_CATALOGUE: fixture,
      SITE_SNAPSHOT: join(work, 'never.jsonl'),
      CATALOGUE_TODAY: '2025-01-01',
    });
    expect(settings.snapshotPending).toBe(false);
    await expect(publishedRecords(settings)).rejects.toThrow(/ENOENT/);
  });

  it('leaves no temporary file beside it, and never exists half-written', async () => {
    const folder = await mkdtemp(join(work, 'whole-'));
    const file = join(folder, 'snapshot.jsonl');
    writeSnapshot(file, lines);
    expect(await readdir(folder)).toEqual(['snapshot.jsonl']);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });
});
