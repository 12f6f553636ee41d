// A hostile entry.yaml of 8 MB can hold hundreds of thousands of unknown fields, one problem each. Placing each
// problem on its line must cost the same whatever the number of fields, or `catalogue check` runs for hours.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listRecords } from '../../catalog/layout.ts';
import { inspectRecord } from '../../catalog/records.ts';

const fixtures = new URL('./fixtures/submissions/valid/', import.meta.url).pathname;

it('an entry with 60,000 unknown fields is checked in seconds, each field on its own line', async () => {
  const root = await mkdtemp(join(tmpdir(), 'catalogue-many-problems-'));
  try {
    await cp(join(fixtures, 'minimal-confocal'), join(root, 'submissions', 'many-fields'), { recursive: true });
    const fields = Array.from({ length: 60_000 }, (_, i) => `field${i}: 1`).join('\n');
    await writeFile(join(root, 'submissions/many-fields/entry.yaml'), `schemaVersion: 1\n${fields}\n`);
    const [location] = (await listRecords(root)).records;
    const started = performance.now();
    const { problems } = inspectRecord(root, location, '2026-06-01');
    const seconds = (performance.now() - started) / 1000;
    const unknown = problems.filter((p) => p.code === 'FIELD_UNKNOWN');
    expect(unknown).toHaveLength(60_000);
    expect(unknown[59_999]).toMatchObject({ pointer: '/field59999', line: 60_001, column: 1 });
    // Each field's line comes from the mapping's key index (catalog/source.ts), built once, not from a search of
    // the mapping per field.
    expect(seconds).toBeLessThan(20);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 120_000);

it('an entry of a few unknown field names a megabyte long is checked at once', async () => {
  const root = await mkdtemp(join(tmpdir(), 'catalogue-long-names-'));
  try {
    await cp(join(fixtures, 'minimal-confocal'), join(root, 'submissions', 'long-names'), { recursive: true });
    const fields = Array.from({ length: 7 }, (_, i) => `${'k'.repeat(1_000_000)}${i}: 1`).join('\n');
    await writeFile(join(root, 'submissions/long-names/entry.yaml'), `schemaVersion: 1\n${fields}\n`);
    const [location] = (await listRecords(root)).records;
    const started = performance.now();
    const { problems } = inspectRecord(root, location, '2026-06-01');
    const seconds = (performance.now() - started) / 1000;
    const unknown = problems.filter((p) => p.code === 'FIELD_UNKNOWN');
    expect(unknown).toHaveLength(7);
    // The message shows the start of the name; the pointer holds all of it.
    expect(unknown[0].message).toMatch(/^'k{56}\.\.\. is not a field here$/);
    expect(unknown[0].pointer).toHaveLength(1_000_002);
    // A name far longer than every allowed field is not measured against them for a "did you mean": the edit
    // distance is at least the difference in length (catalog/schema-problems.ts).
    expect(seconds).toBeLessThan(2);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 120_000);
