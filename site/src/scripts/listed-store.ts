// A read-only Zarr store over HTTP(S) for zarrita (its `Readable`: get(key) gives the bytes or undefined) that
// knows the image's metadata files from the manifest. Zarr readers probe for metadata that may be absent (a v2
// array's optional .zattrs, a v2 group tried before v3): here those keys are answered without a request, so the
// browser neither waits for nor logs a 404. Chunks are fetched as asked; a missing chunk is the fill value
// (Zarr v2 §"Chunks", v3 §"Chunk storage").
const metadataFile = /(^|\/)(zarr\.json|\.zattrs|\.zgroup|\.zarray|\.zmetadata)$/;

/** Chunks kept in memory, most recently used last: a z plane or a pan within chunks already read costs no request. */
const cacheBytes = 64 * 1024 * 1024;

export interface ListedStore {
  readonly url: string;
  get(key: string, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
}

/** `url` is the image's root folder; `metadataKeys` its metadata files relative to it (site/lib/ome-zarr-images.ts). */
export function createListedStore(url: string, metadataKeys: readonly string[]): ListedStore {
  const base = url.endsWith('/') ? url : `${url}/`;
  const listed = new Set(metadataKeys);
  const cache = new Map<string, Uint8Array | undefined>();
  let cached = 0;
  function remember(path: string, bytes: Uint8Array | undefined): void {
    cache.set(path, bytes);
    cached += bytes?.byteLength ?? 0;
    for (const [oldest, value] of cache) {
      if (cached <= cacheBytes) break;
      cache.delete(oldest);
      cached -= value?.byteLength ?? 0;
    }
  }
  return {
    url: base,
    async get(key, options) {
      const path = key.replace(/^\/+/, '');
      if (metadataFile.test(path) && !listed.has(path)) return undefined;
      // A dataset path in the image's metadata is the image's to choose, but not a way out of its folder.
      if (path.split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
      if (cache.has(path)) {
        const bytes = cache.get(path);
        cache.delete(path);
        cache.set(path, bytes);
        return bytes;
      }
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      const response = await fetch(base + encoded, { signal: options?.signal });
      let bytes: Uint8Array | undefined;
      if (response.status === 404 || response.status === 403) bytes = undefined;
      else if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${base + encoded}`);
      else bytes = new Uint8Array(await response.arrayBuffer());
      remember(path, bytes);
      return bytes;
    },
  };
}
