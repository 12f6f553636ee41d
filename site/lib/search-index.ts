// The Pagefind search index, built from custom records made from each entry itself rather than by crawling the
// built HTML: crawled minified markup runs labels into values ("OrganismArabidopsis"), and
// custom records let the index run in its own process beside the Astro build.
//
// The index is split into shards (search-shards.ts), each built by a fresh Pagefind service and closed before the
// next (peak memory scales with the words of one index; docs/site.md gives the figures); the browser merges them
// with pagefind.mergeIndex(). A rebuild builds again only the shards whose records changed (their key differs).
//
// Pagefind 1.5.2's writeFiles() can return before its files are whole (upstream issue 1271), so the bundle is
// taken with getFiles(), written by us into a temporary folder, read back and checked, and only then renamed
// into place.
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as pagefind from 'pagefind';
import { makeBundleDeterministic } from './pagefind-determinism.ts';
import type { CatalogueInfo } from '../../catalog/exports/dataset-view.ts';
import type { Mirror } from '../../schemas/index.ts';
import { facetNames, facetValues } from './facets.ts';
import { listThumbnail } from './images.ts';
import { isListed, type PublishedRecord } from './published.ts';
import { digestOf } from './build-keys.ts';
import { unchanged } from './build-step-keys.ts';
import { defaultShardTarget, splitIntoShards } from './search-shards.ts';

export class SearchIndexError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchIndexError';
    this.code = code;
  }
}

const unique = (values: (string | undefined)[]) => [
  ...new Set(values.filter((v): v is string => Boolean(v && v.trim()))),
];

/**
 * The custom record of one listed entry: its words from the entry's own fields, separated by line breaks. With
 * `mirrors`, its meta carries the representative image's thumbnail (Pagefind's `image` and `image_alt` meta keys),
 * with its drawn size, for the result list.
 */
export function toSearchRecord(
  record: PublishedRecord,
  info: CatalogueInfo,
  mirrors: readonly Mirror[] = [],
): pagefind.CustomRecord {
  if (record.kind === 'tombstone') throw new Error('tombstones are not indexed');
  const d = record.data;
  const s = d.study;
  const organisms = (d.biosamples ?? []).flatMap((b) => b.organisms ?? []);
  const facets = facetValues(record);
  const content = unique([
    record.accession,
    s.title,
    s.description,
    (s.keywords ?? []).join(', '),
    (s.authors ?? []).map((a) => a.name).join(', '),
    (s.affiliations ?? []).map((a) => a.name).join(', '),
    organisms.map((o) => [o.scientificName, o.commonName].filter(Boolean).join(' ')).join(', '),
    ...(d.biosamples ?? []).flatMap((b) => [
      b.biologicalEntity,
      b.description,
      ...(b.intrinsicVariables ?? []),
      ...(b.extrinsicVariables ?? []),
    ]),
    ...(d.components ?? []).flatMap((c) => [c.name, c.description]),
    ...(d.specimens ?? []).flatMap((p) => [p.preparationProtocol, p.signalContrast]),
    ...(d.acquisitions ?? []).flatMap((a) => [a.instrument]),
    ...(d.analyses ?? []).flatMap((a) => [a.overview, a.method]),
    ...facets.method,
    ...(s.publications ?? []).map((p) => p.title),
    record.kind === 'harvested' ? record.data.origin.partner : undefined,
  ]).join('\n');
  const path = new URL(info.baseUrl).pathname;
  const thumbnail = listThumbnail(record, mirrors);
  return {
    url: `${path}entries/${record.accession}/`,
    content,
    language: 'en',
    meta: {
      title: s.title,
      accession: record.accession,
      organism: facets.organism.join(', ') || 'not stated',
      method: facets.method.join(', ') || 'not stated',
      year: facets.year[0] ?? '',
      ...(thumbnail
        ? {
            image: thumbnail.url,
            image_alt: thumbnail.alt,
            image_width: String(thumbnail.width),
            image_height: String(thumbnail.height),
          }
        : {}),
    },
    filters: Object.fromEntries(facetNames.map((name) => [name, facets[name]]).filter(([, v]) => v.length > 0)),
    sort: { accession: record.accession },
  };
}

/** Records sent to the Pagefind service before their answers come back. */
const inFlight = 256;

const checkErrors = (what: string, errors: string[] | undefined) => {
  if (errors && errors.length)
    throw new SearchIndexError('PAGEFIND_FAILED', `Pagefind ${what} failed: ${errors.join('; ')}`);
};

/** Compressed Pagefind files start, once gunzipped, with this signature. */
const pagefindSignature = 'pagefind_dcd';

