// Harvests a partner that publishes RO-Crates: lists its crates (crate-sources.ts), reads each one that changed,
// crosswalks it (crosswalk.ts) and writes the harvested record, each file whole or not at all. Incremental: a crate
// URL is asked with If-None-Match / If-Modified-Since (RFC 9110 §13.1) and a 304 skips it; a GitHub folder is read
// again only when its commit moved, and then only the files whose blob changed. The state is committed after the
// records it covers, so a run cut at any moment is resumed by the next: a record written twice is written whole
// and identically keyed (its id depends on the partner and the crate's root only), never duplicated.
import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { HarvestedRecord } from '../../schemas/index.ts';
import { writeFileAtomic } from '../../catalog/atomic-write.ts';
import { toIsoSeconds } from '../../catalog/dates.ts';
import { harvestedDir } from '../../catalog/layout.ts';
import type { Problem } from '../../catalog/problems.ts';
import { parseSource } from '../../catalog/source.ts';
import { harvestedFindings } from '../../catalog/validate.ts';
import { harvestedId } from '../crosswalks/common.ts';
import { CrosswalkError } from '../crosswalks/errors.ts';
import { HarvestError } from '../errors.ts';
import { quarantineDir } from '../harvest-state.ts';
import { createHttpClient, type HttpClient } from '../http.ts';
import { cleanPartnerText } from '../partner-text.ts';
import { readGitHubFolder, sitemapCrateUrls, type CrateSource, type GitHubCrate } from './crate-sources.ts';
import { crateToHarvestedRecord } from './crosswalk.ts';
import { CrateError, defaultMaxCrateBytes, readCrate } from './read-crate.ts';
import { crateStatePath, readCrateState, renderCrateState, type CrateState } from './crate-state.ts';

export interface CrateHarvestTarget {
  partner: string;
  source: CrateSource;
  contact: string;
  defaultLicense?: string;
  allowPrivateNetwork?: boolean;
}

export interface CrateHarvestOptions {
  /** The catalogue folder. */
  catalog: string;
  target: CrateHarvestTarget;
  /** Ignore the state: read every crate again. */
  full?: boolean;
  /** HTTP client for crate URLs and sitemaps (default: harvester/http.ts with the crate size limit). */
  http?: HttpClient;
  /** REST API root for a GitHub source (default https://api.github.com); GITHUB_TOKEN, if set, is sent. */
  githubApiUrl?: string;
  githubToken?: string;
  /** Largest crate accepted, in bytes (default 2 MiB). */
  maxCrateBytes?: number;
  /** Clock, for tests (default Date.now). */
  now?: () => Date;
  /** Crates read between two commits of the state (default 25). */
  commitEvery?: number;
}

/** What `catalogue harvest --json` prints for an RO-Crate partner. */
export interface CrateHarvestSummary {
  partner: string;
  protocol: 'ro-crate';
  /** Crates listed by the source. */
  crates: number;
  /** Crates not read again: 304, same blob, or an unmoved commit. */
  unchanged: number;
  written: number;
  quarantined: number;
  /** Records kept as tombstones: their crate is gone (404, 410) or no longer listed by the source. */
  deleted: number;
  commit?: string;
  problems: Problem[];
  durationMs: number;
}

/** The crate file name of a state or quarantine entry: the partner and the crate's address, hashed. */
const crateKey = (partner: string, crateUrl: string) => harvestedId(partner, crateUrl);

