// `catalogue accession mint` registers DOIs when DataCite credentials are in the environment, and mints as before
// without them; `catalogue doi sync` updates them.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { startDataciteServer, type DataciteServer } from './datacite-server.ts';

const submission = new URL('../catalog/fixtures/submissions/valid/cross-references-annotations/', import.meta.url)
  .pathname;
const credentials = { repositoryId: 'EXAMPLE.BIC', password: 'secret', prefix: '10.80000' };
const variables = [
  'DATACITE_REPOSITORY_ID',
  'DATACITE_PASSWORD',
  'DATACITE_PREFIX',
  'DATACITE_API_URL',
  'SITE_BASE_URL',
];

let root: string;
let server: DataciteServer;

async function catalogue(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as NodeJS.WritableStream;
  const code = await main(['--catalog', root, ...argv], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'catalogue-doi-cli-'));
  await cp(submission, join(root, 'submissions', 'cross-references-annotations'), { recursive: true });
  server = await startDataciteServer(credentials);
});
afterEach(async () => {
  for (const name of variables) delete process.env[name];
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('catalogue accession mint and doi sync', () => {
  it('mint without credentials sends nothing and writes no DOI', async () => {
    const result = await catalogue('accession', 'mint', '--date', '2026-01-02');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('minted BIC0000013 for submissions/cross-references-annotations\n');
    expect(server.requests).toEqual([]);
    expect(await readFile(join(root, 'entries', 'BIC0000013', 'entry.yaml'), 'utf8')).not.toMatch(/^doi:/m);
  });

  it('mint with credentials registers the DOI; doi sync sends the metadata again', async () => {
    Object.assign(process.env, {
      DATACITE_REPOSITORY_ID: credentials.repositoryId,
      DATACITE_PASSWORD: credentials.password,
      DATACITE_PREFIX: credentials.prefix,
      DATACITE_API_URL: server.url,
    });
    const minted = await catalogue('accession', 'mint', '--date', '2026-01-02', '--base-url', 'https://bic.example/');
    expect(minted.stderr).toBe('');
    expect(minted.stdout).toContain('BIC0000013: DOI 10.80000/BIC0000013 registered\n');
    expect(server.dois.get('10.80000/BIC0000013')).toMatchObject({
      state: 'findable',
      url: 'https://bic.example/entries/BIC0000013/',
    });
    const synced = await catalogue('doi', 'sync', '--base-url', 'https://bic.example/');
    expect(synced).toMatchObject({ code: 0, stdout: 'BIC0000013: DOI 10.80000/BIC0000013 updated\n' });
    expect(server.requests.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('withdraw keeps the DOI findable and sends the tombstone metadata', async () => {
    Object.assign(process.env, {
      DATACITE_REPOSITORY_ID: credentials.repositoryId,
      DATACITE_PASSWORD: credentials.password,
      DATACITE_PREFIX: credentials.prefix,
      DATACITE_API_URL: server.url,
      SITE_BASE_URL: 'https://bic.example/',
    });
    await catalogue('accession', 'mint', '--date', '2026-01-02');
    const withdrawn = await catalogue(
      'withdraw',
      'BIC0000013',
      '--reason',
      'Consent was withdrawn.',
      '--date',
      '2026-02-01',
    );
    expect(withdrawn.stdout).toBe('BIC0000013 withdrawn on 2026-02-01.\nBIC0000013: DOI 10.80000/BIC0000013 updated\n');
    expect(await readFile(join(root, 'entries', 'BIC0000013', 'tombstone.yaml'), 'utf8')).toMatch(
      /^doi: 10\.80000\/BIC0000013$/m,
    );
    const stored = server.dois.get('10.80000/BIC0000013')!;
    expect(stored.state).toBe('findable');
    expect(stored.xml).toContain('<date dateType="Withdrawn">2026-02-01</date>');
    expect(server.requests.every((r) => r.problems.length === 0)).toBe(true);
  });

  it('with credentials but no site address, says what to give', async () => {
    Object.assign(process.env, {
      DATACITE_REPOSITORY_ID: 'X',
      DATACITE_PASSWORD: 'p',
      DATACITE_PREFIX: '10.80000',
      DATACITE_API_URL: server.url,
    });
    delete process.env.SITE_BASE_URL;
    const result = await catalogue('doi', 'sync');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('give --base-url or set SITE_BASE_URL');
  });
});
