// The mirror runs without the command: two folder mirrors and one that cannot be opened, given to
// createMirrorRuns directly; each run's verdict, its typed result and the status file it writes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogueObjects } from '../../storage/catalogue-objects.ts';
import { MirrorUnavailableError } from '../../storage/errors.ts';
import { createFolderStore } from '../../storage/folder-store.ts';
import { createMirrorRuns } from '../../storage/mirror-runs.ts';
import type { Mirror, MirrorsConfig } from '../../storage/mirrors.ts';
import type { MirrorStatusFile } from '../../storage/status.ts';
import type { ObjectStore } from '../../storage/store.ts';
import { temporaryFolder } from './helpers.ts';

const mirrors: Mirror[] = [
  { id: 'local', kind: 'folder', role: 'primary', path: 'local' },
  { id: 'copy', kind: 'folder', role: 'mirror', path: 'copy' },
  { id: 'down', kind: 'folder', role: 'mirror', path: 'down' },
];

let work: string;
let objects: CatalogueObjects;
let config: MirrorsConfig;

const open = (mirror: Mirror): ObjectStore => {
  if (mirror.id === 'down') throw new MirrorUnavailableError('down', 'down: the mirror did not answer');
  return createFolderStore({ id: mirror.id, root: join(work, mirror.path!) });
};
const runs = () =>
  createMirrorRuns({
    catalog: join(work, 'catalog'),
    config,
    objects,
    open,
    now: () => new Date('2026-01-02T03:04:05Z'),
  });
const readStatusFile = async () =>
  JSON.parse(await readFile(join(work, 'catalog', 'mirror-status.json'), 'utf8')) as MirrorStatusFile;

beforeEach(async () => {
  work = await temporaryFolder('mirror-runs');
  await mkdir(join(work, 'catalog'), { recursive: true });
  config = { file: join(work, 'mirrors.yaml'), mirrors, base: work };
  const live = [];
  for (const name of ['a.bin', 'b.bin']) {
    const bytes = randomBytes(1000);
    await mkdir(join(work, 'local', 'BIC0000013'), { recursive: true });
    await writeFile(join(work, 'local', 'BIC0000013', name), bytes);
    live.push({
      key: `BIC0000013/${name}`,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      entry: 'BIC0000013',
    });
  }
  objects = { live, kept: [], deletable: [], embargoed: [], problems: [] };
});

afterEach(() => rm(work, { recursive: true, force: true }));

describe('createMirrorRuns', () => {
  it('sync: copies to the mirrors it can open, records the one it cannot, and says so in the verdict', async () => {
    const run = await runs().sync({ from: mirrors[0], targets: mirrors.slice(1), engine: 'sdk' });
    expect(run.verdict).toBe('unavailable');
    expect(run.unavailable).toEqual([{ mirror: 'down', error: 'down: the mirror did not answer' }]);
    expect(run.results).toMatchObject([{ from: 'local', to: 'copy', copied: 2, via: 'sdk', failed: [] }]);
    const status = await readStatusFile();
    expect(status.mirrors.map((m) => [m.id, m.available])).toEqual([
      ['copy', true],
      ['down', false],
    ]);
    expect(status.mirrors[0].lastSync).toMatchObject({
      at: '2026-01-02T03:04:05.000Z',
      from: 'local',
      copied: 2,
      ok: true,
    });
  });

  it('verify: a corrupt copy is a problem, counted by code in the status file', async () => {
    await runs().sync({ from: mirrors[0], targets: [mirrors[1]], engine: 'sdk' });
    await writeFile(join(work, 'copy', 'BIC0000013', 'a.bin'), randomBytes(1000));
    const run = await runs().verify({ mirrors: mirrors.slice(0, 2) });
    expect(run.verdict).toBe('problems');
    expect(run.mirrors.map((r) => r.findings.map((f) => f.code))).toEqual([[], ['WRONG_CHECKSUM']]);
    const copy = (await readStatusFile()).mirrors.find((m) => m.id === 'copy')!;
    expect(copy.lastAudit).toMatchObject({ sample: 1, problems: 1, byCode: { WRONG_CHECKSUM: 1 }, ok: false });
  });

  it('repair: mends the bad copy from a mirror whose copy verifies; one not opened is unavailable', async () => {
    await runs().sync({ from: mirrors[0], targets: [mirrors[1]], engine: 'sdk' });
    await rm(join(work, 'copy', 'BIC0000013', 'b.bin'));
    const run = await runs().repair({ mirrors: mirrors.slice(1) });
    expect(run.mirrors).toMatchObject([
      {
        mirror: 'copy',
        actions: [{ key: 'BIC0000013/b.bin', problem: 'MISSING', from: 'local', ok: true }],
        remaining: [],
      },
    ]);
    expect(run.unavailable).toEqual([{ mirror: 'down', error: 'cannot open the mirror' }]);
    expect(run.verdict).toBe('unavailable');
    expect((await runs().repair({ mirrors: [mirrors[1]] })).verdict).toBe('ok');
  });
});
