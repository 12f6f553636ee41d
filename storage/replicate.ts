// Replication as plan() then apply(). The plan compares one listing of the target with what the catalogue
// lists: objects missing or of the wrong size are copied; nothing is deleted except the objects of withdrawn
// entries whose tombstone allows it, and at most `maxDeletions` of those per run. Copies go through rclone
// when it is installed (its JSON log read for results) and through the SDK otherwise; an interrupted run
// leaves only whole objects (temp-then-rename, multipart completed or aborted), so the next run completes it.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Mirror } from '../schemas/index.ts';
import { hasCode, isMirrorDown, messageOf, SourceCorruptError } from './errors.ts';
import type { ExpectedObject } from './fixity.ts';
import { hashObject } from './fixity.ts';
import { rcloneAvailable, rcloneCopy } from './rclone.ts';
import { runTasks } from './run-tasks.ts';
import type { ObjectStore } from './store.ts';

export interface SyncPlan {
  from: string;
  to: string;
  copy: ExpectedObject[];
  /** Objects already on the target with the right size. */
  present: number;
  delete: ExpectedObject[];
  /** Deletions allowed but left for later runs by the per-run bound. */
  deletionsDeferred: number;
  /** Objects the catalogue lists that the source itself lacks (cannot be copied from it). */
  missingAtSource: ExpectedObject[];
}

export interface SyncResult extends SyncPlan {
  copied: number;
  bytesCopied: number;
  deleted: number;
  failed: Array<{ key: string; message: string }>;
  via: 'rclone' | 'sdk' | 'none';
  /** Set when a store did not answer. */
  unavailable?: string;
}

async function listing(store: ObjectStore, prefixes: string[]): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const prefix of prefixes) for await (const info of store.list(prefix)) map.set(info.key, info.size);
  return map;
}

const topPrefixes = (objects: ExpectedObject[]) =>
  [...new Set(objects.map((o) => o.key.slice(0, o.key.indexOf('/') + 1)))].sort();

/** The plan: what to copy and what to delete. Lists both stores once per entry prefix. */
export async function planSync(options: {
  source: ObjectStore;
  target: ObjectStore;
  objects: ExpectedObject[];
  deletable?: ExpectedObject[];
  maxDeletions?: number;
}): Promise<SyncPlan> {
  const { source, target, objects } = options;
  const prefixes = topPrefixes([...objects, ...(options.deletable ?? [])]);
  const [atSource, atTarget] = await Promise.all([listing(source, prefixes), listing(target, prefixes)]);
  const plan: SyncPlan = {
    from: source.id,
    to: target.id,
    copy: [],
    present: 0,
    delete: [],
    deletionsDeferred: 0,
    missingAtSource: [],
  };
  for (const object of objects) {
    if (atTarget.get(object.key) === object.size) plan.present++;
    else if (atSource.get(object.key) !== object.size) plan.missingAtSource.push(object);
    else plan.copy.push(object);
  }
  const maxDeletions = options.maxDeletions ?? 100;
  for (const object of options.deletable ?? []) {
    if (!atTarget.has(object.key)) continue;
    if (plan.delete.length < maxDeletions) plan.delete.push(object);
    else plan.deletionsDeferred++;
  }
  return plan;
}

/**
 * Copies one object through this process, hashing the bytes on the way: a copy whose bytes do not match the
 * manifest's sha256 is removed from the target again and reported (a corrupt source is never replicated).
 * `targetKey` (default: the same key) places the copy elsewhere, e.g. a partner's files under partners/<id>/.
 */
export async function copyObject(
  source: ObjectStore,
  target: ObjectStore,
  object: ExpectedObject,
  targetKey = object.key,
): Promise<void> {
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk as Buffer);
      callback(null, chunk);
    },
  });
  // The manifest's size plus one byte: enough to tell a larger source, and nothing past it is fetched.
  const bytes = await source.read(object.key, { maxBytes: object.size + 1 });
  // pipe() does not forward errors: a source that fails mid-way must fail the put, not end it early.
  bytes.on('error', (error) => tap.destroy(error));
  const body = bytes.pipe(tap);
  try {
    await target.put(targetKey, { stream: body }, { size: object.size, sha256: object.sha256 });
  } catch (error) {
    bytes.destroy();
    if (hasCode(error, 'SIZE_MISMATCH')) throw sourceCorrupt(object, {}, { cause: error });
    throw error;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== object.sha256) {
    await target.delete(targetKey);
    throw sourceCorrupt(object, { sha256 });
  }
}

