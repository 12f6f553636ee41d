// One build at a time per site folder. An incremental build takes the previous build's state, stages its changes
// and applies them to the site in place; a second build into the same folder at the same time would apply changes
// computed from a state the first is replacing, and leave a site that matches neither (two CI runs of the publish
// workflow, or a scheduled build overlapping a manual one). The lock is a file beside the site, created
// exclusively (O_EXCL), holding the builder's process id: a lock whose process is gone is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SiteBuildError } from './errors.ts';

/** The lock file of a site folder: beside it, so that builds with different cache folders still meet. */
export const siteLockFile = (out: string) => join(dirname(out), `.${basename(out)}.build-lock`);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock of `out` or throws SITE_LOCKED naming the build that holds it; returns the release. */
export function lockSite(out: string): () => void {
  const file = siteLockFile(out);
  mkdirSync(dirname(out), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    } catch {
      // Removed meanwhile by the build that held it: try again.
    }
    if (Number.isSafeInteger(holder) && holder > 0 && isRunning(holder))
      throw new SiteBuildError(
        'SITE_LOCKED',
        `another build (process ${holder}) is writing ${out}; ` +
          `wait for it to end, or remove ${file} if no build is running`,
      );
    rmSync(file, { force: true });
  }
  throw new SiteBuildError('SITE_LOCKED', `cannot take the build lock ${file}; remove it if no build is running`);
}
