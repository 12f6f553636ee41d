// Where a conversion's files go: any key-value store of bytes (an object store, a folder, memory). Keys are
// relative to the image's root, e.g. `zarr.json`, `0/c/0/0/0`.

export interface ChunkStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, bytes: Uint8Array): Promise<void>;
  /** For a store that writes in the background: resolves once every write so far is stored. */
  drain?(): Promise<void>;
}

/** A store in memory, for tests and for the metadata held back until every chunk is written. */
export function createMemoryStore(): ChunkStore & { entries: Map<string, Uint8Array> } {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    async get(key) {
      return entries.get(key);
    },
    async set(key, bytes) {
      entries.set(key, bytes);
    },
  };
}

/** The metadata file names of Zarr v3 (`zarr.json`) and v2 (`.zarray`, `.zattrs`, `.zgroup`). */
export const isMetadataKey = (key: string): boolean => /(^|\/)(zarr\.json|\.zarray|\.zattrs|\.zgroup)$/.test(key);

/**
 * A store that passes chunks through and holds metadata back until `flush`: a conversion cut short leaves chunks
 * and no metadata, so no reader takes it for an image (Zarr v3 core §storage: a node exists by its metadata).
 */
export function holdingMetadata(store: ChunkStore): ChunkStore & { flush(): Promise<void> } {
  const held = new Map<string, Uint8Array>();
  return {
    async get(key) {
      return held.get(key) ?? (await store.get(key));
    },
    async set(key, bytes) {
      if (isMetadataKey(key)) held.set(key, bytes);
      else await store.set(key, bytes);
    },
    async flush() {
      await store.drain?.();
      // Arrays before the root group: the root's metadata is what makes the image visible.
      const keys = [...held.keys()].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
      for (const key of keys) {
        await store.set(key, held.get(key)!);
        await store.drain?.();
      }
      held.clear();
    },
  };
}
