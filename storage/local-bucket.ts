// The embedded default: the folder mirror `local` at data/buckets/local (git-ignored) that `npm start` serves
// from. The demo data (catalog/demo/data.ts) can fill it through `fillLocalBucket`.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { createFolderStore } from './folder-store.ts';
import { repositoryRoot } from './mirrors.ts';
import type { ObjectStore } from './store.ts';

/** data/buckets/local in the repository. */
export const localBucketPath = resolve(repositoryRoot, 'data', 'buckets', 'local');

export function openLocalBucket(root = localBucketPath): ObjectStore {
  return createFolderStore({ id: 'local', root });
}

/** Writes each object (key = `<ACCESSION>/<path>`) whole, skipping those already there with the same bytes. */
export async function fillLocalBucket(
  objects: Iterable<{ key: string; bytes: Uint8Array }>,
  root = localBucketPath,
): Promise<{ written: number; skipped: number }> {
  const store = openLocalBucket(root);
  let written = 0;
  let skipped = 0;
  for (const { key, bytes } of objects) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = await store.head(key);
    if (existing?.size === bytes.length) {
      const hash = createHash('sha256');
      for await (const chunk of await store.read(key)) hash.update(chunk as Buffer);
      if (hash.digest('hex') === sha256) {
        skipped++;
        continue;
      }
    }
    await store.put(key, bytes, { size: bytes.length, sha256 });
    written++;
  }
  return { written, skipped };
}
