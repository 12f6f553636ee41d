// Part of `npm run lint`: no line of code longer than the formatter's width (biome.json, lineWidth), which the
// formatter cannot enforce on its own (it never splits a string, a template literal or a comment).
// Prints `file:line: N characters` for each longer line and exits 1; generated files and fixtures are left out.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { formatter } = JSON.parse(readFileSync(new URL('../biome.json', import.meta.url), 'utf8'));
const width = formatter.lineWidth;
const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs', '*.js', '*.astro'],
  {
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((file) => file && !file.includes('/fixtures/') && file !== 'schemas/types.ts');

let long = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    const length = [...line].length;
    if (length > width) {
      long++;
      process.stdout.write(`${file}:${i + 1}: ${length} characters (at most ${width}); split the string or comment\n`);
    }
  });
}
if (long) process.exit(1);
