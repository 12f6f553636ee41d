#!/usr/bin/env node
// A real S3 server for the tests, the benchmarks and a local demo of mirrored buckets: a single-node Ceph RADOS
// Gateway (one monitor, one OSD on a sparse file, one gateway; Debian packages radosgw ceph-mon ceph-osd
// ceph-common), all on 127.0.0.1, in a folder this script owns (.cache/s3/). The recipe and its gotchas are in
// docs/storage.md ("A real S3 server").
//
//   node scripts/s3-gateway.mjs start   sets up (first time) or restarts the daemons, or reuses running ones;
//                                      prints ONE JSON line of env vars on stdout:
//                                      {"S3_TEST_ENDPOINT":"http://127.0.0.1:7480","S3_TEST_ACCESS_KEY_ID":"...",...}
//   node scripts/s3-gateway.mjs stop    stops only the processes this script started (PIDs in .cache/s3/state.json)
//   node scripts/s3-gateway.mjs status  prints the state, exit 0 when the gateway answers
//   node scripts/s3-gateway.mjs reset   stop, then delete the folder (next start sets up from nothing)
//
// Environment: S3_GATEWAY_DIR (default .cache/s3 in the repository), S3_GATEWAY_PORT (default 7480).
// Plain JavaScript so that it runs before anything is compiled; everything but the JSON line goes to stderr.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(process.env.S3_GATEWAY_DIR ?? join(repositoryRoot, '.cache', 's3'));
const port = Number(process.env.S3_GATEWAY_PORT ?? 7480);
const endpoint = `http://127.0.0.1:${port}`;
const conf = join(dir, 'ceph.conf');
const stateFile = join(dir, 'state.json');
const log = (message) => process.stderr.write(`s3-gateway: ${message}\n`);

/** The commands each daemon needs (Debian packages in brackets). */
const tools = {
  'ceph-mon': 'ceph-mon',
  'ceph-osd': 'ceph-osd',
  radosgw: 'radosgw',
  ceph: 'ceph-common',
  'radosgw-admin': 'radosgw',
  'ceph-authtool': 'ceph-common',
  monmaptool: 'ceph-common',
};

class GatewayError extends Error {}

function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    return undefined;
  }
}

function writeState(state) {
  // Temp file then rename: a crash never leaves half a state file (and so never loses the keys or PIDs).
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${stateFile}.tmp`, stateFile);
}

/** True when `pid` is alive and is the program we started (a recycled PID belongs to someone else). */
function isOurs(pid, program) {
  if (!pid) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline[0].endsWith(program) && cmdline.includes(conf);
  } catch {
    return false;
  }
}

function run(command, args, { timeoutSeconds = 60, allowFailure = false } = {}) {
  // The single-node cluster runs no manager daemon, so some `ceph` commands hang; every call gets a timeout.
  const result = spawnSync('timeout', [String(timeoutSeconds), command, ...args], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0 && !allowFailure) {
    throw new GatewayError(
      `\`${command} ${args.join(' ')}\` failed (exit ${result.status}): ` +
        `${(result.stderr || result.stdout || '').trim().split('\n').slice(-5).join('\n')}`,
    );
  }
  return result;
}

