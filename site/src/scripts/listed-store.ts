// A read-only Zarr store over HTTP(S) for zarrita (its `Readable`: get(key) gives the bytes or undefined) that
// knows the image's metadata files from the manifest. Zarr readers probe for metadata that may be absent (a v2
// array's optional .zattrs, a v2 group tried before v3): here those keys are answered without a request, so the
// browser neither waits for nor logs a 404. Chunks are fetched as asked; a missing chunk is the fill value
// (Zarr v2 §"Chunks", v3 §"Chunk storage").
const metadataFile = /(^|\/)(zarr\.json|\.zattrs|\.zgroup|\.zarray|\.zmetadata)$/;

export interface ListedStore {
  readonly url: string;
  get(key: string, options?: { signal?: AbortSignal }): Promise<Uint8Array | undefined>;
}

/** `url` is the image's root folder; `metadataKeys` its metadata files relative to it (site/lib/ome-zarr-images.ts). */
export function createListedStore(url: string, metadataKeys: readonly string[]): ListedStore {
  const base = url.endsWith('/') ? url : `${url}/`;
  const listed = new Set(metadataKeys);
  return {
    url: base,
    async get(key, options) {
      const path = key.replace(/^\/+/, '');
      if (metadataFile.test(path) && !listed.has(path)) return undefined;
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      const response = await fetch(base + encoded, { signal: options?.signal });
      if (response.status === 404 || response.status === 403) return undefined;
      if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${base + encoded}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}
