// mirror-status.json lives in the catalogue, where a pull request can change it: whatever shape or depth it has,
// the next audit or sync writes a fresh one instead of crashing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { readStatus, statusFile, updateStatus } from '../../storage/status.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

it.each([
  [
    'nested too deep',
    `{"schemaVersion":1,"mirrors":[{"id":"a","problems":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
  ],
  ['mirrors not a list', '{"schemaVersion":1,"mirrors":{"id":"local"}}'],
  ['a mirror that is not a mapping', '{"schemaVersion":1,"mirrors":[null, 3, "local"]}'],
  ['not a mapping', 'null'],
])('a mirror-status.json %s is written afresh', async (_name, content) => {
  const catalog = await mkdtemp(join(tmpdir(), 'mirror-status-'));
  dirs.push(catalog);
  await writeFile(join(catalog, statusFile), content);
  await updateStatus(
    catalog,
    [{ id: 'local', kind: 'folder', role: 'primary', objects: 3 }],
    new Date('2026-01-01T00:00:00Z'),
  );
  expect((await readStatus(catalog)).mirrors).toEqual([
    { id: 'local', kind: 'folder', role: 'primary', available: true, objects: 3, bytes: 0, problems: [] },
  ]);
});
