// A bucket in any S3-compatible store (AWS S3, Ceph RADOS Gateway, MinIO...) through @aws-sdk/client-s3 and
// @aws-sdk/lib-storage. The client settings that non-AWS stores need are in createS3Client.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { capBytes, takeBytes } from './byte-limit.ts';
import { MirrorUnavailableError, StorageError } from './errors.ts';
import { toStream } from './folder-store.ts';
import { assertSafePath, assertSafePrefix } from './keys.ts';
import { presignGetUrl } from './presign.ts';
import type { ObjectStore, PutBody } from './store.ts';

/** Bodies up to this size are sent in one PutObject from a buffer; larger ones as multipart (lib-storage). */
export const singlePutLimit = 16 * 1024 * 1024;
/** Multipart part size (bytes) and parts in flight: 4 x 16 MiB bounds the memory of one upload to 64 MiB. */
export const partSize = 16 * 1024 * 1024;
export const partsInFlight = 4;

export interface S3Settings {
  endpoint?: string;
  region?: string;
  /** Omit for anonymous (unsigned) read-only access to a public bucket. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Attempts per request, with the SDK's backoff (default 5). */
  maxAttempts?: number;
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    endpoint: settings.endpoint,
    region: settings.region ?? 'us-east-1',
    // Non-AWS stores serve buckets by path, not by virtual host name.
    forcePathStyle: true,
    maxAttempts: settings.maxAttempts ?? 5,
    ...(settings.credentials
      ? { credentials: settings.credentials }
      : // Anonymous access: requests go unsigned (a public bucket, e.g. a partner's mirror).
        { credentials: { accessKeyId: '', secretAccessKey: '' }, signer: { sign: async (request) => request } }),
    // With the SDK's default (WHEN_SUPPORTED) a streamed body is sent aws-chunked with a trailing
    // CRC32, which RGW answers with 411 and other stores store corrupted. Our own sha256 does the fixity.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export interface S3StoreOptions {
  id: string;
  client: S3Client;
  bucket: string;
  /** Key prefix inside the bucket, '' or ending with '/'. */
  prefix?: string;
}

const metadataKey = 'sha256';

