// Federation: the files of an entry harvested in bic_full from another instance of this catalogue. The harvested
// record carries the partner's manifest (path, size, sha256); the partner's public mirror (harvester/partners.yaml
// `files`: an HTTP base URL, or an S3 endpoint and bucket read anonymously) is the source. Each file is copied
// into one of our mirrors under partners/<partner>/<partner's prefix> and its bytes are hashed on the way: a copy
// whose sha256 differs from the partner's manifest is removed again and reported, never kept.
import type { Manifest, Partner } from '../schemas/index.ts';
import { hasCode, isMirrorDown, messageOf, SourceCorruptError, StorageError } from './errors.ts';
import type { ExpectedObject } from './fixity.ts';
import { hashObject } from './fixity.ts';
import type { HashPool } from './hash-pool.ts';
import { createHttpStore } from './http-store.ts';
import { findPathCollisions } from '../catalog/checks/paths.ts';
import { assertSafePrefix, printable, unsafePathProblem } from './keys.ts';
import { manifestObjects, type ManifestObject } from './manifest-objects.ts';
import { copyObject, describeCorruption } from './replicate.ts';
import { runTasks } from './run-tasks.ts';
import { createS3Client, createS3Store } from './s3-store.ts';
import type { ObjectStore } from './store.ts';

export type PartnerFiles = NonNullable<Partner['files']>;

/** Where a partner's files go in our mirrors: apart from our own accessions' prefixes. */
export function federatedPrefix(partner: string, manifest: Manifest): string {
  const prefix = `partners/${partner}/${manifest.location.prefix}`;
  assertSafePrefix(prefix);
  return prefix;
}

/** The partner's public mirror as a read-only store (anonymous S3, or HTTP). */
export function openPartnerStore(
  partner: string,
  files: PartnerFiles | undefined,
  options: { fetch?: typeof fetch; allowPrivateNetwork?: boolean } = {},
): ObjectStore {
  const id = `partner:${partner}`;
  if (files?.baseUrl && !files.endpoint)
    return createHttpStore({
      id,
      baseUrl: files.baseUrl,
      prefix: files.prefix ?? '',
      fetch: options.fetch,
      allowPrivateNetwork: options.allowPrivateNetwork,
    });
  if (files?.endpoint && files.bucket && !files.baseUrl) {
    // No credentials: requests go unsigned, as a public bucket expects (createS3Client's anonymous mode).
    return createS3Store({
      id,
      client: createS3Client({ endpoint: files.endpoint, region: files.region }),
      bucket: files.bucket,
      prefix: files.prefix ?? '',
    });
  }
  throw new StorageError(
    'PARTNER_FILES_MISSING',
    files
      ? `partner '${partner}': \`files\` in harvester/partners.yaml ` +
          'must give either baseUrl or endpoint and bucket, not both'
      : `partner '${partner}' has no \`files\` in harvester/partners.yaml, so its public mirror is unknown. ` +
          'Fix: add files: { baseUrl: https://... } or files: { endpoint: https://..., bucket: NAME } to that partner',
  );
}

export interface FederatedProblem {
  /** The file's path in the partner's manifest. */
  path: string;
  code: 'UNSAFE_PATH' | 'MISSING_AT_PARTNER' | 'SOURCE_CORRUPT' | 'COPY_FAILED';
  message: string;
}

export interface FederatedResult {
  from: string;
  to: string;
  /** Key prefix of the copies in our mirror. */
  prefix: string;
  files: number;
  copied: number;
  bytesCopied: number;
  /** Already in our mirror with the partner's size and sha256. */
  present: number;
  problems: FederatedProblem[];
  /** Set when the partner's mirror or ours stopped answering. */
  unavailable?: string;
}

export interface FederatedOptions {
  partner: string;
  manifest: Manifest;
  /** The partner's public mirror (openPartnerStore). */
  source: ObjectStore;
  /** One of our mirrors. */
  target: ObjectStore;
  /** Copies in flight (default 4). */
  concurrency?: number;
  /** For folder targets: files already there are hashed in its workers. */
  pool?: HashPool;
  onProgress?: (bytes: number, total: number) => void;
}

/** Is our copy already right? Recorded sha256 (S3 metadata) or, without one, the bytes. */
async function present(
  target: ObjectStore,
  key: string,
  file: { size: number; sha256: string },
  pool?: HashPool,
): Promise<boolean> {
  const info = await target.head(key);
  if (!info || info.size !== file.size) return false;
  if (info.sha256 !== undefined) return info.sha256 === file.sha256;
  return (await hashObject(target, key, pool, file.size)).sha256 === file.sha256;
}

/** Copies every file of the partner's manifest that our mirror lacks, verified against the partner's sha256. */
export async function replicateFederated(options: FederatedOptions): Promise<FederatedResult> {
  const { manifest, source, target } = options;
  const prefix = federatedPrefix(options.partner, manifest);
  assertSafePrefix(manifest.location.prefix);
  const objects = manifestObjects(manifest);
  const sourceObject = (file: ManifestObject): ExpectedObject => ({
    key: manifest.location.prefix + file.path,
    size: file.size,
    sha256: file.sha256,
  });
  const result: FederatedResult = {
    from: source.id,
    to: target.id,
    prefix,
    files: objects.length,
    copied: 0,
    bytesCopied: 0,
    present: 0,
    problems: [],
  };
  const total = objects.reduce((s, f) => s + f.size, 0);
  let done = 0;
  // Two paths that one case-insensitive mirror would store as one file: the first is copied, the later one is not.
  const colliding = new Map(findPathCollisions(objects.map((f) => f.path)).map((c) => [c.index, c]));
  const run = await runTasks(
    objects,
    async (file, index) => {
      // The partner's manifest is untrusted: a path that could leave the prefix is reported, never requested.
      const collision = colliding.get(index);
      const collided = collision && `${collision.message} (${collision.code}); not copied`;
      const unsafe = collided
        ? { path: printable(file.path), code: 'UNSAFE_PATH' as const, message: collided }
        : unsafePathProblem(file.path, 'not copied');
      if (unsafe) {
        result.problems.push(unsafe);
        return;
      }
      const targetKey = prefix + file.path;
      try {
        if (await present(target, targetKey, file, options.pool)) result.present++;
        else {
          await copyObject(source, target, sourceObject(file), targetKey);
          result.copied++;
          result.bytesCopied += file.size;
        }
      } finally {
        done += file.size;
        options.onProgress?.(done, total);
      }
    },
    { concurrency: options.concurrency ?? 4, isFatal: isMirrorDown },
  );
  if (run.fatal) result.unavailable = messageOf(run.fatal);
  for (const { item: file, error } of run.failures) {
    const { path } = file;
    if (hasCode(error, 'NOT_FOUND', 'S3_NoSuchKey')) {
      const message = `the partner's mirror has no ${sourceObject(file).key}`;
      result.problems.push({ path, code: 'MISSING_AT_PARTNER', message });
    } else if (error instanceof SourceCorruptError) {
      result.problems.push({ path, code: 'SOURCE_CORRUPT', message: describeCorruption("the partner's", error) });
    } else result.problems.push({ path, code: 'COPY_FAILED', message: messageOf(error) });
  }
  result.problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
