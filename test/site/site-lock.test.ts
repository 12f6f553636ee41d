// One build at a time per site folder (site/lib/site-lock.ts): a second build into a folder that a running build
// holds is refused before it reads anything, and a lock left by a build that died is taken over.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/lib/build-site.ts';
import { SiteBuildError } from '../../site/lib/errors.ts';
import { lockSite, siteLockFile } from '../../site/lib/site-lock.ts';
import { catalogue } from '../storage/helpers.ts';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'site-lock-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** The id of a process that has ended, as a build that died would leave in its lock. */
const endedProcess = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('the build lock of a site folder', () => {
  it('is held by one build at a time, names the holder, and is free again once released', async () => {
    const out = join(work, 'one', 'site');
    const release = lockSite(out);
    expect(await readFile(siteLockFile(out), 'utf8')).toBe(`${process.pid}\n`);
    let refused: unknown;
    try {
      lockSite(out);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(SiteBuildError);
    expect((refused as SiteBuildError).code).toBe('SITE_LOCKED');
    expect((refused as Error).message).toContain(`another build (process ${process.pid}) is writing ${out}`);
    release();
    expect(existsSync(siteLockFile(out))).toBe(false);
    lockSite(out)();
  });

  it('takes over a lock whose build has ended, or that holds no process id', async () => {
    const out = join(work, 'stale', 'site');
    for (const content of [`${endedProcess()}\n`, '', 'not a pid\n']) {
      lockSite(out)();
      await writeFile(siteLockFile(out), content);
      const release = lockSite(out);
      expect(await readFile(siteLockFile(out), 'utf8')).toBe(`${process.pid}\n`);
      release();
    }
  });

  it('refuses a second build before it reads anything, and leaves the lock of the first in place', async () => {
    const out = join(work, 'busy', 'site');
    const release = lockSite(out);
    try {
      await expect(buildSite({ catalog: join(work, 'no-catalogue'), out, today: '2026-01-01' })).rejects.toMatchObject({
        code: 'SITE_LOCKED',
      });
      const run = await catalogue('build', '--catalog', join(work, 'no-catalogue'), '--out', out);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`the site could not be built: another build (process ${process.pid}) is writing`);
      expect(existsSync(siteLockFile(out))).toBe(true);
      expect(existsSync(out)).toBe(false);
    } finally {
      release();
    }
  });

  it('is released when a build fails', async () => {
    const out = join(work, 'failing', 'site');
    await expect(buildSite({ catalog: join(work, 'no-catalogue'), out, today: '2026-01-01' })).rejects.toMatchObject({
      code: 'CATALOGUE_MISSING',
    });
    expect(existsSync(siteLockFile(out))).toBe(false);
  });
});
