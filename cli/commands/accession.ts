import { mintAccessions } from '../../catalog/mint.ts';
import { formatAccession, isValidAccession } from '../../catalog/accession.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';
import { printDoiResults, syncDoisFromEnv } from './doi.ts';

export default defineCommand({
  meta: {
    name: 'accession',
    description: `
accession mint: gives every submission under submissions/ the next accession (recorded in accessions.tsv, never
reused), moves it to entries/<ACCESSION>/, and gives released entries whose content changed a new version with
the date and --summary. Run on the main branch after a merge; the workflow commits the result. With DataCite
credentials in the environment (see 'catalogue doi --help'), the DOIs of new entries and versions are sent.
accession verify <accession>: exit code 0 when the accession is well formed and its check digit is right.`,
  },
  args: {
    action: { type: 'positional', required: true, description: 'mint, or verify <accession>' },
    summary: {
      type: 'string',
      value: 'TEXT',
      description: 'mint: the summary of new versions (default "Metadata updated")',
    },
    date: {
      type: 'string',
      value: 'YYYY-MM-DD',
      description: 'mint: the date of the accessions and versions (default today, UTC)',
    },
    'base-url': {
      type: 'string',
      value: 'URL',
      description: "mint: the site's address, for the DOIs' landing pages (default SITE_BASE_URL)",
    },
  },
  async run({ values, positionals }, context) {
    const [action, ...rest] = positionals;
    if (action === 'verify') {
      if (rest.length !== 1) throw new UsageError('give one accession to verify');
      const ok = isValidAccession(rest[0]);
      if (context.json) writeJson(context, { accession: rest[0], valid: ok });
      else
        context.stdout.write(
          ok
            ? `${rest[0]} is a valid accession.\n`
            : `${rest[0]} is not a valid accession (form BIC + 7 digits, the last a check digit; e.g. ` +
                `${formatAccession(1)}).\n`,
        );
      return ok ? 0 : 1;
    }
    if (action !== 'mint' || rest.length > 0)
      throw new UsageError('expected `accession mint` or `accession verify <accession>`');
    const date = values.date ?? context.today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new UsageError('--date must be YYYY-MM-DD');
    const result = await mintAccessions(context.catalog, { today: date, summary: values.summary });
    const changed = [...result.minted.map((m) => m.accession), ...result.versioned.map((v) => v.accession)];
    const dois = await syncDoisFromEnv({ ...context, today: date }, changed, values['base-url']);
    if (context.json) writeJson(context, dois ? { ...result, dois } : result);
    else {
      for (const m of result.minted) context.stdout.write(`minted ${m.accession} for ${m.from}\n`);
      for (const v of result.versioned) context.stdout.write(`${v.accession} is now version ${v.version}\n`);
      if (dois) printDoiResults(context, dois);
      if (!result.minted.length && !result.versioned.length) context.stdout.write('nothing to mint.\n');
    }
    return 0;
  },
});
