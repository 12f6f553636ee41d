// Byte bounds on streams. A manifest states each file's size; a source that holds more (a partner's mirror,
// a replaced file, a server that streams forever) is read only up to that size plus one byte, which is enough
// to know it is wrong, and a body written to a store never grows past the size it was promised.
import { Readable, Transform } from 'node:stream';
import { StorageError } from './errors.ts';

/**
 * The first `maxBytes` bytes of `source`, then the end: nothing past them is read, and `source` is destroyed
 * (which closes an HTTP connection or a file).
 */
export function takeBytes(source: Readable, maxBytes: number): Readable {
  async function* take(): AsyncGenerator<Buffer> {
    let left = maxBytes;
    try {
      if (left <= 0) return;
      for await (const chunk of source) {
        const bytes = chunk as Buffer;
        if (bytes.length >= left) {
          yield bytes.subarray(0, left);
          return;
        }
        left -= bytes.length;
        yield bytes;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(take(), { objectMode: false });
}

/**
 * Passes bytes through and fails with StorageError SIZE_MISMATCH as soon as more than `size` have arrived, so
 * a writer behind it receives at most `size` bytes. `what` names the object in the message.
 */
export function capBytes(size: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > size)
        callback(
          new StorageError('SIZE_MISMATCH', `${what}: more than the expected ${size} bytes arrived; nothing stored`),
        );
      else callback(null, chunk);
    },
  });
}