/** Reads a bundle back into memory; undefined for a file that cannot be read. */
function readBack(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Reads a written bundle back and checks every file is whole: same bytes as produced, and gzip files decompress.
 * Synchronous reads: a shard is one fragment file per record (25,000), and one awaited readFile per file costs a
 * thread-pool round trip each, many times the cost of readFileSync.
 */
export async function verifyBundle(folder: string, expected: { path: string; content: Uint8Array }[]): Promise<void> {
  for (const file of expected) {
    const bytes = readBack(join(folder, file.path));
    if (!bytes || bytes.length !== file.content.length || !Buffer.from(file.content).equals(bytes)) {
      throw new SearchIndexError('BUNDLE_TORN', `the search bundle file ${file.path} was not written whole`);
    }
    if (/\.pf_(meta|index|fragment|filter)$/.test(file.path)) {
      let text: string;
      try {
        text = gunzipSync(bytes).subarray(0, pagefindSignature.length).toString('latin1');
      } catch (error) {
        throw new SearchIndexError(
          'BUNDLE_TORN',
          `the search bundle file ${file.path} is truncated (gzip: ${(error as Error).message})`,
          { cause: error },
        );
      }
      if (text !== pagefindSignature)
        throw new SearchIndexError('BUNDLE_TORN', `the search bundle file ${file.path} lacks Pagefind's signature`);
    }
  }
  const entry = expected.find((f) => f.path === 'pagefind-entry.json');
  if (!entry) throw new SearchIndexError('BUNDLE_TORN', 'the search bundle has no pagefind-entry.json');
  JSON.parse(Buffer.from(entry.content).toString('utf8'));
}

export interface SearchIndexResult {
  records: number;
  /** The folders of every shard of the index, in order. */
  shards: string[];
  /** The folders built by this run (the others were unchanged and are already in place). */
  built: string[];
  /** The key of each shard, by folder (build-keys.ts). */
  keys: Record<string, string>;
  /** Bytes written by this run. */
  bytes: number;
}

export interface SearchIndexOptions {
  /** Records per shard on average (default search-shards.ts defaultShardTarget). */
  shardTarget?: number;
  /**
   * The key of each listed record's outputs (entry-keys.ts) and the site digest: with both, a shard whose key
   * equals the previous build's (build-step-keys.ts) is not built again. Without, every shard is built.
   */
  keyOf?: (record: PublishedRecord) => string;
  siteDigest?: string;
  /**
   * Shards built at once, each by its own Pagefind service on its own worker thread (default: one per core, at
   * most 4, never more than the shards). Building a shard ends in Pagefind's getFiles(), which works on one
   * thread, so shards built one after the other keep one core busy long after the other has finished the pages
   * (docs/site.md). Each service holds one shard, so peak memory per process stays that of one.
   */
  lanes?: number;
  /** The mirrors whose public URLs the results' thumbnails use (default none: no thumbnails). */
  mirrors?: readonly Mirror[];
  log?: (line: string) => void;
  /** Filters and meta that come from outside the record (the labels of site/lib/labels.ts), by record. */
  extra?: (record: PublishedRecord) => { filters: Record<string, string[]>; meta: Record<string, string> } | undefined;
}

/** The custom record the index holds for a listed record: toSearchRecord with the extra filters and meta. */
export function toIndexedRecord(
  record: PublishedRecord,
  info: CatalogueInfo,
  options: Pick<SearchIndexOptions, 'mirrors' | 'extra'> = {},
): pagefind.CustomRecord {
  const searchRecord = toSearchRecord(record, info, options.mirrors);
  const extra = options.extra?.(record);
  if (extra) {
    searchRecord.filters = { ...searchRecord.filters, ...extra.filters };
    searchRecord.meta = { ...searchRecord.meta, ...extra.meta };
  }
  return searchRecord;
}

/** Builds the shards into `out` (pagefind/, pagefind-<accession>/...). Records are the listed ones only. */
export async function writeSearchIndex(
  out: string,
  records: PublishedRecord[],
  info: CatalogueInfo,
  options: SearchIndexOptions = {},
): Promise<SearchIndexResult> {
  const listed = records.filter(isListed);
  const all = splitIntoShards(listed, (record) => record.accession, options.shardTarget ?? defaultShardTarget);
  const keys: Record<string, string> = {};
  for (const { folder, members } of all)
    keys[folder] = options.keyOf
      ? digestOf(options.siteDigest ?? '', folder, ...members.map((record) => options.keyOf!(record)))
      : '';
  const shards: ShardInput[] = all
    .filter(({ folder }) => !options.keyOf || !unchanged('shards', folder, keys[folder]))
    .map(({ folder, members }) => ({
      folder,
      records: members.map((record) => toIndexedRecord(record, info, options)),
    }));
  const lanes = Math.max(1, Math.min(options.lanes ?? Math.min(4, availableParallelism()), shards.length));
  const written: ShardResult[] = [];
  if (lanes === 1) {
    for (const shard of shards) written.push(await writeShard(out, shard, options.log));
  } else {
    // Lane j builds shards j, j + lanes, ...; every shard has its own folder, so lanes never write the same file.
    const workers: Worker[] = [];
    try {
      await Promise.all(
        Array.from({ length: lanes }, (_, lane) =>
          runLane(
            out,
            shards.filter((_, i) => i % lanes === lane),
            options.log,
            written,
            workers,
          ),
        ),
      );
    } catch (error) {
      // One lane failed: the others stop too (terminating a thread ends its Pagefind service, whose input closes).
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
  }
  const order = all.map(({ folder }) => folder);
  written.sort((a, b) => order.indexOf(a.folder) - order.indexOf(b.folder));
  return {
    records: listed.length,
    shards: order,
    built: written.map((w) => w.folder),
    keys,
    bytes: written.reduce((n, w) => n + w.bytes, 0),
  };
}

/** One shard to build: its folder and its custom records. */
export interface ShardInput {
  folder: string;
  records: pagefind.CustomRecord[];
}

export interface ShardResult {
  folder: string;
  bytes: number;
}

/** One lane: a worker thread (search-shard-worker.ts) with a Pagefind service of its own builds its shards in turn. */
function runLane(
  out: string,
  shards: ShardInput[],
  log: ((line: string) => void) | undefined,
  written: ShardResult[],
  workers: Worker[],
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./search-shard-worker.ts', import.meta.url), { workerData: { out, shards } });
    workers.push(worker);
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve();
    };
    worker.on(
      'message',
      (message: { log?: string; shard?: ShardResult; done?: boolean; error?: { message: string; code?: string } }) => {
        if (message.log) log?.(message.log);
        if (message.shard) written.push(message.shard);
        if (message.error) settle(new SearchIndexError(message.error.code ?? 'PAGEFIND_FAILED', message.error.message));
        if (message.done) settle();
      },
    );
    worker.once('error', (error) => settle(error));
    // Whatever the exit code, a lane that did not say it was done did not build all its shards.
    worker.once('exit', (code) =>
      settle(
        new SearchIndexError('PAGEFIND_FAILED', `the search index worker stopped (exit ${code}) before it finished`),
      ),
    );
  });
}

