// A small real catalogue on disk for provider and federation tests (synthetic entries from catalog/generate.ts).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEntries } from '../../../catalog/generate.ts';
import { entriesDir, entryFile, manifestFile } from '../../../catalog/layout.ts';
import { writeJsonFile, writeYamlFile } from '../../../catalog/write.ts';

export async function makeCatalogue(
  count: number,
  options: { firstSerial?: number; seed?: number } = {},
): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'oai-catalogue-'));
  for (const { entry, manifest } of generateEntries(count, { latestRelease: '2025-06-30', ...options })) {
    const folder = join(root, entriesDir, entry.accession!);
    await writeYamlFile(join(folder, entryFile), entry);
    await writeJsonFile(join(folder, manifestFile), manifest);
  }
  return root;
}
