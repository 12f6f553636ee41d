import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { imageOriginsOf } from '../../site/lib/csp.ts';
import { readMirrors } from '../../site/lib/downloads.ts';
import { startStaticServer } from '../../site/lib/static-server.ts';
import { defineCommand, EnvironmentError, UsageError, type CommandContext } from '../command.ts';
import { defaultSiteOut } from './build.ts';

/** Serves `dir` until the process is interrupted; prints the address first. */
export async function serveUntilStopped(
  dir: string,
  port: number,
  host: string,
  context: CommandContext,
  mounts: { prefix: string; root: string }[] = [],
): Promise<number> {
  if (
    !(await stat(join(dir, 'index.html')).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new EnvironmentError(
      'SITE_MISSING',
      `${dir} holds no built site (no index.html); run \`npx catalogue build\` first`,
    );
  }
  let running;
  // The pages show previews from the public mirrors: the header's policy must allow their origins as the pages' do.
  const imageOrigins = imageOriginsOf((await readMirrors()).mirrors);
  try {
    running = await startStaticServer({ root: dir, port, host, mounts, imageOrigins });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new EnvironmentError(
        'PORT_IN_USE',
        `port ${port} is in use on ${host}; stop what uses it or pass --port N`,
        { cause: error },
      );
    throw new EnvironmentError('SERVE_FAILED', `cannot listen on ${host}:${port}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  context.stdout.write(`Serving ${dir} at ${running.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  return 0;
}

/** The `--port` and `--host` options of `serve` and `start`. */
export const portArg = { type: 'string', value: 'N', description: 'port (default 4321; 0 picks a free one)' } as const;
export const hostArg = {
  type: 'string',
  value: 'ADDRESS',
  description: 'interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)',
} as const;

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 4321;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a whole number from 0 to 65535');
  return port;
}

export default defineCommand({
  meta: {
    name: 'serve',
    description: `
Serves a site built by \`catalogue build\` (default site/dist) with its Content-Security-Policy header, and
prints the address. Stops on Ctrl-C.`,
  },
  args: {
    dir: { type: 'string', value: 'DIR', description: 'the built site (default site/dist)' },
    port: portArg,
    host: hostArg,
  },
  async run({ values }, context) {
    return serveUntilStopped(
      values.dir ? resolve(values.dir) : defaultSiteOut,
      parsePort(values.port),
      values.host ?? '127.0.0.1',
      context,
    );
  },
});
