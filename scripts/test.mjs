// `npm test`: everything CI runs, with its own set-up. It installs the Debian packages the tests need when they
// are missing and it may (root with apt-get), otherwise it says exactly what to install; it starts and stops the
// S3 gateway the storage tests use; then lint, type check, unit and integration tests, browser tests.
import './require-node.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

/** Debian packages the tests use, and the command each one provides. */
const packages = [
  { pkg: 'chromium', command: 'chromium', why: 'browser tests of the site' },
  { pkg: 'libxml2-utils', command: 'xmllint', why: 'OAI-PMH responses validated against the official XML schemas' },
  { pkg: 'rclone', command: 'rclone', why: 'mirror replication' },
  { pkg: 'radosgw', command: 'radosgw', why: 'a real S3 server (Ceph RADOS Gateway)' },
  { pkg: 'ceph-mon', command: 'ceph-mon', why: "the gateway's monitor" },
  { pkg: 'ceph-osd', command: 'ceph-osd', why: "the gateway's storage daemon" },
  { pkg: 'ceph-common', command: 'ceph', why: "the gateway's admin tools" },
  { pkg: 'python3-tifffile', command: 'tifffile', why: 'reference TIFF writer and reader for the image tests' },
  { pkg: 'python3-zarr', probe: '/usr/bin/python3 -c "import zarr"', why: 'reference Zarr reader for OME-Zarr' },
];

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function ensurePackages() {
  const installed = (p) =>
    p.probe ? spawnSync('sh', ['-c', p.probe], { stdio: 'ignore' }).status === 0 : has(p.command);
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const list = missing.map((p) => p.pkg).join(' ');
  const canInstall = process.getuid?.() === 0 && has('apt-get') && process.env.CATALOGUE_NO_APT !== '1';
  if (!canInstall) {
    process.stderr.write(
      `The tests need these Debian packages, which are missing:\n` +
        missing.map((p) => `  ${p.pkg.padEnd(16)} (${p.command ?? 'python3 module'}: ${p.why})`).join('\n') +
        `\nInstall them with:\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${list}\n`,
    );
    process.exit(2);
  }
  process.stderr.write(`Installing missing Debian packages: ${list}\n`);
  run('apt-get', ['update'], { quiet: true });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing.map((p) => p.pkg)], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function run(command, args, { env = process.env, quiet = false, allowFailure = false } = {}) {
  const result = spawnSync(command, args, { stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env });
  if (result.status !== 0 && !allowFailure) {
    process.stderr.write(`\n\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status || 1);
  }
  return result.status ?? 1;
}

ensurePackages();
const env = { ...process.env };
const gateway = 'scripts/s3-gateway.mjs';
let gatewayStarted = false;
if (existsSync(gateway)) {
  const started = spawnSync(process.execPath, [gateway, 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (started.status !== 0) {
    process.stderr.write('Could not start the S3 gateway for the storage tests (see above).\n');
    process.exit(2);
  }
  Object.assign(env, JSON.parse(started.stdout.trim().split('\n').pop()));
  gatewayStarted = true;
}

let status = 0;
try {
  status ||= run('npm', ['run', '--silent', 'lint'], { env, allowFailure: true });
  status ||= run('npx', ['vitest', 'run'], { env, allowFailure: true });
  if (existsSync('playwright.config.ts')) status ||= run('npx', ['playwright', 'test'], { env, allowFailure: true });
} finally {
  if (gatewayStarted) spawnSync(process.execPath, [gateway, 'stop'], { stdio: 'inherit' });
}
process.exit(status);
