// A ByteSource over a local file (Node only: kept apart from byte-source.ts so that a browser bundle of the
// readers never pulls in node:fs).
import { open } from 'node:fs/promises';
import type { ByteSource } from './byte-source.ts';

/**
 * Opens `path` for range reads; `name` is what readers and messages call it (default the path). Close it when
 * done: each source holds one file descriptor.
 */
export async function openFileSource(path: string, name = path): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name,
    size,
    read: async (offset, length) => {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}
