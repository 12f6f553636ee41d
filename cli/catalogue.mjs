#!/usr/bin/env node
// Entry point of the `catalogue` command. Plain JavaScript on purpose: it must run (and explain itself)
// even on a Node.js too old to load the TypeScript sources, which Node >= 22.18 runs directly.
import '../scripts/require-node.mjs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node's compile cache (module.enableCompileCache, Node >= 22.1; TypeScript included since 23) keeps the
// type-stripped and compiled sources between runs, so that a short command such as `mirror sync` or a
// pull-request check does not compile the sources again on every start. The cache lives
// in the repository's git-ignored .cache/, not in a shared temporary folder another user could write to.
// NODE_COMPILE_CACHE chooses another folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../.cache/node-compile', import.meta.url)),
);

// V8's young generation of a harvest, and of `usage` (which reads logs of millions of lines the same way), is
// capped where Node supports it, at process start (harvester/young-generation.ts): the command replaces itself by
// the same command with the flag.
const args = process.argv.slice(2);
const command = args.find((arg, i) => !arg.startsWith('-') && args[i - 1] !== '--catalog');
if (command === 'harvest' || command === 'usage') {
  (await import('../harvester/young-generation.ts')).restartWithYoungGenerationLimit();
}

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
