import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateEntries } from '../../catalog/generate.ts';
import { entriesDir, entryFile, manifestFile } from '../../catalog/layout.ts';
import { writeLedger } from '../../catalog/ledger.ts';
import { writeJsonFile, writeYamlFile } from '../../catalog/write.ts';
import { defineCommand, UsageError, writeJson } from '../command.ts';

export default defineCommand({
  meta: {
    name: 'generate',
    description: `
Writes DIR/entries/<ACCESSION>/{entry.yaml,manifest.json} and DIR/accessions.tsv. Deterministic for a seed.
DIR must not exist yet or be empty of entries.`,
  },
  args: {
    entries: { type: 'string', value: 'N', description: 'how many entries, 1 to 999999 (required)' },
    out: { type: 'string', value: 'DIR', description: 'the new catalogue folder (required)' },
    seed: { type: 'string', value: 'S', description: 'the seed of the generator (default: a fixed seed)' },
  },
  async run({ values }, context) {
    const count = Number(values.entries);
    if (!Number.isInteger(count) || count < 1 || count > 999_999)
      throw new UsageError('--entries must be a whole number from 1 to 999999');
    if (!values.out) throw new UsageError('--out DIR is required');
    const out = resolve(values.out);
    if (
      await stat(join(out, entriesDir)).then(
        () => true,
        () => false,
      )
    )
      throw new UsageError(`${out} already holds entries; choose a new folder`);
    const ledger: { accession: string; minted: string; source: string }[] = [];
    const started = Date.now();
    let written = 0;
    for (const { entry, manifest } of generateEntries(count, { seed: values.seed ? Number(values.seed) : undefined })) {
      const folder = join(out, entriesDir, entry.accession!);
      await mkdir(folder, { recursive: true });
      await writeYamlFile(join(folder, entryFile), entry);
      await writeJsonFile(join(folder, manifestFile), manifest);
      ledger.push({ accession: entry.accession!, minted: entry.study.releaseDate, source: 'generated' });
      if (++written % 10_000 === 0 && !context.json) context.stderr.write(`${written} entries...\n`);
    }
    await writeLedger(out, ledger);
    if (context.json) writeJson(context, { entries: written, out, ms: Date.now() - started });
    else
      context.stdout.write(`wrote ${written} entries to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return 0;
  },
});
