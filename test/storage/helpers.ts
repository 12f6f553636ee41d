// Running the `catalogue` command in-process with captured output, and small file helpers.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../cli/main.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      stream.text += String(chunk);
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

export async function catalogue(...argv: string[]): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(argv, { stdout, stderr });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export const temporaryFolder = (label: string) => mkdtemp(join(tmpdir(), `storage-${label}-`));

/** Writes a mirrors.yaml into `folder` and returns its path. */
export async function writeMirrors(folder: string, yaml: string): Promise<string> {
  const file = join(folder, 'mirrors.yaml');
  await writeFile(file, yaml);
  return file;
}
