// Writes test/site/fixtures/valid/catalogue: the catalogue the browser tests build once. Run it again only to
// change the fixture (`npx node test/site/make-fixture-catalogue.ts`); the files it writes are committed.
// Entries come from the deterministic generator, plus hand-made cases: a rare word, text that tries to inject
// script, an embargoed entry, a withdrawn one and a harvested record.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { generateEntries } from '../../catalog/generate.ts';
import { writeJsonFile, writeYamlFile } from '../../catalog/write.ts';
import { writeLedger } from '../../catalog/ledger.ts';
import { fixtureImages, imagesAccession } from './fixture-images.ts';

const root = join(import.meta.dirname, 'fixtures/valid/catalogue');
await rm(root, { recursive: true, force: true });

export const fixture = {
  rareWord: 'quokkafluorescence',
  rareAccession: 'BIC0000013',
  injectionAccession: 'BIC0000021',
  embargoedAccession: 'BIC0000037',
  embargoWord: 'sequesteredembargoword',
  withdrawnAccession: 'BIC0000045',
  harvestedId: 'partnerx.rec-0001',
} as const;

const generated = [...generateEntries(40, { seed: 7, latestRelease: '2024-12-31' })];
const ledger: { accession: string; minted: string; source: string }[] = [];
for (const [i, { entry, manifest }] of generated.entries()) {
  const accession = entry.accession!;
  if (accession === fixture.rareAccession) {
    entry.study.description += ` The ${fixture.rareWord} reporter marks every nucleus.`;
  }
  if (accession === fixture.injectionAccession) {
    entry.study.title =
      'Injection test </script><script>window.__pwned = "title"</script> <img src=x onerror="window.__pwned=1">';
    entry.study.description =
      'This description tries to break out of the page: </script><script>window.__pwned = "description"</script> ' +
      '<!-- <script> --> "\u2028\u2029 <svg onload="window.__pwned=2"> & &amp; \' {{ ' +
      '}} ${1+1} and it should appear as plain text.';
    entry.study.keywords = ['"><script>window.__pwned=3</script>', 'injection'];
    entry.study.authors[0].name = 'Eve </script><b>Mallory</b>';
    entry.study.acknowledgements = '<iframe src="javascript:window.__pwned=4"></iframe>';
  }
  if (accession === fixture.embargoedAccession) {
    entry.study.releaseDate = '2099-01-01';
    entry.versions = [{ version: 1, date: '2099-01-01', summary: 'Initial release' }];
    entry.study.description += ` Secret ${fixture.embargoWord} text.`;
  }
  if (accession === imagesAccession) {
    // Real images first, so that the representative image (the first image file) is one with a preview.
    const images = await fixtureImages(entry.components![0].id);
    manifest.files = [...images.files, ...manifest.files];
    manifest.derived = images.derived;
  }
  const folder = join(root, 'entries', accession);
  if (accession === fixture.withdrawnAccession) {
    await writeYamlFile(join(folder, 'tombstone.yaml'), {
      schemaVersion: 1,
      accession,
      title: entry.study.title,
      withdrawn: {
        date: '2024-11-02',
        reason: 'The authors found that the files of two specimens were swapped.',
        replacedBy: fixture.rareAccession,
      },
      versions: entry.versions,
    });
  } else {
    await writeYamlFile(join(folder, 'entry.yaml'), entry);
  }
  await writeJsonFile(join(folder, 'manifest.json'), manifest);
  ledger.push({ accession, minted: entry.study.releaseDate, source: i % 2 ? 'generated' : 'fixture' });
}
await writeLedger(root, ledger);

const first = generated[5].entry;
await writeJsonFile(join(root, 'harvested/partnerx', `${fixture.harvestedId}.json`), {
  schemaVersion: 1,
  id: fixture.harvestedId,
  origin: {
    partner: 'partnerx',
    identifier: 'oai:partnerx.example.org:rec-0001',
    datestamp: '2024-05-06',
    metadataFormat: 'oai_dc',
    harvestedAt: '2024-05-07T03:00:00Z',
    url: 'https://partnerx.example.org/records/rec-0001',
  },
  study: {
    title: 'Harvested light sheet atlas of a partner archive',
    description: 'A record harvested from a partner archive over OAI-PMH, kept with a link back to its origin.',
    authors: [{ name: 'Hana Partner' }],
    license: 'CC-BY-4.0',
    keywords: ['atlas'],
    scales: ['organism'],
    releaseDate: '2024-05-01',
  },
  biosamples: first.biosamples,
  components: first.components,
  specimens: first.specimens,
  acquisitions: first.acquisitions,
  analyses: first.analyses,
});
await writeJsonFile(join(root, 'harvest-log.json'), {
  generatedAt: '2024-05-07T03:00:05Z',
  partners: [
    { partner: 'partnerx', lastRun: '2024-05-07T03:00:00Z', status: 'ok', records: 1, message: '<b>not bold</b>' },
  ],
});
process.stdout.write(`wrote ${root}\n`);
