#!/usr/bin/env node
// Entry point of the `catalogue` command. Plain JavaScript on purpose: it must run (and explain itself)
// even on a Node.js too old to load the TypeScript sources, which Node >= 22.18 runs directly.
import '../scripts/require-node.mjs';

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
