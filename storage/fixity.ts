// Fixity audit: read the bytes, compare sha256 (and size) with the manifest. Presence and size come from one
// listing per prefix; the bytes of every file (or a sample) are then read in worker threads (a folder store's
// files, or GETs of presigned URLs for S3), so that the main thread never touches them. Objects that no
// manifest lists are reported too.
import { createHash } from 'node:crypto';
import { checkObjectPath } from '../catalog/checks/paths.ts';
import type { Manifest } from '../schemas/index.ts';
import { hasCode, isMirrorDown, messageOf } from './errors.ts';
import { createHashPool, type HashPool } from './hash-pool.ts';
import { printable } from './keys.ts';
import { inShard, type Shard } from './shards.ts';
import { manifestObjects } from './manifest-objects.ts';
import { runTasks } from './run-tasks.ts';
import type { ObjectStore } from './store.ts';

export type FindingCode = 'MISSING' | 'WRONG_SIZE' | 'WRONG_CHECKSUM' | 'UNLISTED' | 'UNREADABLE' | 'UNSAFE_PATH';

export interface Finding {
  mirror: string;
  /** Object key, relative to the mirror's prefix. */
  key: string;
  code: FindingCode;
  message: string;
  /** The entry whose manifest lists the object, when one does. */
  entry?: string;
  expected?: { size?: number; sha256?: string };
  actual?: { size?: number; sha256?: string };
}

export interface ExpectedObject {
  key: string;
  size: number;
  sha256: string;
  entry?: string;
}

export interface AuditResult {
  mirror: string;
  /** Objects the manifests list. */
  objects: number;
  /** Their bytes. */
  bytes: number;
  /** Objects whose bytes were read and hashed. */
  objectsRead: number;
  bytesRead: number;
  findings: Finding[];
  /** Set when the mirror could not be reached: nothing about it is known. */
  unavailable?: string;
}

export interface AuditOptions {
  /** Fraction (0 < f <= 1) of objects whose bytes are read; the others are checked for presence and size. Default 1. */
  sample?: number;
  /** Prefixes whose listing is compared with the manifests for unlisted objects; default: none. */
  unlistedUnder?: string[];
  /** An audit split across jobs: `objects` are this shard's, and only its keys are reported unlisted. */
  shard?: Shard;
  /** Reads in flight for remote stores (default 8, as rclone's --checkers: a GET mostly waits on the server). */
  concurrency?: number;
  pool?: HashPool;
  random?: () => number;
}

/** The objects a manifest lists (its files and derived files), keyed under its location prefix. */
export function expectedObjects(manifest: Manifest, entry?: string): ExpectedObject[] {
  return manifestObjects(manifest).map((file) => ({
    key: manifest.location.prefix + file.path,
    size: file.size,
    sha256: file.sha256,
    entry,
  }));
}

/**
 * Hashes one object's bytes: with a pool, in a worker thread (a folder store's file, or a GET of the store's
 * readUrl); without one, streamed through the hash on this thread.
 */