function sourceCorrupt(object: ExpectedObject, actual: { sha256?: string }, options?: { cause?: unknown }) {
  const expected = { size: object.size, sha256: object.sha256 };
  const message = describeCorruption("the source's", { key: object.key, expected, actual });
  return new SourceCorruptError(object.key, expected, actual, message, options);
}

/** What a SourceCorruptError found, naming whose copy it was ("the source's", "the partner's"). */
export function describeCorruption(whose: string, error: Pick<SourceCorruptError, 'key' | 'expected' | 'actual'>) {
  const { key, expected, actual } = error;
  if (actual.sha256 === undefined) {
    return `${whose} copy of ${key} does not have the manifest's ${expected.size} bytes; not replicated`;
  }
  return `${whose} copy has sha256 ${actual.sha256}, not the manifest's ${expected.sha256}; not replicated`;
}

export interface ApplyOptions {
  source: ObjectStore;
  target: ObjectStore;
  /** Mirror configurations, for rclone (both needed); without them the SDK copies. */
  mirrors?: { from: Mirror; to: Mirror; base: string; env?: NodeJS.ProcessEnv };
  /** 'auto' (rclone when installed), 'rclone' or 'sdk'. */
  engine?: 'auto' | 'rclone' | 'sdk';
  concurrency?: number;
  onProgress?: (bytes: number, total: number) => void;
}

export async function applySync(plan: SyncPlan, options: ApplyOptions): Promise<SyncResult> {
  const result: SyncResult = { ...plan, copied: 0, bytesCopied: 0, deleted: 0, failed: [], via: 'none' };
  const total = plan.copy.reduce((s, o) => s + o.size, 0);
  const useRclone =
    plan.copy.length > 0 &&
    options.mirrors &&
    options.engine !== 'sdk' &&
    (options.engine === 'rclone' || (await rcloneAvailable()));
  if (useRclone && options.mirrors) {
    result.via = 'rclone';
    const copied = await rcloneCopy({
      from: options.mirrors.from,
      to: options.mirrors.to,
      base: options.mirrors.base,
      env: options.mirrors.env,
      keys: plan.copy.map((o) => o.key),
      onProgress: (bytes) => options.onProgress?.(bytes, total),
    });
    const failedKeys = new Set(copied.failed.map((f) => f.key));
    result.failed.push(...copied.failed);
    result.copied = plan.copy.filter((o) => !failedKeys.has(o.key)).length;
    result.bytesCopied = copied.bytes;
  } else if (plan.copy.length > 0) {
    result.via = 'sdk';
    const run = await runTasks(
      plan.copy,
      async (object) => {
        await copyObject(options.source, options.target, object);
        result.copied++;
        result.bytesCopied += object.size;
        options.onProgress?.(result.bytesCopied, total);
      },
      { concurrency: options.concurrency ?? 4, isFatal: isMirrorDown },
    );
    if (run.fatal) result.unavailable = messageOf(run.fatal);
    for (const { item, error } of run.failures) result.failed.push({ key: item.key, message: messageOf(error) });
  }
  for (const object of plan.delete) {
    try {
      await options.target.delete(object.key);
      result.deleted++;
    } catch (error) {
      result.failed.push({ key: object.key, message: `delete failed: ${messageOf(error)}` });
    }
  }
  return result;
}

export interface RepairAction {
  key: string;
  problem: string;
  /** The mirror whose verified copy replaced it; undefined when none verifies. */
  from?: string;
  ok: boolean;
  message: string;
}

/**
 * Replaces bad or missing objects on `target` from the first other store whose copy verifies against the
 * manifest (bytes read, sha256 compared), then verifies the new copy.
 */
export async function repairObjects(
  target: ObjectStore,
  broken: Array<{ object: ExpectedObject; problem: string }>,
  others: ObjectStore[],
): Promise<RepairAction[]> {
  const actions: RepairAction[] = [];
  for (const { object, problem } of broken) {
    let action: RepairAction = {
      key: object.key,
      problem,
      ok: false,
      message: 'no other mirror has a copy that verifies',
    };
    for (const other of others) {
      try {
        const digest = await hashObject(other, object.key);
        if (digest.size !== object.size || digest.sha256 !== object.sha256) continue;
        await copyObject(other, target, object);
        const after = await hashObject(target, object.key);
        action =
          after.sha256 === object.sha256 && after.size === object.size
            ? { key: object.key, problem, from: other.id, ok: true, message: `replaced from ${other.id} and verified` }
            : {
                key: object.key,
                problem,
                from: other.id,
                ok: false,
                message: `copied from ${other.id} but the copy does not verify`,
              };
        break;
      } catch {
        // This mirror has no good copy (or is down): try the next one.
      }
    }
    actions.push(action);
  }
  return actions;
}
