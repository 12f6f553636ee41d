// `catalogue oai serve`: the OAI-PMH provider of the catalogue over HTTP.
import { defineCommand, EnvironmentError, UsageError } from '../command.ts';
import { createCatalogueProvider, listen } from '../../harvester/provider.ts';
import { todayUtc } from '../../catalog/dates.ts';

export default defineCommand({
  meta: {
    name: 'oai',
    description: `
catalogue oai serve: serves every published record (live entries, withdrawn ones as deleted records, harvested
records) at http://H:N/oai (GET and POST). Embargoed entries and submissions are never served.

Environment: OAI_TOKEN_SECRET signs resumption tokens (set it so that tokens survive a restart),
OAI_ADMIN_EMAIL is the adminEmail of Identify, OAI_REPOSITORY_NAME its repositoryName.`,
  },
  args: {
    action: { type: 'positional', required: true, description: 'serve (the only subcommand)' },
    port: { type: 'string', value: 'N', description: 'port (default 8080; 0 picks a free one)' },
    host: { type: 'string', value: 'H', description: 'interface (default 127.0.0.1; 0.0.0.0 for every interface)' },
    'base-url': {
      type: 'string',
      value: 'URL',
      description: "the public base URL when behind a proxy (default: from the request's Host header)",
    },
    'page-size': { type: 'string', value: 'N', description: 'records per page (default 100)' },
    reload: {
      type: 'string',
      value: 'S',
      description: 'reread the catalogue when it is older than S seconds (default 60)',
    },
  },
  async run({ values, positionals }, context) {
    if (positionals[0] !== 'serve' || positionals.length > 1)
      throw new UsageError('the only subcommand is `catalogue oai serve`');
    const number = (name: string, value: string | undefined, fallback: number, min: number) => {
      if (value === undefined) return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min)
        throw new UsageError(`--${name} must be an integer >= ${min}, not '${value}'`);
      return n;
    };
    const port = number('port', values.port, 8080, 0);
    const provider = createCatalogueProvider(context.catalog, {
      baseUrl: values['base-url'],
      pageSize: number('page-size', values['page-size'], 100, 1),
      maxAgeMs: number('reload', values.reload, 60, 0) * 1000,
      adminEmail: process.env.OAI_ADMIN_EMAIL,
      repositoryName: process.env.OAI_REPOSITORY_NAME,
      today: todayUtc,
      // The label sets (label:reference, label:highly-used) come from curation records and usage counts.
      extraSets: async (records) => {
        const { labelSetsOf } = await import('../../site/lib/labels.ts');
        return labelSetsOf(context.catalog, records, todayUtc());
      },
    });
    const snapshot = await provider.snapshot();
    let server;
    let url;
    try {
      ({ server, url } = await listen(provider.listener, port, values.host ?? '127.0.0.1'));
    } catch (error) {
      throw new EnvironmentError(
        'LISTEN_FAILED',
        `cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (context.json) context.stdout.write(JSON.stringify({ url, records: snapshot.records.length }) + '\n');
    else
      context.stderr.write(
        `OAI-PMH provider at ${url} (${snapshot.records.length} records). Try ${url}?verb=Identify\n`,
      );
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
});