/**
 * Builds a shard from its custom records with a fresh Pagefind service (closed at the end, which frees its
 * memory), writes it into a temporary folder, checks it and renames it into place.
 */
export async function writeShard(
  out: string,
  { folder: name, records: shard }: ShardInput,
  log?: (line: string) => void,
): Promise<ShardResult> {
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'en' });
  checkErrors('createIndex', errors);
  if (!index) throw new SearchIndexError('PAGEFIND_FAILED', 'Pagefind returned no index');
  try {
    // Many records in flight at once: the service indexes them on its own threads, and never waits for this
    // process, which meanwhile writes the data files (index-worker.ts).
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(inFlight, shard.length) }, async () => {
        while (next < shard.length) {
          const record = shard[next++];
          const added = await index.addCustomRecord(record);
          checkErrors(`adding ${record.meta?.accession ?? record.url}`, added.errors);
        }
      }),
    );
    const { files: produced, errors: fileErrors } = await index.getFiles();
    checkErrors('getFiles', fileErrors);
    const files = makeBundleDeterministic(produced);
    const temporary = join(out, `.${name}.tmp`);
    await rm(temporary, { recursive: true, force: true });
    // Synchronous writes, each folder made once: an awaited mkdir and writeFile per fragment (25,000 per shard)
    // would pay a thread-pool round trip each. Nothing else runs on this thread meanwhile (the data files have
    // their own thread, and the Pagefind service waits for the next shard).
    let bytes = 0;
    for (const folder of new Set(files.map((file) => dirname(join(temporary, file.path)))))
      mkdirSync(folder, { recursive: true });
    for (const file of files) {
      writeFileSync(join(temporary, file.path), file.content);
      bytes += file.content.length;
    }
    await verifyBundle(temporary, files);
    await rm(join(out, name), { recursive: true, force: true });
    await rename(temporary, join(out, name));
    log?.(`search index shard ${name}: ${shard.length} records`);
    return { folder: name, bytes };
  } finally {
    await pagefind.close();
  }
}