/** Harvests one RO-Crate partner into the catalogue. Throws HarvestError when the list of crates cannot be read. */
export async function harvestCrates(options: CrateHarvestOptions): Promise<CrateHarvestSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const { catalog, target } = options;
  const maxBytes = options.maxCrateBytes ?? defaultMaxCrateBytes;
  const userAgent = `bioimage-catalogue-harvester (mailto:${target.contact})`;
  const http =
    options.http ??
    createHttpClient({ userAgent, maxBytes, allowPrivateNetwork: target.allowPrivateNetwork, maxRetries: 3 });
  const statePath = crateStatePath(catalog, target.partner);
  const partnerFolder = join(catalog, harvestedDir, target.partner);
  const quarantineFolder = join(catalog, quarantineDir, target.partner);
  const state: CrateState = (options.full ? undefined : await readCrateState(statePath)) ?? { crates: {} };
  const summary: CrateHarvestSummary = {
    partner: target.partner,
    protocol: 'ro-crate',
    crates: 0,
    unchanged: 0,
    written: 0,
    quarantined: 0,
    deleted: 0,
    problems: [],
    durationMs: 0,
  };
  const commitEvery = options.commitEvery ?? 25;
  let sinceCommit = 0;
  const commit = () => writeFileAtomic(statePath, renderCrateState(state));
  const committed = async () => {
    if (++sinceCommit >= commitEvery) {
      sinceCommit = 0;
      await commit();
    }
  };

  const { source } = target;
  if ('github' in source) {
    const { owner, repo, path, ref } = source.github;
    const folderKey = `${owner}/${repo}/${path}@${ref ?? ''}`;
    const folder = await readGitHubFolder(
      source.github,
      {
        apiUrl: options.githubApiUrl,
        token: options.githubToken,
        allowPrivateNetwork: target.allowPrivateNetwork,
        userAgent,
        maxBytes,
      },
      state.folder === folderKey ? state.commit : undefined,
    );
    summary.commit = folder.commit;
    if ('unchanged' in folder) {
      summary.crates = Object.keys(state.crates).length;
      summary.unchanged = summary.crates;
    } else {
      summary.crates = folder.crates.length;
      for (const crate of folder.crates) {
        await harvestGitHubCrate(crate, folder.commit, () => folder.read(crate));
        await committed();
      }
      await retireUnlisted(folder.crates.map((c) => c.url));
      // The commit is recorded only once every crate of the folder is: a run cut before resumes the folder.
      state.commit = folder.commit;
      state.folder = folderKey;
    }
  } else {
    const urls = 'urls' in source ? source.urls : await sitemapCrateUrls(http, source.sitemap);
    summary.crates = urls.length;
    for (const url of urls) {
      await harvestUrl(url);
      await committed();
    }
    await retireUnlisted(urls);
  }
  state.completedAt = toIsoSeconds(now());
  await commit();
  summary.durationMs = Math.round(performance.now() - started);
  return summary;

  async function harvestUrl(url: string): Promise<void> {
    const known = state.crates[url];
    const conditional: Record<string, string> = {};
    if (known?.etag) conditional['if-none-match'] = known.etag;
    if (known?.lastModified) conditional['if-modified-since'] = known.lastModified;
    let response;
    try {
      response = await http({
        url,
        headers: { accept: 'application/ld+json, application/json;q=0.9, */*;q=0.1', ...conditional },
      });
    } catch (error) {
      if (!(error instanceof HarvestError)) throw error;
      // RFC 9110 §15.5.5, §15.5.11: the crate is gone; a record harvested from it becomes a tombstone.
      if ((error.code === 'HTTP_404' || error.code === 'HTTP_410') && known?.id) await retire(url);
      else await quarantine(url, error.code, error.message);
      return;
    }
    if (response.status === 304) {
      summary.unchanged++;
      return;
    }
    const lastModifiedHeader = response.headers.get('last-modified') ?? undefined;
    const lastModified = lastModifiedHeader ? Date.parse(lastModifiedHeader) : NaN;
    const id = await harvestText(url, response.text, {
      lastModified: Number.isNaN(lastModified) ? undefined : toIsoSeconds(new Date(lastModified)),
    });
    state.crates[url] = {
      ...(id ? { id } : {}),
      ...(response.headers.get('etag') ? { etag: response.headers.get('etag')! } : {}),
      ...(lastModifiedHeader ? { lastModified: lastModifiedHeader } : {}),
    };
  }

  async function harvestGitHubCrate(crate: GitHubCrate, commitSha: string, read: () => Promise<string>) {
    if (state.crates[crate.url]?.blob === crate.blob) {
      summary.unchanged++;
      return;
    }
    let text: string;
    try {
      text = await read();
    } catch (error) {
      if (!(error instanceof HarvestError)) throw error;
      await quarantine(crate.url, error.code, error.message);
      return;
    }
    const id = await harvestText(crate.url, text, { commit: commitSha });
    state.crates[crate.url] = { ...(id ? { id } : {}), blob: crate.blob };
  }

  /** Reads, crosswalks, checks and writes one crate; the record's id, or undefined when it was quarantined. */
  async function harvestText(
    crateUrl: string,
    text: string,
    extra: { lastModified?: string; commit?: string },
  ): Promise<string | undefined> {
    let record: HarvestedRecord;
    try {
      const crate = readCrate(text, { maxBytes });
      record = crateToHarvestedRecord(crate, {
        partner: target.partner,
        crateUrl,
        harvestedAt: toIsoSeconds(now()),
        defaultLicense: target.defaultLicense,
        ...extra,
      });
    } catch (error) {
      if (!(error instanceof CrateError) && !(error instanceof CrosswalkError)) throw error;
      await quarantine(crateUrl, error.code, error.message, error.pointer);
      return undefined;
    }
    const findings = harvestedFindings(record);
    const path = join(partnerFolder, `${record.id}.json`);
    for (const f of findings)
      summary.problems.push({
        file: relative(catalog, path),
        pointer: f.pointer,
        code: f.code,
        message: `${cleanPartnerText(crateUrl, 200)}: ${cleanPartnerText(f.message)}`,
        fix: f.fix,
        severity: f.severity,
      });
    if (findings.some((f) => f.severity === 'error')) {
      await quarantine(crateUrl, 'RECORD_INVALID', findings.map((f) => f.message).join('; '), '', record);
      return undefined;
    }
    await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
    // A crate that was quarantined before and reads well now leaves the quarantine.
    await rm(join(quarantineFolder, `${crateKey(target.partner, crateUrl)}.json`), { force: true });
    summary.written++;
    return record.id;
  }

  /** Retires the records of crates harvested before that the source no longer lists. */
  async function retireUnlisted(listed: readonly string[]): Promise<void> {
    // An empty list is more likely a fault at the partner than the end of every study: nothing is retired.
    if (listed.length === 0) return;
    const still = new Set(listed);
    for (const url of Object.keys(state.crates)) if (!still.has(url)) await retire(url);
  }

  /**
   * The record harvested from a crate that is gone is kept as a tombstone (`deleted`, as OAI-PMH §2.5.1 keeps a
   * deleted record), so that its page and accession stay; the crate is forgotten by the state.
   */
  async function retire(crateUrl: string): Promise<void> {
    const id = state.crates[crateUrl]?.id;
    delete state.crates[crateUrl];
    if (!id) return;
    const path = join(partnerFolder, `${id}.json`);
    let record: HarvestedRecord;
    try {
      record = parseSource(path, await readFile(path, 'utf8')).data as HarvestedRecord;
    } catch {
      return;
    }
    if (typeof record !== 'object' || record === null || record.deleted) return;
    record.deleted = { datestamp: toIsoSeconds(now()) };
    await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
    summary.deleted++;
  }

  async function quarantine(crateUrl: string, code: string, message: string, pointer = '', record?: unknown) {
    const path = join(quarantineFolder, `${crateKey(target.partner, crateUrl)}.json`);
    summary.quarantined++;
    await writeFileAtomic(
      path,
      JSON.stringify({ crate: crateUrl, code, message, ...(record ? { record } : {}) }, null, 2) + '\n',
    );
    summary.problems.push({
      file: relative(catalog, path),
      pointer,
      code,
      message: `${cleanPartnerText(crateUrl, 200)}: ${cleanPartnerText(message)}`,
      fix: 'the crate is kept in quarantine and the other crates were harvested; ask the partner to correct it',
      severity: 'error',
    });
  }
}
