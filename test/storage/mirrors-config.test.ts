import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, Mirror } from '../../schemas/index.ts';
import { bulkDownloadCommands, downloadLinks } from '../../storage/downloads.ts';
import { fillLocalBucket } from '../../storage/local-bucket.ts';
import { credentialsOf, defaultMirrorsFile, loadMirrors, openStore } from '../../storage/mirrors.ts';
import { temporaryFolder } from './helpers.ts';

const fixtures = fileURLToPath(new URL('./fixtures/mirrors/', import.meta.url));
const cleanup: string[] = [];
afterAll(async () => Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true }))));

describe('storage/mirrors.yaml', () => {
  it("the repository's own file is valid and has the embedded local folder mirror as primary", async () => {
    const config = await loadMirrors(defaultMirrorsFile);
    expect(config.mirrors.find((m) => m.role === 'primary')).toMatchObject({
      id: 'local',
      kind: 'folder',
      path: 'data/buckets/local',
    });
  });

  it('accepts the valid fixtures', async () => {
    for (const name of await readdir(join(fixtures, 'valid')))
      await expect(loadMirrors(join(fixtures, 'valid', name))).resolves.toBeDefined();
  });

  const expected = JSON.parse(readFileSync(join(fixtures, 'invalid', 'expected.json'), 'utf8')) as Record<
    string,
    string
  >;
  it.each(Object.entries(expected))('%s is refused with %s, naming file and line', async (name, code) => {
    const error = await loadMirrors(join(fixtures, 'invalid', name)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'MIRRORS_INVALID' });
    expect((error as Error).message).toMatch(new RegExp(`${name}:\\d+:\\d+ #\\S* ${code} `));
  });

  it('credentials: values come only from the environment variables named, and a missing one is named', async () => {
    const config = await loadMirrors(join(fixtures, 'valid', 'mirrors.yaml'));
    const s3 = config.mirrors.find((m) => m.id === 'ebi-s3')!;
    expect(() => credentialsOf(s3, {})).toThrow(/the environment variable EBI_S3_ACCESS_KEY_ID is not set/);
    expect(() => credentialsOf(s3, { EBI_S3_ACCESS_KEY_ID: 'k' })).toThrow(/EBI_S3_SECRET_ACCESS_KEY is not set/);
    expect(credentialsOf(s3, { EBI_S3_ACCESS_KEY_ID: 'k', EBI_S3_SECRET_ACCESS_KEY: 's' })).toEqual({
      accessKeyId: 'k',
      secretAccessKey: 's',
    });
    expect(() => openStore(s3, config, {})).toThrow(/EBI_S3_ACCESS_KEY_ID/);
  });
});

describe('download links and bulk commands (pure, for the site)', () => {
  const manifest: Manifest = {
    schemaVersion: 1,
    location: { mirror: 'local', prefix: 'BIC0000013/' },
    files: [{ path: 'movies/movie_0001.mrc', size: 10, sha256: 'a'.repeat(64), format: 'MRC', role: 'image' }],
  };
  const mirrors: Mirror[] = [
    { id: 'local', kind: 'folder', role: 'primary', path: 'data/buckets/local' },
    {
      id: 'ebi',
      kind: 's3',
      role: 'mirror',
      endpoint: 'https://s3.example.org',
      bucket: 'bic',
      prefix: 'catalogue/',
      publicBaseUrl: 'https://s3.example.org/bic/catalogue',
    },
    { id: 'web', kind: 'folder', role: 'primary', path: 'x', publicBaseUrl: 'https://data.example.org/files/' },
  ];
  it('a URL per file on each public mirror, primary first', () => {
    expect(downloadLinks(manifest, mirrors).map((l) => l.url)).toEqual([
      'https://data.example.org/files/BIC0000013/movies/movie_0001.mrc',
      'https://s3.example.org/bic/catalogue/BIC0000013/movies/movie_0001.mrc',
    ]);
  });
  it('aws s3 sync --no-sign-request, rclone copy and a sha256sum check', () => {
    const commands = bulkDownloadCommands('BIC0000013', manifest, mirrors).map((c) => c.command);
    expect(commands).toContain(
      'aws s3 sync --no-sign-request --endpoint-url https://s3.example.org s3://bic/catalogue/BIC0000013/ BIC0000013',
    );
    expect(commands).toContain(
      "rclone copy --progress ':s3,provider=Other," +
        'endpoint="https://s3.example.org":bic/catalogue/BIC0000013/\' BIC0000013',
    );
    expect(commands).toContain(
      'rclone copy --progress \':http,url="https://data.example.org/files/BIC0000013/":\' BIC0000013',
    );
    expect(commands.at(-1)).toBe(
      `cd BIC0000013 && sha256sum -c <<'EOF'\n${'a'.repeat(64)}  movies/movie_0001.mrc\nEOF`,
    );
  });
  it('the module has no Node-only imports (the site bundles it), nor has the path rule it applies', () => {
    const source = readFileSync(fileURLToPath(new URL('../../storage/downloads.ts', import.meta.url)), 'utf8');
    expect(source.match(/^import .* from '([^']+)'/gm) ?? []).toEqual([
      "import { checkObjectPath } from '../catalog/checks/paths.ts'",
      "import type { Manifest, Mirror } from '../schemas/index.ts'",
    ]);
    const rule = readFileSync(fileURLToPath(new URL('../../catalog/checks/paths.ts', import.meta.url)), 'utf8');
    expect(rule).not.toMatch(/^import |\bBuffer\b|\bprocess\./m);
  });
  it(
    'a partner manifest path that breaks the path rule gets no link and no check ' + 'line (it could leave the prefix)',
    () => {
      const hostile: Manifest = {
        ...manifest,
        files: [
          ...manifest.files,
          { path: '../../other/secret.bin', size: 1, sha256: 'b'.repeat(64), format: 'other', role: 'other' },
          { path: 'a\u202egnp.exe', size: 1, sha256: 'c'.repeat(64), format: 'other', role: 'other' },
        ],
      };
      expect(downloadLinks(hostile, mirrors).map((l) => l.path)).toEqual([
        'movies/movie_0001.mrc',
        'movies/movie_0001.mrc',
      ]);
      const check = bulkDownloadCommands('BIC0000013', hostile, mirrors).at(-1)!.command;
      expect(check).not.toContain('secret');
      expect(check).not.toContain('\u202e');
    },
  );
});

describe('the embedded local bucket', () => {
  it('fillLocalBucket writes objects whole and skips those already right', async () => {
    const root = await temporaryFolder('local');
    cleanup.push(root);
    const objects = [{ key: 'BIC0000013/a.txt', bytes: new TextEncoder().encode('a') }];
    expect(await fillLocalBucket(objects, root)).toEqual({ written: 1, skipped: 0 });
    expect(await fillLocalBucket(objects, root)).toEqual({ written: 0, skipped: 1 });
    await expect(fillLocalBucket([{ key: '../x', bytes: new Uint8Array() }], root)).rejects.toMatchObject({
      code: 'UNSAFE_KEY',
    });
  });
});