export async function hashObject(
  store: ObjectStore,
  key: string,
  pool?: HashPool,
  expectedSize?: number,
): Promise<{ size: number; sha256: string }> {
  if (pool && (store.localPath || store.readUrl)) {
    const digest = store.localPath
      ? await pool.hashFile(store.localPath(key))
      : await pool.hashUrl(await store.readUrl!(key), expectedSize);
    return { size: digest.size, sha256: digest.sha256 };
  }
  const hash = createHash('sha256');
  let size = 0;
  // With a known size, size + 1 bytes tell a larger object: nothing past them is read.
  for await (const chunk of await store.read(key, expectedSize === undefined ? {} : { maxBytes: expectedSize + 1 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

function commonPrefixes(objects: ExpectedObject[]): string[] {
  // One listing per top-level folder (the entry prefix), not one HEAD per object.
  return [
    ...new Set(objects.map((o) => (o.key.includes('/') ? o.key.slice(0, o.key.indexOf('/') + 1) : o.key))),
  ].sort();
}

export async function auditStore(
  store: ObjectStore,
  objects: ExpectedObject[],
  options: AuditOptions = {},
): Promise<AuditResult> {
  const result: AuditResult = {
    mirror: store.id,
    objects: objects.length,
    bytes: objects.reduce((s, o) => s + o.size, 0),
    objectsRead: 0,
    bytesRead: 0,
    findings: [],
  };
  const random = options.random ?? Math.random;
  const sample = options.sample ?? 1;
  const listed = new Map<string, number>();
  try {
    for (const prefix of [...new Set([...commonPrefixes(objects), ...(options.unlistedUnder ?? [])])]) {
      for await (const info of store.list(prefix)) listed.set(info.key, info.size);
    }
  } catch (error) {
    result.unavailable = messageOf(error);
    return result;
  }
  const pool = store.localPath || store.readUrl ? (options.pool ?? createHashPool()) : undefined;
  const expectedOf = (object: ExpectedObject) => ({
    mirror: store.id,
    key: object.key,
    ...(object.entry ? { entry: object.entry } : {}),
    expected: { size: object.size, sha256: object.sha256 },
  });
  const toRead: ExpectedObject[] = [];
  for (const object of objects) {
    const finding = (code: FindingCode, message: string, actual?: Finding['actual']): Finding => ({
      mirror: store.id,
      key: object.key,
      code,
      message,
      ...(object.entry ? { entry: object.entry } : {}),
      expected: { size: object.size, sha256: object.sha256 },
      ...(actual ? { actual } : {}),
    });
    // A hostile manifest: a path that could climb out of the prefix is reported, never requested.
    const verdict = checkObjectPath(object.key);
    if (!verdict.ok) {
      result.findings.push({
        ...finding('UNSAFE_PATH', `${verdict.message} (${verdict.code})`),
        key: printable(object.key),
      });
      continue;
    }
    const size = listed.get(object.key);
    if (size === undefined) result.findings.push(finding('MISSING', 'the object is missing'));
    else if (size !== object.size)
      result.findings.push(
        finding('WRONG_SIZE', `the object has ${size} bytes; the manifest says ${object.size}`, { size }),
      );
    else if (sample >= 1 || random() < sample) toRead.push(object);
  }
  try {
    const run = await runTasks(
      toRead,
      async (object) => {
        const actual = await hashObject(store, object.key, pool, object.size);
        result.objectsRead++;
        result.bytesRead += actual.size;
        if (actual.size !== object.size) {
          const read = actual.size > object.size ? `more than ${object.size}` : `only ${actual.size}`;
          const message = `read ${read} bytes; the manifest says ${object.size}`;
          result.findings.push({ ...expectedOf(object), code: 'WRONG_SIZE', message, actual });
        } else if (actual.sha256 !== object.sha256) {
          const message = `sha256 ${actual.sha256} differs from the manifest's ${object.sha256}`;
          result.findings.push({ ...expectedOf(object), code: 'WRONG_CHECKSUM', message, actual });
        }
      },
      { concurrency: store.localPath ? (pool?.threads ?? 2) * 2 : (options.concurrency ?? 8), isFatal: isMirrorDown },
    );
    if (run.fatal) result.unavailable = messageOf(run.fatal);
    for (const { item: object, error } of run.failures) {
      const finding = hasCode(error, 'NOT_FOUND')
        ? { code: 'MISSING' as const, message: 'the object disappeared while the audit ran' }
        : { code: 'UNREADABLE' as const, message: `cannot read the object: ${messageOf(error)}` };
      result.findings.push({ ...expectedOf(object), ...finding });
    }
  } finally {
    if (pool && !options.pool) await pool.close();
  }
  if (options.unlistedUnder) {
    const expected = new Set(objects.map((o) => o.key));
    for (const key of listed.keys()) {
      if (!expected.has(key) && inShard(key, options.shard))
        result.findings.push({
          mirror: store.id,
          key: printable(key),
          code: 'UNLISTED',
          message: 'no manifest lists this object',
          actual: { size: listed.get(key) },
        });
    }
  }
  result.findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.code < b.code ? -1 : 1));
  return result;
}

/** `mirror key: CODE message`, one line. */
export function formatFinding(finding: Finding): string {
  const entry = finding.entry ? ` (entry ${finding.entry})` : '';
  return `${finding.mirror} ${finding.key}: ${finding.code} ${finding.message}${entry}`;
}
