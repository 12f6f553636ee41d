// The linked-data documents of an entry (RO-Crate, linkset, Link header), built in this process: per entry for a
// large catalogue of small entries, and for one entry with very many files (the crate lists every file with its
// checksum). These rows have no targets.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { toDatasetView, type CatalogueInfo } from '../catalog/exports/dataset-view.ts';
import { entrySignposts, inlineSignposts, renderLinkHeader, toLinkset } from '../catalog/exports/linkset.ts';
import { toRoCrate, type CrateFile } from '../catalog/exports/ro-crate.ts';
import type { CatalogueRecord } from '../catalog/records.ts';
import type { Entry } from '../schemas/index.ts';
import { formatBytes, type Benchmark, type BenchRow } from './harness.ts';

const entryFile = fileURLToPath(
  new URL('../test/site/fixtures/valid/catalogue/entries/BIC0000013/entry.yaml', import.meta.url),
);
const info: CatalogueInfo = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/bic/' };
const section = 'Linked data (RO-Crate, Signposting)';

function recordWith(
  entry: Entry,
  accession: string,
  fileCount: number,
): { record: CatalogueRecord; files: CrateFile[] } {
  const files = Array.from({ length: fileCount }, (_, i) => ({
    path: `images/plate-${Math.floor(i / 1000)}/image_${i}.ome.tif`,
    size: 1_000_000 + i,
    sha256: i.toString(16).padStart(64, '0'),
    format: 'OME-TIFF',
    url: `https://mirror.example.org/${accession}/images/plate-${Math.floor(i / 1000)}/image_${i}.ome.tif`,
  }));
  const record = {
    kind: 'entry',
    data: { ...entry, accession },
    status: 'live',
    summary: { accession, title: entry.study.title, status: 'live', version: 1, origin: null },
    location: { kind: 'entry', id: accession, file: '', folder: '' },
    manifest: {
      schemaVersion: 1,
      location: { mirror: 'local', prefix: `${accession}/` },
      files: files.map((f) => ({ ...f, component: 'main', role: 'image' })),
    },
  } as unknown as CatalogueRecord;
  return { record, files };
}

/** Builds and serialises every document of one entry; returns the bytes written. */
function documentsOf(record: CatalogueRecord, files: CrateFile[]): number {
  const view = toDatasetView(record, info);
  const crate = JSON.stringify(toRoCrate(record, view, info, { files }));
  const signposts = entrySignposts({
    view,
    info,
    metadata: [{ href: `${view.url}ro-crate-metadata.json`, type: 'application/ld+json', profile: 'x' }],
    files,
    linkset: `${view.url}linkset.json`,
  });
  const linkset = JSON.stringify(toLinkset(view.url, signposts));
  const header = renderLinkHeader(inlineSignposts(signposts));
  return crate.length + linkset.length + header.length;
}

const benchmark: Benchmark = async ({ quick }) => {
  const entry = parse(await readFile(entryFile, 'utf8')) as Entry;
  const rows: BenchRow[] = [];

  const entries = quick ? 1000 : 10_000;
  const small = Array.from({ length: entries }, (_, i) => recordWith(entry, `BIC${String(i).padStart(7, '0')}`, 3));
  let start = performance.now();
  let bytes = 0;
  for (const { record, files } of small) bytes += documentsOf(record, files);
  const perEntry = (performance.now() - start) / entries;
  rows.push({
    section,
    what: `RO-Crate, linkset and Link header of ${entries.toLocaleString('en')} entries of 3 files each`,
    result: `${(perEntry * 1000).toFixed(0)} µs per entry, ${(bytes / entries / 1024).toFixed(1)} KiB per entry`,
    target: '',
    verdict: '',
    command: 'npm run bench -- --only linked-data',
  });

  const fileCount = quick ? 10_000 : 100_000;
  const large = recordWith(entry, 'BIC9999999', fileCount);
  const rssBefore = process.memoryUsage().rss;
  start = performance.now();
  bytes = documentsOf(large.record, large.files);
  const wall = performance.now() - start;
  rows.push({
    section,
    what: `RO-Crate, linkset and Link header of one entry of ${fileCount.toLocaleString('en')} files`,
    result:
      `${(wall / 1000).toFixed(2)} s, ${formatBytes(bytes)} written, ` +
      `RSS +${formatBytes(Math.max(0, process.memoryUsage().rss - rssBefore))}`,
    target: '',
    verdict: '',
    command: 'npm run bench -- --only linked-data',
  });
  return rows;
};

export default benchmark;
