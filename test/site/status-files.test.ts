// The status pages read harvest-log.json and mirror-status.json as they find them: a file nested thousands deep
// (its cells are shown with JSON.stringify) must give an explained empty table, never a failed build.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { maxNestingDepth } from '../../catalog/source.ts';
import { readStatusTable } from '../../site/lib/status-files.ts';

it('a status file nested too deep is unreadable, with the pointer where the limit was passed', async () => {
  const catalog = await mkdtemp(join(tmpdir(), 'status-too-deep-'));
  try {
    await writeFile(
      join(catalog, 'harvest-log.json'),
      `{"runs":[{"partner":"p","detail":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}]}`,
    );
    const table = await readStatusTable(catalog, 'harvest-log.json');
    expect(table).toMatchObject({ state: 'unreadable', rows: [] });
    expect(table.note).toBe(
      `harvest-log.json nests lists and mappings more than ${maxNestingDepth} deep ` +
        `(at /runs/0/detail${'/a'.repeat(maxNestingDepth - 3)}); it is not a file this ` +
        `catalogue writes.`,
    );
  } finally {
    await rm(catalog, { recursive: true, force: true });
  }
});
