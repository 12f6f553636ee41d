// Shared by the submission tests: run the CLI in-process with captured output, copy fixtures.
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';

export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function runCli(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done(); } });
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  try {
    const code = await main(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) } as never);
    return { code, stdout, stderr };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** A private copy of a fixture folder (tests may change it). */
export async function copyFixture(relative: string, name?: string): Promise<string> {
  const target = join(await mkdtemp(join(tmpdir(), 'submission-')), name ?? relative.split('/').pop()!);
  await cp(join(fixtures, relative), target, { recursive: true });
  return target;
}
