// Storage, all on the same data in one run: 2 GB in 16 files of 128 MB (--quick: 256 MB in 8
// files of 32 MB). Manifest creation against the hashing limit (`openssl dgst -sha256` on every core over the
// same files in the same run, and `openssl speed -evp sha256` x cores) and against `sha256sum` on every core;
// upload to the RADOS Gateway; replication between two buckets against a plain `rclone sync` of the same data;
// fixity audit of the local folder and of S3, against `rclone check --download`. The gateway is
// started by scripts/s3-gateway.mjs when S3_TEST_* is not set.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createS3Client } from '../storage/s3-store.ts';
import { formatBytes, measureCommand, type Benchmark, type BenchRow } from './harness.ts';

const cli = fileURLToPath(new URL('../cli/catalogue.mjs', import.meta.url));
const gateway = fileURLToPath(new URL('../scripts/s3-gateway.mjs', import.meta.url));
const archive = fileURLToPath(new URL('../archive', import.meta.url));
const section = 'Storage';
const accession = 'BIC0000013';

const gbps = (bytes: number, ms: number) => bytes / 1e9 / (ms / 1000);
const fmt = (bytes: number, ms: number) => `${gbps(bytes, ms).toFixed(2)} GB/s (${(ms / 1000).toFixed(1)} s)`;