function startDaemon(name, command, args) {
  const out = openSync(join(dir, 'log', `${name}.out`), 'a');
  const child = spawn(command, args, { cwd: dir, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  log(`started ${name} (pid ${child.pid})`);
  return child.pid;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, test, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    await sleep(250);
  }
  throw new GatewayError(`${what} did not come up within ${timeoutMs / 1000} s; logs are in ${join(dir, 'log')}`);
}

async function answers() {
  try {
    const response = await fetch(endpoint + '/', { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

function writeConfig(fsid) {
  const p = (...parts) => join(dir, ...parts);
  // Auth none needs crc mode, or radosgw loops on "get_initial_auth_request returned -13";
  // the BlueStore block file must sit outside osd_data (inside it, mkfs fails with ELOOP).
  const text = `[global]
fsid = ${fsid}
mon_host = [v2:127.0.0.1:3300,v1:127.0.0.1:6789]
mon_initial_members = a
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_ipv6 = false
ms_mon_client_mode = crc
ms_client_mode = crc
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
mon_warn_on_pool_no_redundancy = false
run_dir = ${p('run')}
admin_socket = ${p('run', '$name.asok')}
pid_file = ${p('run', '$name.pid')}
log_file = ${p('log', '$name.log')}
keyring = ${p('keyring')}
mon_data = ${p('mon', '$name')}
osd_data = ${p('osd', '$id')}

[osd]
osd_objectstore = bluestore
bluestore_block_path = ${p('blocks', 'osd.$id.block')}
bluestore_block_create = true
bluestore_block_size = 21474836480
osd_memory_target = 1073741824

[client.rgw.a]
rgw_data = ${p('rgw')}
rgw_frontends = beast endpoint=127.0.0.1:${port}
`;
  writeFileSync(conf, text);
}

function checkTools() {
  const missing = Object.entries(tools).filter(
    ([command]) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0,
  );
  if (missing.length > 0) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    throw new GatewayError(
      `missing ${missing.map(([c]) => c).join(', ')}; install with: apt-get install -y --no-install-recommends ` +
        `${packages}`,
    );
  }
}

/** First start: a fresh cluster in `dir`. */
async function setUp() {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['run', 'log', 'mon', 'osd', 'blocks', 'rgw']) mkdirSync(join(dir, sub), { recursive: true });
  const fsid = randomUUID();
  writeConfig(fsid);
  run('ceph-authtool', [
    '--create-keyring',
    join(dir, 'keyring'),
    '--gen-key',
    '-n',
    'mon.',
    '--cap',
    'mon',
    'allow *',
  ]);
  run('monmaptool', [
    '--create',
    '--fsid',
    fsid,
    '--addv',
    'a',
    '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]',
    join(dir, 'run', 'monmap'),
  ]);
  run('ceph-mon', [
    '-c',
    conf,
    '--mkfs',
    '-i',
    'a',
    '--monmap',
    join(dir, 'run', 'monmap'),
    '--keyring',
    join(dir, 'keyring'),
  ]);
  const state = {
    fsid,
    port,
    endpoint,
    pids: {},
    osdId: null,
    accessKeyId: randomBytes(10).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(20).toString('base64url'),
    userCreated: false,
  };
  writeState(state);
  state.pids.mon = startDaemon('mon', 'ceph-mon', ['-c', conf, '-i', 'a', '-f']);
  writeState(state);
  const osdUuid = randomUUID();
  const created = run('ceph', ['-c', conf, 'osd', 'new', osdUuid], { timeoutSeconds: 60 });
  state.osdId = Number(created.stdout.trim());
  mkdirSync(join(dir, 'osd', String(state.osdId)), { recursive: true });
  run('ceph-osd', ['-c', conf, '-i', String(state.osdId), '--mkfs', '--osd-uuid', osdUuid], { timeoutSeconds: 120 });
  writeState(state);
  return state;
}

async function startDaemons(state) {
  if (!isOurs(state.pids.mon, 'ceph-mon')) {
    state.pids.mon = startDaemon('mon', 'ceph-mon', ['-c', conf, '-i', 'a', '-f']);
    writeState(state);
  }
  if (!isOurs(state.pids.osd, 'ceph-osd')) {
    state.pids.osd = startDaemon('osd', 'ceph-osd', ['-c', conf, '-i', String(state.osdId), '-f']);
    writeState(state);
  }
  await waitFor(
    'the OSD',
    () =>
      /\b1 up\b/.test(
        run('ceph', ['-c', conf, 'osd', 'stat'], { timeoutSeconds: 10, allowFailure: true }).stdout ?? '',
      ),
    90_000,
  );
  if (!isOurs(state.pids.rgw, 'radosgw')) {
    state.pids.rgw = startDaemon('rgw', 'radosgw', ['-c', conf, '-n', 'client.rgw.a', '-f']);
    writeState(state);
  }
  await waitFor(`the gateway at ${endpoint}`, answers, 120_000);
  if (!state.userCreated) {
    run(
      'radosgw-admin',
      [
        '-c',
        conf,
        'user',
        'create',
        '--uid=tester',
        '--display-name=Tester',
        `--access-key=${state.accessKeyId}`,
        `--secret-key=${state.secretAccessKey}`,
      ],
      { timeoutSeconds: 60 },
    );
    state.userCreated = true;
    writeState(state);
  }
}

/** True when something already listens on 127.0.0.1:`candidate`. */
function portInUse(candidate) {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port: candidate });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

function envLine(state) {
  return JSON.stringify({
    S3_TEST_ENDPOINT: state.endpoint,
    S3_TEST_ACCESS_KEY_ID: state.accessKeyId,
    S3_TEST_SECRET_ACCESS_KEY: state.secretAccessKey,
    S3_TEST_REGION: 'us-east-1',
  });
}

// One `start` at a time per folder: test files run alone each call `start`, and two set-ups at once would fight
// over the same ports and folder. The second waits, then finds the gateway running and reuses it.
async function withStartLock(work) {
  // Beside the folder, not in it: a fresh set-up empties the folder.
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.start.lock`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      let alive;
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        alive = false;
      }
      if (!alive) rmSync(lock, { force: true });
      else if (Date.now() > deadline)
        throw new GatewayError(
          `another start (pid ${holder}) has held ${lock} for 4 minutes; stop it or remove the file`,
        );
      else await new Promise((done) => setTimeout(done, 500));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function start() {
  checkTools();
  return withStartLock(startLocked);
}

async function startLocked() {
  let state = readState();
  const running =
    state &&
    ['mon', 'osd', 'rgw'].every((name) =>
      isOurs(state.pids?.[name], { mon: 'ceph-mon', osd: 'ceph-osd', rgw: 'radosgw' }[name]),
    );
  if (running && state.userCreated && (await answers())) {
    log(`reusing the running gateway at ${state.endpoint}`);
  } else {
    const usable =
      state &&
      state.osdId !== null &&
      state.port === port &&
      existsSync(join(dir, 'osd', String(state.osdId), 'ready'));
    if (state) stopDaemons(state);
    // Another cluster on these ports (a gateway started from another checkout, say) would answer in our place:
    // the monitor's ports are fixed by the recipe, so say so instead of failing later with a confusing error.
    const busy = [];
    for (const taken of [3300, 6789, port]) if (await portInUse(taken)) busy.push(taken);
    if (busy.length > 0) {
      throw new GatewayError(
        `port(s) ${busy.join(', ')} on 127.0.0.1 are in use by another process (another S3 gateway or Ceph ` +
          `monitor?); stop it (e.g. \`node scripts/s3-gateway.mjs stop\` in the checkout that started it) and ` +
          `run again`,
      );
    }
    if (!usable) {
      // A folder from a set-up that did not finish is not worth repairing: start over (it holds only test data).
      log(`setting up a single-node Ceph cluster in ${dir} (about 20 s)`);
      state = await setUp();
    } else log(`restarting the daemons in ${dir}`);
    await startDaemons(state);
  }
  process.stdout.write(envLine(state) + '\n');
}

