import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measurement {
  /** Wall time in milliseconds. */
  wallMs: number;
  /** Peak resident set size in bytes (of the command itself; GNU time's %M), or null when it cannot be read. */
  peakRssBytes: number | null;
  exitCode: number;
  stdout: string;
}

/**
 * Runs a command and measures its wall time and peak RSS. Peak RSS comes from GNU time (`/usr/bin/time`,
 * Debian package `time`) when present.
 */
export async function measureCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Measurement> {
  const gnuTime = existsSync('/usr/bin/time');
  const scratch = await mkdtemp(join(tmpdir(), 'bench-'));
  const rssFile = join(scratch, 'rss');
  const [file, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
  const started = performance.now();
  const child = spawn(file, argv, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const wallMs = performance.now() - started;
  let peakRssBytes: number | null = null;
  if (gnuTime) {
    const kb = Number((await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').pop());
    if (Number.isFinite(kb) && kb > 0) peakRssBytes = kb * 1024;
  }
  await rm(scratch, { recursive: true, force: true });
  return { wallMs, peakRssBytes, exitCode, stdout };
}

export const formatBytes = (bytes: number | null): string =>
  bytes === null
    ? 'n/a'
    : bytes >= 1 << 30
      ? `${(bytes / (1 << 30)).toFixed(2)} GB`
      : `${(bytes / (1 << 20)).toFixed(0)} MB`;
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
