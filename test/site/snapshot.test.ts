// The build's snapshot of the catalogue (site/lib/snapshot.ts) and the parallel loader behind it
// (catalog/load.ts loadPublishedLines): the same records as the one-thread loader, in the same order, and never
// an embargoed entry or a submission, whatever the number of threads.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedCatalogue, loadPublishedLines } from '../../catalog/load.ts';
import { toPublished } from '../../site/lib/published.ts';
import { readSnapshot, writeSnapshot } from '../../site/lib/snapshot.ts';

const fixture = join(import.meta.dirname, 'fixtures/valid/catalogue');
let work: string;
let catalogue: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-snapshot-test-'));
  catalogue = join(work, 'catalogue');
  await cp(fixture, catalogue, { recursive: true });
  // A submission beside the entries: it must never be loaded.
  await cp(join(catalogue, 'entries/BIC0000013'), join(catalogue, 'submissions/pending'), { recursive: true });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('loadPublishedLines and the snapshot', () => {
  it(
    'gives, on 1 or 3 threads, the records of loadPublishedCatalogue in accession order, ' +
      'without the embargoed entry',
    async () => {
      const single = await loadPublishedCatalogue(catalogue, { today: '2025-01-01' });
      const expected = single.records.map(toPublished);
      expect(expected.length).toBeGreaterThan(30);
      for (const threads of [1, 3]) {
        const loaded = await loadPublishedLines(catalogue, { today: '2025-01-01', threads });
        expect(loaded.embargoed).toBe(single.embargoed);
        expect(loaded.embargoed).toBe(1);
        expect(loaded.lines.map((l) => l.accession)).toEqual(expected.map((r) => r.accession));
        expect(
          loaded.lines.some((l) => l.accession === 'BIC0000037' || l.json.includes('sequesteredembargoword')),
        ).toBe(false);
        const file = join(work, `snapshot-${threads}.jsonl`);
        writeSnapshot(file, loaded.lines);
        expect(readSnapshot(file)).toEqual(JSON.parse(JSON.stringify(expected)));
        // Machine paths stay out of the snapshot: it holds no record location.
        expect(await readFile(file, 'utf8')).not.toContain(work);
      }
      const threaded = await loadPublishedCatalogue(catalogue, { today: '2025-01-01', threads: 2 });
      expect(threaded.records.map((r) => [r.summary.accession, r.location.file])).toEqual(
        single.records.map((r) => [r.summary.accession, r.location.file]),
      );
    },
  );

  it('reports a broken record on a worker thread and leaves it out', async () => {
    await writeFile(join(catalogue, 'entries/BIC0000021/entry.yaml'), 'study: [unclosed\n');
    const loaded = await loadPublishedLines(catalogue, { today: '2025-01-01', threads: 2 });
    expect(loaded.lines.some((l) => l.accession === 'BIC0000021')).toBe(false);
    expect(loaded.problems.map((p) => p.file)).toContain('entries/BIC0000021/entry.yaml');
  });

  it('refuses a snapshot line that is not live or withdrawn', async () => {
    const file = join(work, 'tampered.jsonl');
    await writeFile(
      file,
      JSON.stringify({ kind: 'entry', accession: 'BIC0000037', status: 'embargoed', data: {} }) + '\n',
    );
    expect(() => readSnapshot(file)).toThrow(/BIC0000037 as embargoed/);
  });
});
