// DOIs on mint, on a new version and on withdrawal, against a DataCite REST API on port 0 that validates every
// request's metadata with the official kernel-4.6 XSD (test/doi/datacite-server.ts).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCatalogue } from '../../catalog/check.ts';
import { mintAccessions } from '../../catalog/mint.ts';
import { formatProblem } from '../../catalog/problems.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';
import { createDataciteClient } from '../../doi/datacite-client.ts';
import { dataciteConfigFromEnv, type DataciteConfig } from '../../doi/datacite-config.ts';
import { DoiError } from '../../doi/errors.ts';
import { syncDois } from '../../doi/sync.ts';
import { startDataciteServer, type DataciteServer } from './datacite-server.ts';

const submission = new URL('../catalog/fixtures/submissions/valid/cross-references-annotations/', import.meta.url)
  .pathname;
const credentials = { repositoryId: 'EXAMPLE.BIC', password: 'secret', prefix: '10.80000' };
const info = { name: 'Bioimage Catalogue', baseUrl: 'https://data.example.org/' };

let root: string;
let server: DataciteServer;
let config: DataciteConfig;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-doi-'));
  await cp(submission, join(root, 'submissions', 'cross-references-annotations'), { recursive: true });
  server = await startDataciteServer(credentials);
  config = dataciteConfigFromEnv({
    DATACITE_REPOSITORY_ID: credentials.repositoryId,
    DATACITE_PASSWORD: credentials.password,
    DATACITE_PREFIX: credentials.prefix,
    DATACITE_API_URL: server.url,
  })!;
});
afterEach(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

const sync = (accessions: string[], today = '2026-01-02') =>
  syncDois(root, accessions, { client: createDataciteClient({ config }), prefix: config.prefix, info, today });
const refused = () => server.requests.filter((r) => r.problems.length > 0);

describe('DOI registration', () => {
  it('on mint: a draft, recorded in entry.yaml, then findable; the catalogue stays valid', async () => {
    const { minted } = await mintAccessions(root, { today: '2026-01-02' });
    const accession = minted[0].accession;
    const results = await sync([accession]);
    expect(refused()).toEqual([]);
    expect(results).toEqual([{ accession, doi: `10.80000/${accession}`, action: 'created', state: 'findable' }]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /dois',
      `PUT /dois/10.80000/${accession}`,
    ]);
    const stored = server.dois.get(`10.80000/${accession}`)!;
    expect(stored.url).toBe(`https://data.example.org/entries/${accession}/`);
    expect(stored.xml).toContain('relatedIdentifierType="URL" relationType="IsSupplementTo"');
    const entry = await readFile(join(root, 'entries', accession, 'entry.yaml'), 'utf8');
    expect(entry).toMatch(new RegExp(`\\naccession: ${accession}\\ndoi: 10\\.80000/${accession}\\n`));
    const { problems } = await checkCatalogue(root, { today: '2026-01-02' });
    expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    // The DOI is the catalogue's own: writing it is no new version.
    expect((await mintAccessions(root, { today: '2026-01-03' })).versioned).toEqual([]);
  });

  it('leaves an embargoed entry a draft', async () => {
    const file = join(root, 'submissions', 'cross-references-annotations', 'entry.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('releaseDate: 2024-03-15', 'releaseDate: 2030-01-01'));
    const { minted } = await mintAccessions(root, { today: '2026-01-02' });
    const [result] = await sync([minted[0].accession]);
    expect(result.action).toBe('created-draft');
    expect(server.dois.get(result.doi)!.state).toBe('draft');
    expect(refused()).toEqual([]);
  });

  it('on a new version, sends the new metadata; on withdrawal, the DOI stays findable on the tombstone', async () => {
    const { minted } = await mintAccessions(root, { today: '2026-01-02' });
    const accession = minted[0].accession;
    await sync([accession]);
    const file = join(root, 'entries', accession, 'entry.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('under starvation', 'under hypoxia'));
    const { versioned } = await mintAccessions(root, { today: '2026-02-01' });
    expect(versioned).toEqual([{ accession, version: 2 }]);
    await sync([accession], '2026-02-01');
    const doi = `10.80000/${accession}`;
    expect(server.dois.get(doi)!.xml).toContain('under hypoxia');
    expect(server.dois.get(doi)!.xml).toContain('<version>2</version>');

    await withdrawEntry(root, accession, { reason: 'Consent for these images was withdrawn.', date: '2026-03-01' });
    const [result] = await sync([accession], '2026-03-01');
    expect(result).toMatchObject({ action: 'updated', state: 'findable' });
    expect(server.dois.get(doi)!.xml).toContain('<date dateType="Withdrawn">2026-03-01</date>');
    expect(server.dois.get(doi)!.url).toBe(`https://data.example.org/entries/${accession}/`);
    expect(refused()).toEqual([]);
  });
});

describe('the DataCite server holds requests to the schema', () => {
  it('refuses metadata that the kernel-4.6 XSD refuses, and the client says what came back', async () => {
    const client = createDataciteClient({ config });
    // DataCite's own 4.6 example, under the test repository's prefix.
    const example = new URL('./fixtures/datacite-example-dataset-v4.xml', import.meta.url);
    const xml = (await readFile(example, 'utf8')).replace('10.82433/9184-DY35', '10.80000/TEST-1');
    await expect(client.createDraft('10.80000/TEST-1', { url: 'https://example.org/', xml })).resolves.toMatchObject({
      state: 'draft',
    });
    const broken = xml.replace('resourceTypeGeneral="Dataset"', 'resourceTypeGeneral="Poster"');
    const error = await client
      .createDraft('10.80000/TEST-2', { url: 'https://example.org/', xml: broken.replace('TEST-1', 'TEST-2') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoiError);
    expect(error).toMatchObject({ code: 'DATACITE_REJECTED', status: 422, method: 'POST' });
    expect((error as Error).message).toMatch(/not valid against DataCite kernel-4\.6.*Poster/s);
  });

  it('refuses wrong credentials with 401', async () => {
    const client = createDataciteClient({ config: { ...config, password: 'wrong' } });
    await expect(client.update('10.80000/X', { url: 'https://example.org/', xml: '<x/>' })).rejects.toMatchObject({
      code: 'DATACITE_REJECTED',
      status: 401,
    });
  });
});

describe('configuration from the environment', () => {
  it('is absent without credentials (mint goes on without DOIs), and incomplete credentials are an error', () => {
    expect(dataciteConfigFromEnv({})).toBeUndefined();
    expect(() => dataciteConfigFromEnv({ DATACITE_REPOSITORY_ID: 'X.Y' })).toThrow(
      /DATACITE_PASSWORD and DATACITE_PREFIX/,
    );
    expect(() =>
      dataciteConfigFromEnv({ DATACITE_REPOSITORY_ID: 'X.Y', DATACITE_PASSWORD: 'p', DATACITE_PREFIX: 'doi' }),
    ).toThrow(/not a DOI prefix/);
    expect(
      dataciteConfigFromEnv({ DATACITE_REPOSITORY_ID: 'X.Y', DATACITE_PASSWORD: 'p', DATACITE_PREFIX: '10.1234' })
        ?.apiUrl,
    ).toBe('https://api.datacite.org');
  });
});
