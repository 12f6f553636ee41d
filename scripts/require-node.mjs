// Fails fast, with a clear message, when a script runs on a Node.js older than the project needs.
// npm puts node_modules/.bin first on PATH, so `npm run ...` uses the pinned `node` devDependency (Node 24);
// running a script with the system's own older Node is the usual mistake this catches.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `This project needs Node.js 22.12 or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      'Run it through npm so the pinned Node 24 is used: `npm ci` once, then `npm start` or `npm test`.\n',
  );
  process.exit(2);
}
