// rclone, driven through execa. Remotes are configured by environment variables only (RCLONE_CONFIG_<NAME>_*),
// never in a file that could be committed; its JSON log (--use-json-log) is read for progress and results.
import { execa } from 'execa';
import { constants } from 'node:fs';
import { access, writeFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Mirror } from '../schemas/index.ts';
import { RcloneError } from './errors.ts';
import { credentialsOf, folderOf } from './mirrors.ts';

/** Is rclone on the PATH? (`CATALOGUE_NO_RCLONE=1` pretends it is not: the SDK path is then used.) */
export async function rcloneAvailable(): Promise<boolean> {
  if (process.env.CATALOGUE_NO_RCLONE === '1') return false;
  // A PATH lookup, not `rclone version`: spawning a process costs far more than reading a few folders.
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, 'rclone'), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

const remoteName = (mirror: Mirror) => `cat_${mirror.id.replace(/-/g, '_')}`;

/** The rclone location of a mirror (`remote:bucket/prefix` or a local folder) and the env vars it needs. */
export function rcloneLocation(
  mirror: Mirror,
  base: string,
  env: NodeJS.ProcessEnv = process.env,
): { path: string; env: Record<string, string> } {
  const prefix = (mirror.prefix ?? '').replace(/\/$/, '');
  if (mirror.kind === 'folder') return { path: join(folderOf(mirror, base), prefix), env: {} };
  const name = remoteName(mirror);
  const upper = `RCLONE_CONFIG_${name.toUpperCase()}_`;
  const credentials = credentialsOf(mirror, env);
  // Stores other than AWS need provider Other, path-style addressing and a region (https://rclone.org/s3/).
  const vars: Record<string, string> = {
    [`${upper}TYPE`]: 's3',
    [`${upper}PROVIDER`]: 'Other',
    [`${upper}ENDPOINT`]: mirror.endpoint ?? '',
    [`${upper}FORCE_PATH_STYLE`]: 'true',
    [`${upper}REGION`]: mirror.region ?? 'us-east-1',
    ...(credentials
      ? {
          [`${upper}ACCESS_KEY_ID`]: credentials.accessKeyId,
          [`${upper}SECRET_ACCESS_KEY`]: credentials.secretAccessKey,
        }
      : { [`${upper}ENV_AUTH`]: 'false' }),
  };
  return { path: `${name}:${mirror.bucket}${prefix ? `/${prefix}` : ''}`, env: vars };
}

export interface RcloneCopyResult {
  copied: number;
  bytes: number;
  errors: number;
  /** Per-object errors from the log. */
  failed: Array<{ key: string; message: string }>;
}

/**
 * `rclone copy --files-from-raw` of exactly the listed keys, with metadata (-M: the sha256 user metadata
 * travels with the object between S3 stores). `--no-traverse`: no listing of the destination.
 */
export async function rcloneCopy(options: {
  from: Mirror;
  to: Mirror;
  keys: string[];
  base: string;
  env?: NodeJS.ProcessEnv;
  transfers?: number;
  onProgress?: (bytes: number) => void;
}): Promise<RcloneCopyResult> {
  const env = options.env ?? process.env;
  const source = rcloneLocation(options.from, options.base, env);
  // Two buckets of one store (same endpoint, region and credentials) go through ONE remote, so that rclone
  // copies server-side (S3 CopyObject) instead of streaming every byte through this machine.
  const sameStore =
    options.from.kind === 's3' &&
    options.to.kind === 's3' &&
    options.from.endpoint === options.to.endpoint &&
    (options.from.region ?? '') === (options.to.region ?? '') &&
    JSON.stringify(options.from.credentials ?? null) === JSON.stringify(options.to.credentials ?? null);
  const target = sameStore
    ? rcloneLocation({ ...options.to, id: options.from.id }, options.base, env)
    : rcloneLocation(options.to, options.base, env);
  const scratch = await mkdtemp(join(tmpdir(), 'catalogue-rclone-'));
  const list = join(scratch, 'files');
  await writeFile(list, options.keys.join('\n') + '\n');
  const args = [
    'copy',
    '-M',
    '--files-from-raw',
    list,
    '--no-traverse',
    '--use-json-log',
    '--log-level',
    'INFO',
    '--stats',
    '1s',
    '--transfers',
    String(options.transfers ?? 4),
    '--retries',
    '3',
    '--s3-no-check-bucket',
    source.path,
    target.path,
  ];
  // AWS_CA_BUNDLE is meant for the AWS SDK; when it is set, rclone fails (LoadCustomCABundleError): unset it.
  const childEnv: NodeJS.ProcessEnv = { ...env, ...source.env, ...target.env };
  delete childEnv.AWS_CA_BUNDLE;
  const result: RcloneCopyResult = { copied: 0, bytes: 0, errors: 0, failed: [] };
  const stderrTail: string[] = [];
  try {
    const child = execa('rclone', args, {
      env: childEnv,
      extendEnv: false,
      reject: false,
      buffer: false,
      stdin: 'ignore',
    });
    child.stderr?.setEncoding('utf8');
    let pending = '';
    child.stderr?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) readLogLine(line, result, stderrTail, options.onProgress);
    });
    const done = await child;
    if (pending) readLogLine(pending, result, stderrTail, options.onProgress);
    if (done.exitCode !== 0 && result.failed.length === 0) {
      throw new RcloneError(`rclone ${args.join(' ')}`, done.exitCode, stderrTail.slice(-5).join(' | '));
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return result;
}

function readLogLine(line: string, result: RcloneCopyResult, tail: string[], onProgress?: (bytes: number) => void) {
  if (!line.trim()) return;
  let entry: {
    level?: string;
    msg?: string;
    object?: string;
    stats?: { bytes?: number; errors?: number; transfers?: number };
  };
  try {
    entry = JSON.parse(line);
  } catch {
    tail.push(line.slice(0, 300));
    return;
  }
  if (entry.stats) {
    result.bytes = entry.stats.bytes ?? result.bytes;
    result.errors = entry.stats.errors ?? result.errors;
    onProgress?.(result.bytes);
  }
  if (entry.msg?.startsWith('Copied')) result.copied++;
  if (entry.level === 'error') {
    if (entry.object) result.failed.push({ key: entry.object, message: entry.msg ?? 'error' });
    tail.push(entry.msg ?? line);
  }
}