function stopDaemons(state) {
  const programs = { rgw: 'radosgw', osd: 'ceph-osd', mon: 'ceph-mon' };
  const stopped = [];
  for (const [name, program] of Object.entries(programs)) {
    const pid = state.pids?.[name];
    if (isOurs(pid, program)) {
      process.kill(pid, 'SIGTERM');
      stopped.push([pid, program]);
      log(`stopping ${name} (pid ${pid})`);
    }
  }
  const deadline = Date.now() + 15_000;
  while (stopped.some(([pid, program]) => isOurs(pid, program)) && Date.now() < deadline) spawnSync('sleep', ['0.2']);
  for (const [pid, program] of stopped) if (isOurs(pid, program)) process.kill(pid, 'SIGKILL');
  state.pids = {};
}

function stop() {
  const state = readState();
  if (!state) return log('nothing to stop');
  stopDaemons(state);
  writeState(state);
}

async function status() {
  const state = readState();
  const ok = Boolean(state) && (await answers());
  process.stdout.write(JSON.stringify({ dir, endpoint, answering: ok, pids: state?.pids ?? {} }) + '\n');
  return ok ? 0 : 1;
}

const verb = process.argv[2];
try {
  if (verb === 'start') await start();
  else if (verb === 'stop') stop();
  else if (verb === 'status') process.exitCode = await status();
  else if (verb === 'reset') {
    stop();
    rmSync(dir, { recursive: true, force: true });
  } else {
    process.stderr.write('Usage: node scripts/s3-gateway.mjs start|stop|status|reset\n');
    process.exitCode = 2;
  }
} catch (error) {
  if (!(error instanceof GatewayError)) throw error;
  log(error.message);
  process.exitCode = 2;
}
