// The page writer: files arrive byte for byte (multi-byte UTF-8 included), whole, in place, with no temporary file
// left; a failure rejects with the reason instead of being lost on the worker thread, and stops every later write.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPageWriter } from '../../harvester/page-writer.ts';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe.each(['worker', 'inline'] as const)('createPageWriter (mode %s)', (mode) => {
  it('writes every file of every page exactly, and leaves no temporary file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'page-writer-'));
    dirs.push(folder);
    const writer = createPageWriter({ mode });
    try {
      const pages = [0, 1, 2].map((p) =>
        Array.from({ length: 50 }, (_, i) => ({
          name: `r${p}-${i}.json`,
          data: `{"title": "Zebrafish \u{1F41F} heart, écho ${p}/${i}", "x": "${'é'.repeat(i)}"}\n`,
        })),
      );
      await Promise.all(pages.map((files) => writer.write(folder, files)));
      const names = (await readdir(folder)).sort();
      expect(names).toEqual(
        pages
          .flat()
          .map((f) => f.name)
          .sort(),
      );
      for (const file of pages.flat()) expect(await readFile(join(folder, file.name), 'utf8')).toBe(file.data);
    } finally {
      await writer.close();
    }
  });

  it('rejects with the reason when a file cannot be written', async () => {
    const writer = createPageWriter({ mode });
    try {
      await expect(
        writer.write(join(tmpdir(), 'no-such-folder-for-page-writer', 'x'), [{ name: 'a.json', data: '{}' }]),
      ).rejects.toThrow(/ENOENT/);
    } finally {
      await writer.close();
    }
  });

  it('writes nothing queued after a failed write, so that a state is never committed ahead of its page', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'page-writer-'));
    dirs.push(folder);
    const writer = createPageWriter({ mode });
    try {
      // Queued together, as the harvest queues a page's files and then its state: the page fails, the state must
      // not land.
      const page = writer.write(join(folder, 'missing'), [{ name: 'r.json', data: '{}' }]);
      const state = writer.write(folder, [{ name: 'state.json', data: '{"pages": 1}' }]);
      await expect(page).rejects.toThrow(/ENOENT/);
      await expect(state).rejects.toThrow(/an earlier write failed/);
      await expect(writer.write(folder, [{ name: 'later.json', data: '{}' }])).rejects.toThrow(
        /an earlier write failed/,
      );
      expect(await readdir(folder)).toEqual([]);
    } finally {
      await writer.close();
    }
  });
});

// proc(5): field 19 of /proc/<pid>/task/<tid>/stat is the nice value; fields are counted after the command's ")".
const niceOf = (tid: string) =>
  Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);

// Where threads have their own nice value (Linux), and the tests run at the default priority.
describe.runIf(existsSync('/proc/thread-self') && niceOf(String(process.pid)) === 0)('the worker writer', () => {
  it('runs at nice 10, below the harvest, so that fetching and parsing go first on a busy machine', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'page-writer-'));
    dirs.push(folder);
    const writer = createPageWriter();
    try {
      await writer.write(folder, [{ name: 'a.json', data: '{}' }]);
      const nices = readdirSync('/proc/self/task').map(niceOf);
      expect(nices.filter((n) => n === 10)).toHaveLength(1);
      expect(niceOf(String(process.pid))).toBe(0);
    } finally {
      await writer.close();
    }
  });
});
