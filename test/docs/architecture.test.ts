// docs/architecture.md is held to the tree: every file or folder it names exists, and the imports follow its
// layers (a folder imports only from the folders below it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');

/** What each layer may import, besides itself: the folders below it in docs/architecture.md. */
const allowed: Record<string, string[]> = {
  http: [],
  schemas: [],
  images: ['schemas'],
  catalog: ['schemas', 'images'],
  harvester: ['catalog', 'schemas', 'http'],
  storage: ['catalog', 'schemas', 'http', 'images'],
  site: ['harvester', 'storage', 'catalog', 'schemas', 'http', 'images'],
  doi: ['catalog', 'schemas', 'http'],
};

describe('docs/architecture.md', () => {
  it('names only files and folders that exist', () => {
    const missing: string[] = [];
    for (const row of text.split('\n').filter((line) => line.startsWith('| `'))) {
      const cells = row.split(' | ');
      const folders = [...cells[0].matchAll(/`([a-z/]+\/)`/g)].map((m) => m[1]);
      for (const [, name] of cells
        .slice(1)
        .join(' ')
        .matchAll(/`([\w./-]+\.(?:ts|yaml|json)|[\w-]+\/)`/g)) {
        const candidates = [name, ...folders.map((folder) => join(folder, name))];
        if (!candidates.some((candidate) => existsSync(join(root, candidate))))
          missing.push(`${name} (row ${cells[0]})`);
      }
    }
    for (const [, path] of text.matchAll(/`((?:http|schemas|images|catalog|harvester|storage|site|cli)\/[\w./-]+)`/g)) {
      if (!existsSync(join(root, path))) missing.push(path);
    }
    expect(missing).toEqual([]);
  });

  it('describes layers that the imports follow', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.astro'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file.split('/')[0] in allowed);
    const crossings: string[] = [];
    for (const file of files) {
      const layer = file.split('/')[0];
      const source = readFileSync(join(root, file), 'utf8');
      for (const [, spec] of source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = normalize(join(dirname(file), spec)).split('/')[0];
        if (target !== layer && target in allowed && !allowed[layer].includes(target)) {
          crossings.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(crossings).toEqual([]);
  });
});
