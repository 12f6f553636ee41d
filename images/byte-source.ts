// Where a reader gets its bytes: a function that reads a byte range of one file, so that the same reader works
// on a local file, an object in a mirror or a partner's URL. Readers read headers only, never pixel data; the
// bounded source holds them to it, whatever offsets and counts a hostile file announces.
import { ImageReadError } from './errors.ts';

/** Reads `length` bytes from `offset`; may return fewer at the end of the file. */
export type ReadRange = (offset: number, length: number) => Promise<Uint8Array>;

/** One file as a reader sees it. */
export interface ByteSource {
  /** The file's name or path, for format detection by extension and for messages. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  readonly read: ReadRange;
}

export interface ByteBudget {
  /** Largest single read, in bytes (default 16 MiB: the largest OME-XML of a real plate fits). */
  maxRead?: number;
  /** Bytes read from one file in all, in bytes (default 64 MiB). */
  maxTotal?: number;
}

const defaultMaxRead = 16 * 1024 * 1024;
const defaultMaxTotal = 64 * 1024 * 1024;

/**
 * The source with its reads clamped to the file and counted: a read past the end returns what there is, and a
 * read beyond the budget is a TOO_LARGE error rather than an allocation the file asked for.
 */
export function boundedSource(source: ByteSource, budget: ByteBudget = {}): ByteSource {
  const maxRead = budget.maxRead ?? defaultMaxRead;
  const maxTotal = budget.maxTotal ?? defaultMaxTotal;
  let total = 0;
  const read: ReadRange = async (offset, length) => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0)
      throw new ImageReadError('MALFORMED', `${source.name}: a header points to byte ${offset}, which cannot be`);
    const available = Math.max(0, Math.min(length, source.size - offset));
    if (available > maxRead)
      throw new ImageReadError('TOO_LARGE', `${source.name}: a header asks to read ${length} bytes at once`);
    total += available;
    if (total > maxTotal)
      throw new ImageReadError('TOO_LARGE', `${source.name}: its headers ask to read more than ${maxTotal} bytes`);
    if (available === 0) return new Uint8Array(0);
    try {
      return await source.read(offset, available);
    } catch (error) {
      throw new ImageReadError('READ_FAILED', `${source.name}: cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
  return { name: source.name, size: source.size, read };
}

/** A source over bytes in memory (tests, and files already read whole). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}