export function createS3Store(options: S3StoreOptions): ObjectStore {
  const { client, bucket, id } = options;
  const prefix = options.prefix ?? '';
  assertSafePrefix(prefix);
  const keyOf = (key: string) => {
    assertSafePath(key);
    return prefix + key;
  };
  const where = `s3 bucket ${bucket}${prefix ? `/${prefix}` : ''}`;

  /** Turns network failures into MirrorUnavailableError; a store that answers keeps its own error. */
  const failed = (what: string, error: unknown): Error => {
    if (error instanceof S3ServiceException)
      return new StorageError(
        `S3_${error.name}`,
        `${id}: ${what}: ${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'}): ${error.message}`,
        { cause: error },
      );
    return new MirrorUnavailableError(
      id,
      `mirror '${id}' (${where}) did not answer: ${what}: ${(error as Error).message}`,
      { cause: error },
    );
  };

  return {
    id,
    kind: 's3',
    where,
    async head(key) {
      const Key = keyOf(key);
      try {
        const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key }));
        const sha256 = out.Metadata?.[metadataKey];
        return { key, size: out.ContentLength ?? 0, ...(sha256 ? { sha256 } : {}) };
      } catch (error) {
        if (
          error instanceof S3ServiceException &&
          (error.name === 'NotFound' || error.$metadata.httpStatusCode === 404)
        )
          return undefined;
        throw failed(`HEAD ${key}`, error);
      }
    },
    async *list(listPrefix) {
      let token: string | undefined;
      do {
        let page;
        try {
          page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix + listPrefix, ContinuationToken: token }),
          );
        } catch (error) {
          throw failed(`LIST ${listPrefix}`, error);
        }
        for (const item of page.Contents ?? [])
          if (item.Key) yield { key: item.Key.slice(prefix.length), size: item.Size ?? 0 };
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
    async read(key, readOptions) {
      const Key = keyOf(key);
      const max = readOptions?.maxBytes;
      if (max !== undefined && max <= 0) return Readable.from([]);
      try {
        // RFC 9110 §14.1.2: bytes=0-(max-1) asks for the first max bytes; the store sends no more than that.
        const out = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key, ...(max !== undefined ? { Range: `bytes=0-${max - 1}` } : {}) }),
        );
        const body = out.Body as Readable;
        // A store that ignores Range (200 with the whole object) is still read only up to max bytes.
        return max !== undefined ? takeBytes(body, max) : body;
      } catch (error) {
        if (
          error instanceof S3ServiceException &&
          (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
        )
          throw new StorageError('NOT_FOUND', `${id}: no object ${key}`, { cause: error });
        // RFC 9110 §15.5.17: a range starting at byte 0 is unsatisfiable only when the object is empty.
        if (max !== undefined && error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416)
          return Readable.from([]);
        throw failed(`GET ${key}`, error);
      }
    },
    async readUrl(key) {
      const Key = keyOf(key);
      const endpoint = await client.config.endpoint?.();
      if (!endpoint)
        throw new StorageError('NO_ENDPOINT', `${id}: no endpoint configured; cannot build a URL for ${key}`);
      const [region, credentials] = await Promise.all([client.config.region(), client.config.credentials()]);
      return presignGetUrl({ endpoint, region, bucket, key: Key, credentials });
    },
    async put(key, body, put) {
      const Key = keyOf(key);
      const common = {
        Bucket: bucket,
        Key,
        ContentType: put.contentType ?? 'application/octet-stream',
        ...(put.cacheControl ? { CacheControl: put.cacheControl } : {}),
        ...(put.contentEncoding ? { ContentEncoding: put.contentEncoding } : {}),
        Metadata: { [metadataKey]: put.sha256 },
      };
      try {
        if (put.size <= singlePutLimit) {
          // Buffered: a streamed PutObject body (aws-chunked, see createS3Client) is what non-AWS stores mishandle.
          const bytes = await toBuffer(body, put.size, `${id}: ${key}`);
          if (bytes.length !== put.size)
            throw new StorageError(
              'SIZE_MISMATCH',
              `${id}: ${key}: got ${bytes.length} bytes, expected ${put.size}; nothing stored`,
            );
          await client.send(new PutObjectCommand({ ...common, Body: bytes, ContentLength: bytes.length }));
        } else {
          const upload = new Upload({
            client,
            params: { ...common, Body: capped(body, put.size, `${id}: ${key}`) },
            partSize,
            queueSize: partsInFlight,
            leavePartsOnError: false,
          });
          await upload.done();
          // The stream's length is only known once read: check what arrived (RGW's multipart ETag is empty,
          // HEAD is right), and delete an object of the wrong size rather than keep it under its real key.
          const stored = await this.head(key);
          if (stored?.size !== put.size) {
            await this.delete(key);
            throw new StorageError(
              'SIZE_MISMATCH',
              `${id}: ${key}: stored ${stored?.size ?? 0} bytes, expected ${put.size}; removed`,
            );
          }
        }
      } catch (error) {
        if (error instanceof StorageError) throw error;
        throw failed(`PUT ${key}`, error);
      }
    },
    async delete(key) {
      const Key = keyOf(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      } catch (error) {
        throw failed(`DELETE ${key}`, error);
      }
    },
  };
}

/**
 * The body in memory, for a single PutObject: a stream is read up to `size` + 1 bytes and no further, so a
 * body longer than promised costs no more memory than the promise (SIZE_MISMATCH, the stream destroyed).
 */
async function toBuffer(body: PutBody, size: number, what: string): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  // A file is read up to size + 1 bytes too (`end` is inclusive).
  const stream = 'file' in body ? createReadStream(body.file, { start: 0, end: size }) : body.stream;
  const chunks: Buffer[] = [];
  let seen = 0;
  try {
    for await (const chunk of stream) {
      seen += (chunk as Buffer).length;
      if (seen > size)
        throw new StorageError(
          'SIZE_MISMATCH',
          `${what}: more than the expected ${size} bytes arrived; nothing stored`,
        );
      chunks.push(chunk as Buffer);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** The body as a stream that fails (SIZE_MISMATCH) once more than `size` bytes pass; source errors carried over. */
function capped(body: PutBody, size: number, what: string): Readable {
  const source = toStream(body);
  const cap = capBytes(size, what);
  // pipe() does not forward errors: a source that fails mid-way must fail the upload, not end it early.
  source.on('error', (error) => cap.destroy(error));
  cap.on('error', () => source.destroy());
  return source.pipe(cap);
}