/** `openssl speed -evp sha256` on 16 KiB blocks, bytes per second on one core. */
function opensslSha256PerCore(): number {
  const out = execFileSync('openssl', ['speed', '-evp', 'sha256', '-seconds', '2'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = out.trim().split('\n').pop() ?? '';
  const last = line.trim().split(/\s+/).pop() ?? '0k';
  return Number.parseFloat(last) * 1000;
}

function s3Env(): Record<string, string> {
  if (process.env.S3_TEST_ENDPOINT)
    return {
      S3_TEST_ENDPOINT: process.env.S3_TEST_ENDPOINT,
      S3_TEST_ACCESS_KEY_ID: process.env.S3_TEST_ACCESS_KEY_ID!,
      S3_TEST_SECRET_ACCESS_KEY: process.env.S3_TEST_SECRET_ACCESS_KEY!,
    };
  const line = execFileSync(process.execPath, [gateway, 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
  return JSON.parse(line) as Record<string, string>;
}

const benchmark: Benchmark = async ({ quick, workDir }) => {
  const rows: BenchRow[] = [];
  const [count, size] = quick ? [8, 32 * 2 ** 20] : [16, 128 * 2 ** 20];
  const total = count * size;
  const label = `${(total / 1e9).toFixed(2)} GB in ${count} files`;
  const bucket = join(workDir, 'bucket');
  const data = join(bucket, accession);
  await mkdir(data, { recursive: true });
  for (let i = 0; i < count; i++)
    await writeFile(join(data, `part_${String(i).padStart(3, '0')}.bin`), randomBytes(size));
  // In the page cache, as the target says: read once before timing.
  execFileSync('sh', ['-c', `cat ${data}/* > /dev/null`]);

  // 1. Manifest creation vs the hashing limit and sha256sum. The limit is measured twice: `openssl speed` x
  // cores (what the CPU can do when nothing else runs) and `openssl dgst -sha256` over the same files on every
  // core in this run (what it can do now: on a shared machine only ratios within one run mean anything).
  const cores = cpus().length;
  const theoretical = opensslSha256PerCore() * cores;
  const opensslRun = await measureCommand('sh', [
    '-c',
    `ls ${data}/* | xargs -P${cores} -n1 openssl dgst -sha256 > /dev/null`,
  ]);
  const measuredLimit = (total / opensslRun.wallMs) * 1000;
  const manifestFile = join(workDir, 'manifest.json');
  const created = await measureCommand(process.execPath, [
    cli,
    'manifest',
    'create',
    data,
    '--out',
    manifestFile,
    '--prefix',
    `${accession}/`,
  ]);
  if (created.exitCode !== 0) throw new Error('manifest create failed');
  const peer = await measureCommand('sh', ['-c', `ls ${data}/* | xargs -P${cores} -n1 sha256sum > /dev/null`]);
  const rate = (total / created.wallMs) * 1000;
  rows.push({
    section,
    what: `manifest create, ${label} in the page cache (process start included)`,
    result:
      `${fmt(total, created.wallMs)}, ${formatBytes(created.peakRssBytes)} peak RSS; ` +
      `${((rate / measuredLimit) * 100).toFixed(0)}% of the hashing limit measured in this run (openssl dgst on ` +
      `${cores} cores: ${fmt(total, opensslRun.wallMs)}); ${((rate / theoretical) * 100).toFixed(0)}% of openssl ` +
      `speed x ${cores} cores (${(theoretical / 1e9).toFixed(2)} GB/s, an idle machine's limit); ` +
      `${(peer.wallMs / created.wallMs).toFixed(2)}x sha256sum's speed`,
    target: '>= 70% of the hashing limit',
    verdict: rate >= 0.7 * measuredLimit ? 'met' : 'missed',
    command: 'npx catalogue manifest create DIR --out manifest.json --prefix BIC0000013/',
  });
  rows.push({
    section,
    what: `sha256sum on ${cores} cores, same data (the everyday peer)`,
    result: fmt(total, peer.wallMs),
    target: '',
    verdict: '',
    command: `ls DIR/* | xargs -P${cores} -n1 sha256sum`,
  });

  // 2. S3: upload, replication, audits.
  const env = s3Env();
  const client = createS3Client({
    endpoint: env.S3_TEST_ENDPOINT,
    credentials: { accessKeyId: env.S3_TEST_ACCESS_KEY_ID, secretAccessKey: env.S3_TEST_SECRET_ACCESS_KEY },
  });
  const suffix = randomBytes(3).toString('hex');
  const [a, b, c, d, e, f] = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => `bench-${letter}-${suffix}`);
  for (const name of [a, b, c, d, e, f]) await client.send(new CreateBucketCommand({ Bucket: name }));
  // A mirror on "another store": the same gateway under another host name (localhost for 127.0.0.1), which
  // neither rclone nor the catalogue treats as the same store, so the bytes stream through this machine as
  // they do between two providers, instead of a server-side copy inside one gateway.
  const otherEndpoint = env.S3_TEST_ENDPOINT.replace('//127.0.0.1', '//localhost');
  const childEnv = {
    ...process.env,
    BENCH_KEY: env.S3_TEST_ACCESS_KEY_ID,
    BENCH_SECRET: env.S3_TEST_SECRET_ACCESS_KEY,
  };
  const s3Mirror = (id: string, name: string) =>
    `  - { id: ${id}, kind: s3, role: mirror, endpoint: "${env.S3_TEST_ENDPOINT}", bucket: ${name}, ` +
    `credentials: { accessKeyIdEnv: BENCH_KEY, secretAccessKeyEnv: BENCH_SECRET } }\n`;
  const mirrors = join(workDir, 'mirrors.yaml');
  const otherMirror =
    `  - { id: s3x, kind: s3, role: mirror, endpoint: "${otherEndpoint}", bucket: ${e}, credentials: { ` +
    `accessKeyIdEnv: BENCH_KEY, secretAccessKeyEnv: BENCH_SECRET } }\n`;
  await writeFile(
    mirrors,
    `mirrors:\n  - { id: local, kind: folder, role: primary, path: "${bucket}" }\n` +
      `${s3Mirror('s3a', a)}${s3Mirror('s3b', b)}${otherMirror}`,
  );
  const catalog = join(workDir, 'catalog');
  await cp(join(archive, 'entries', accession), join(catalog, 'entries', accession), { recursive: true });
  await writeFile(join(catalog, 'entries', accession, 'manifest.json'), await readFile(manifestFile));
  const common = ['--catalog', catalog, '--mirrors', mirrors];

  const rcloneEnv: NodeJS.ProcessEnv = {
    ...process.env,
    RCLONE_CONFIG_BENCH_TYPE: 's3',
    RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
    RCLONE_CONFIG_BENCH_ENDPOINT: env.S3_TEST_ENDPOINT,
    RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: env.S3_TEST_ACCESS_KEY_ID,
    RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: env.S3_TEST_SECRET_ACCESS_KEY,
    RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
    RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
  };
  for (const [name, value] of Object.entries(rcloneEnv))
    if (name.startsWith('RCLONE_CONFIG_BENCH_')) rcloneEnv[name.replace('_BENCH_', '_OTHER_')] = value;
  rcloneEnv.RCLONE_CONFIG_OTHER_ENDPOINT = otherEndpoint;
  delete rcloneEnv.AWS_CA_BUNDLE;
  const rcloneUpload = await measureCommand('rclone', ['copy', data, `bench:${d}/${accession}`], { env: rcloneEnv });
  const upload = await measureCommand(
    process.execPath,
    [cli, 'upload', accession, '--files', data, '--mirror', 's3a', ...common],
    { env: childEnv },
  );
  rows.push({
    section,
    what: `upload to the RADOS Gateway (catalogue upload), ${label}`,
    result:
      `${fmt(total, upload.wallMs)}, ${formatBytes(upload.peakRssBytes)} peak RSS (exit ${upload.exitCode}); ` +
      `plain rclone copy of the same files to another bucket: ${fmt(total, rcloneUpload.wallMs)}`,
    target: '',
    verdict: '',
    command: 'npx catalogue upload BIC0000013 --files DIR --mirror s3a',
  });

  const sync = await measureCommand(
    process.execPath,
    [cli, 'mirror', 'sync', '--from', 's3a', '--to', 's3b', ...common],
    { env: childEnv },
  );
  const plain = await measureCommand('rclone', ['sync', `bench:${a}`, `bench:${c}`], { env: rcloneEnv });
  const ratio = plain.wallMs / sync.wallMs;
  rows.push({
    section,
    what: `replication s3a -> s3b (catalogue mirror sync, rclone), ${label}`,
    result:
      `${fmt(total, sync.wallMs)} (exit ${sync.exitCode}); plain rclone sync of the same data: ` +
      `${fmt(total, plain.wallMs)}; ratio ${ratio.toFixed(2)}`,
    target: '>= 0.8 x plain rclone',
    verdict: ratio >= 0.8 && sync.exitCode === 0 ? 'met' : 'missed',
    command: 'npx catalogue mirror sync --from s3a --to s3b  vs  rclone sync s3a: s3c:',
  });
  // Keep the gateway's 20 GB OSD clear: the next copies need room for two more.
  for (const name of [b, c, d]) await measureCommand('rclone', ['purge', `bench:${name}`], { env: rcloneEnv });
  if (otherEndpoint !== env.S3_TEST_ENDPOINT) {
    const streamed = await measureCommand(
      process.execPath,
      [cli, 'mirror', 'sync', '--from', 's3a', '--to', 's3x', ...common],
      { env: childEnv },
    );
    const plainStreamed = await measureCommand('rclone', ['sync', `bench:${a}`, `other:${f}`], { env: rcloneEnv });
    const streamedRatio = plainStreamed.wallMs / streamed.wallMs;
    rows.push({
      section,
      what: `replication s3a -> s3x, a mirror on another store (bytes streamed through this machine), ${label}`,
      result:
        `${fmt(total, streamed.wallMs)}, ${formatBytes(streamed.peakRssBytes)} peak RSS (exit ` +
        `${streamed.exitCode}); plain rclone sync between the same two stores: ` +
        `${fmt(total, plainStreamed.wallMs)}; ratio ${streamedRatio.toFixed(2)}`,
      target: '>= 0.8 x plain rclone',
      verdict: streamedRatio >= 0.8 && streamed.exitCode === 0 ? 'met' : 'missed',
      command: 'npx catalogue mirror sync --from s3a --to s3x  vs  rclone sync s3a: other:BUCKET',
    });
  }
  for (const name of [e, f]) await measureCommand('rclone', ['purge', `bench:${name}`], { env: rcloneEnv });

  const local = await measureCommand(process.execPath, [cli, 'mirror', 'verify', '--mirror', 'local', ...common], {
    env: childEnv,
  });
  rows.push({
    section,
    what: `fixity audit of the local folder mirror (mirror verify), ${label} in the page cache`,
    result:
      `${fmt(total, local.wallMs)} (exit ${local.exitCode}); ` +
      `${((((total / local.wallMs) * 1000) / measuredLimit) * 100).toFixed(0)}% of the hashing limit measured in ` +
      `this run`,
    target: '>= 1 GB/s',
    verdict: gbps(total, local.wallMs) >= 1 && local.exitCode === 0 ? 'met' : 'missed',
    command: 'npx catalogue mirror verify --mirror local',
  });

  const remote = await measureCommand(process.execPath, [cli, 'mirror', 'verify', '--mirror', 's3a', ...common], {
    env: childEnv,
  });
  const check = await measureCommand('rclone', ['check', '--download', data, `bench:${a}/${accession}`], {
    env: rcloneEnv,
  });
  rows.push({
    section,
    what: `fixity audit of an S3 mirror (mirror verify), ${label}`,
    result:
      `${fmt(total, remote.wallMs)}, ${formatBytes(remote.peakRssBytes)} peak RSS (exit ${remote.exitCode}); ` +
      `rclone check --download of the same data: ${fmt(total, check.wallMs)} (exit ${check.exitCode}); ratio ` +
      `${(check.wallMs / remote.wallMs).toFixed(2)}`,
    target: 'no slower than rclone check --download',
    verdict: remote.wallMs <= check.wallMs && remote.exitCode === 0 ? 'met' : 'missed',
    command: 'npx catalogue mirror verify --mirror s3a  vs  rclone check --download DIR s3a:BUCKET/BIC0000013',
  });
  // Remove the last bucket (2 GB at full size): left behind, a few runs fill the gateway's 20 GB OSD.
  // `rclone purge` deletes the handful of objects and the bucket in seconds.
  await measureCommand('rclone', ['purge', `bench:${a}`], { env: rcloneEnv });
  return rows;
};
export default benchmark;
