// The one storage interface. Two implementations: a local folder (folder-store.ts, the embedded default) and
// any S3-compatible store (s3-store.ts). One contract test suite (test/storage/store-contract.test.ts) holds
// both to the same behaviour.
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  /** Key relative to the store's prefix, e.g. `BIC0000013/images/a.ome.tiff`. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 recorded with the object when it was written (S3 user metadata); absent when unknown. */
  sha256?: string;
}

export interface PutOptions {
  /** Expected size in bytes; a body of another size is refused and nothing is stored. */
  size: number;
  /** SHA-256 from the manifest, kept with the object (S3 metadata `x-amz-meta-sha256`). */
  sha256: string;
  /** MIME type, default application/octet-stream. */
  contentType?: string;
  /**
   * HTTP headers a bucket serves the object with (S3 system metadata; RFC 9111 §5.2, RFC 9110 §8.4). A folder
   * store ignores them: the web server in front of a folder sets its own.
   */
  cacheControl?: string;
  contentEncoding?: string;
}

export interface ReadOptions {
  /**
   * Read at most this many bytes: the stream ends there and the rest is never fetched (an HTTP Range request
   * where the store takes one). Callers that know the size ask for size + 1, enough to tell a larger object.
   */
  maxBytes?: number;
}

/** What to store: bytes, a file on disk, or a stream (read once). */
export type PutBody = Uint8Array | { file: string } | { stream: Readable };

export interface ObjectStore {
  /** The mirror id, for messages. */
  readonly id: string;
  /** folder and s3 are read-write; http (a partner's public mirror) is read-only. */
  readonly kind: 'folder' | 's3' | 'http';
  /** Where the store is, for messages (never credentials). */
  readonly where: string;
  /** The object's size and recorded sha256, or undefined when there is no such object. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object whose key starts with `prefix` ('' for all), in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** The object's bytes (at most `options.maxBytes`); throws StorageError NOT_FOUND when absent. */
  read(key: string, options?: ReadOptions): Promise<Readable>;
  /** Stores an object whole or not at all. */
  put(key: string, body: PutBody, options: PutOptions): Promise<void>;
  /** Deletes an object; deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** For folder stores: the file behind a key, so that hashing can run in worker threads. */
  localPath?(key: string): string;
  /**
   * A URL from which anyone holding it can GET the object for a while (S3: a presigned URL; a public
   * mirror: the plain URL), so that a worker thread can fetch and hash the bytes off the main thread.
   */
  readUrl?(key: string): Promise<string>;
}
