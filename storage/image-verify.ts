// `mirror verify --images`: each image file's header read again from a mirror and compared with the `image` the
// manifest recorded when it was made. A difference means the object is not the file that was described (or the
// reader changed its reading: docs/images.md says which fields it reads).
import { isDeepStrictEqual } from 'node:util';
import type { Readable } from 'node:stream';
import { openFileSource } from '../images/byte-source-fs.ts';
import type { ByteSource } from '../images/byte-source.ts';
import { ImageReadError } from '../images/errors.ts';
import { readOmeZarr } from '../images/ome-zarr.ts';
import { readImageMetadata } from '../images/read-image.ts';
import type { ImageMetadata, Manifest } from '../schemas/index.ts';
import { hasCode } from './errors.ts';
import type { ObjectStore } from './store.ts';

export type ImageFindingCode = 'IMAGE_METADATA_DIFFERS' | 'IMAGE_UNREADABLE';

export interface ImageFinding {
  mirror: string;
  /** Object key, relative to the mirror's prefix. */
  key: string;
  code: ImageFindingCode;
  message: string;
  entry?: string;
}

/** Largest OME-Zarr metadata object read (bytes). */
const maxJsonBytes = 4 * 1024 * 1024;

async function collect(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * A byte source over one object. A folder store's file is read by range; other stores only read from the
 * start (ObjectStore.read's maxBytes), so the source keeps the longest prefix fetched and serves every range
 * inside it. A header near the end of a large object is fetched with all that precedes it, within the reader's
 * byte budget (images/byte-source.ts).
 */
async function objectSource(store: ObjectStore, key: string, size: number) {
  if (store.localPath) return openFileSource(store.localPath(key), key);
  let prefix: Uint8Array = new Uint8Array(0);
  const source: ByteSource & { close(): Promise<void> } = {
    name: key,
    size,
    read: async (offset, length) => {
      const end = Math.min(size, offset + length);
      if (end > prefix.length) prefix = await collect(await store.read(key, { maxBytes: Math.max(end, 64 * 1024) }));
      return prefix.subarray(offset, end);
    },
    close: async () => {},
  };
  return source;
}

/** A one-line summary of what an image's metadata says, for messages. */
export function describeImage(image: ImageMetadata | undefined): string {
  if (!image) return 'no image';
  const axes = (image.axes ?? []).map(
    (a) => `${a.name}${a.size}${a.physicalSize ? `@${a.physicalSize}${a.unit ?? ''}` : ''}`,
  );
  return [image.format, image.status, ...axes, image.dataType ?? ''].filter(Boolean).join(' ');
}

/** Reads every image of `manifest` from `store` and reports those whose metadata differs from the manifest's. */
export async function verifyImages(store: ObjectStore, manifest: Manifest, entry?: string): Promise<ImageFinding[]> {
  const findings: ImageFinding[] = [];
  const prefix = manifest.location.prefix;
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const file of manifest.files) {
    if (!file.image) continue;
    const key = prefix + file.path;
    let read: ImageMetadata | undefined;
    try {
      if (file.format === 'OME-Zarr') {
        const root = file.path.slice(0, file.path.lastIndexOf('/') + 1);
        const result = await readOmeZarr(async (path) => {
          const member = listed.get(root + path);
          if (!member || member.size > maxJsonBytes) return undefined;
          try {
            return new TextDecoder().decode(await collect(await store.read(prefix + root + path)));
          } catch (error) {
            if (hasCode(error, 'NOT_FOUND')) return undefined;
            throw error;
          }
        });
        read = result.metadata;
      } else {
        const source = await objectSource(store, key, file.size);
        try {
          read = await readImageMetadata(source);
        } finally {
          await source.close();
        }
      }
    } catch (error) {
      if (!(error instanceof ImageReadError) && !hasCode(error, 'NOT_FOUND')) throw error;
      findings.push({ mirror: store.id, key, code: 'IMAGE_UNREADABLE', message: (error as Error).message, entry });
      continue;
    }
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(read ?? null)), file.image))
      findings.push({
        mirror: store.id,
        key,
        code: 'IMAGE_METADATA_DIFFERS',
        message: `the manifest says ${describeImage(file.image)}; the object says ${describeImage(read)}`,
        entry,
      });
  }
  return findings;
}
