// `catalogue harvest --pr` against the stand-in GitHub of the submission tests (every request checked against
// GitHub's OpenAPI description) and a replay server serving recorded Zenodo pages.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../submission/github-server.ts';
import { runCli } from '../submission/helpers.ts';
import { fixture, startReplayServer, type ReplayServer } from './helpers/servers.ts';

const upstream = 'bioimage/catalogue';
let github: FakeGitHub;
let zenodo: ReplayServer;
let empty: ReplayServer;
const dirs: string[] = [];

beforeAll(async () => {
  github = await startFakeGitHub({
    tokens: {
      'token-bot': { login: 'github-actions[bot]', type: 'Bot', writeAll: true },
      'token-ada': { login: 'ada' },
    },
  });
  github.addRepository(upstream, { 'README.md': '# catalogue\n', 'archive/accessions.tsv': '# accession\n' });
  zenodo = await startReplayServer((q) => {
    if (q.get('verb') === 'Identify') return fixture('valid/oai/sickle/Identify.xml');
    if (q.get('resumptionToken') === '.resumption-token-to-page-2')
      return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
    if (q.get('metadataPrefix') === 'oai_datacite')
      return fixture('valid/oai/zenodo/ListRecords-oai_datacite-page1.xml');
  });
  empty = await startReplayServer((q) =>
    q.get('verb') === 'Identify'
      ? fixture('valid/oai/sickle/Identify.xml')
      : fixture('valid/oai/sickle/noRecordsMatch.xml'),
  );
}, 60_000);
afterAll(async () => {
  await github?.close();
  await zenodo?.close();
  await empty?.close();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
afterEach(() => expect(github.violations).toEqual([]));

const tempCatalog = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'harvest-pr-'));
  dirs.push(dir);
  return dir;
};
const harvestPr = (catalog: string, url: string, extra: string[] = [], token: string | undefined = 'token-bot') =>
  runCli(
    [
      'harvest',
      url,
      '--prefix',
      'oai_datacite',
      '--catalog',
      catalog,
      '--pr',
      '--repo',
      upstream,
      '--api-url',
      github.url,
      ...extra,
    ],
    { GITHUB_TOKEN: token, GH_TOKEN: undefined },
  );

describe('catalogue harvest --pr', () => {
  it(
    'commits the harvested records, the harvest state and log on a branch of the repository ' +
      'and opens the pull request',
    async () => {
      const catalog = await tempCatalog();
      const result = await harvestPr(catalog, zenodo.url, ['--json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const output = JSON.parse(result.stdout) as {
        harvests: { records: number; partner: string }[];
        pullRequest: { number: number; branch: string; commit: string; files: number };
      };
      expect(output.harvests[0].records).toBe(51);
      const partner = output.harvests[0].partner;
      expect(output.pullRequest.branch).toMatch(new RegExp(`^harvest/${partner}-\\d{8}-\\d{6}Z$`));
      expect(output.pullRequest.files).toBe(53);

      const pull = github.repositories.get(upstream)!.pulls.find((p) => p.number === output.pullRequest.number)!;
      expect(pull.head).toBe(`bioimage:${output.pullRequest.branch}`);
      expect(pull.title).toBe(`Harvest ${partner}: 51 record(s) changed`);
      expect(pull.body).toContain('| \\(all\\) | oai\\_datacite |');
      const files = github.filesAt(output.pullRequest.commit);
      // The base branch's files stay; every local record arrives byte for byte under archive/.
      expect(files.get('README.md')).toBe('# catalogue\n');
      const local = (await readdir(join(catalog, 'harvested', partner))).filter((f) => f.endsWith('.json'));
      expect(local).toHaveLength(51);
      for (const name of local)
        expect(files.get(`archive/harvested/${partner}/${name}`)).toBe(
          await readFile(join(catalog, 'harvested', partner, name), 'utf8'),
        );
      expect(files.get('archive/harvest-log.json')).toBe(await readFile(join(catalog, 'harvest-log.json'), 'utf8'));
      expect([...files.keys()].filter((f) => f.startsWith(`archive/harvest-state/${partner}/`))).toEqual([
        `archive/harvest-state/${partner}/oai_datacite@_all.json`,
      ]);
    },
  );

  it('opens nothing when no record changed', async () => {
    const catalog = await tempCatalog();
    const before = github.repositories.get(upstream)!.pulls.length;
    const result = await harvestPr(catalog, empty.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No record changed: no pull request opened.');
    expect(github.repositories.get(upstream)!.pulls.length).toBe(before);
  });

  it('checks the token before harvesting', async () => {
    const catalog = await tempCatalog();
    const requests = zenodo.requests.length;
    const result = await harvestPr(catalog, zenodo.url, [], '');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/harvest --pr needs a GitHub token: set GITHUB_TOKEN/);
    expect(zenodo.requests.length).toBe(requests);
  });

  it('explains a token that may not write to the repository, and keeps the harvest', async () => {
    const catalog = await tempCatalog();
    const result = await harvestPr(catalog, zenodo.url, [], 'token-ada');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/GitHub refused to upload .* \(the token needs Contents: write on it\) \(403/);
    expect((await readdir(join(catalog, 'harvested'))).length).toBe(1);
  });

  it('refuses a pull request larger than --max-files, saying what to do', async () => {
    const catalog = await tempCatalog();
    const result = await harvestPr(catalog, zenodo.url, ['--max-files', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the harvest changed 53 files, more than --max-files 10: .* commit them with git and push, or raise --max-files/,
    );
  });

  it('rejects --pr options without --pr, and --pr with --schedule', async () => {
    expect((await runCli(['harvest', zenodo.url, '--repo', upstream], {})).code).toBe(2);
    expect(
      (await runCli(['harvest', '--schedule', '--pr', '--repo', upstream], { GITHUB_TOKEN: 'token-bot' })).stderr,
    ).toMatch(/--pr goes with one harvest/);
  });
});
