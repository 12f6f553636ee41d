import { buildSite, SiteBuildError } from '../../site/lib/build-site.ts';
import { EnvironmentError, parseOptions, type Command } from '../command.ts';
import { defaultSiteOut } from './build.ts';
import { parsePort, serveUntilStopped } from './serve.ts';

// The README's main command (`npm start`): build the demo catalogue (archive/) into a site and serve it.
const command: Command = {
  name: 'start',
  summary: 'the main job: build the site of the catalogue and serve it on http://localhost:4321/',
  usage: `
Usage: catalogue start [--catalog DIR] [--port N] [--host ADDRESS]

Builds the site of the catalogue (default archive/) into site/dist and serves it, printing the address.
Stops on Ctrl-C. Same as \`catalogue build\` then \`catalogue serve\`.`,
  async run(args, context) {
    const { values } = parseOptions(args, { port: { type: 'string' }, host: { type: 'string' } }, false);
    const port = parsePort(values.port);
    const host = values.host ?? '127.0.0.1';
    const baseUrl = `http://${host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host}:${port || 4321}/`;
    context.stderr.write(`Building the site of ${context.catalog}...\n`);
    try {
      const result = await buildSite({ catalog: context.catalog, out: defaultSiteOut, baseUrl, today: context.today });
      context.stderr.write(`Built ${result.records} records, ${result.pages} pages in ${(result.ms / 1000).toFixed(1)} s.\n`);
    } catch (error) {
      if (error instanceof SiteBuildError) throw new EnvironmentError(error.code, `the site could not be built: ${error.message}`, { cause: error });
      throw error;
    }
    return serveUntilStopped(defaultSiteOut, port, host, context);
  },
};
export default command;
