// Which harvested records may already have a file, without asking the file system for each record: a Bloom filter
// (B. H. Bloom, "Space/time trade-offs in hash coding with allowable errors", CACM 13(7), 1970) over harvested ids.
// It is filled from the partner's folder when the harvest starts and with every record handed to the writer, so
// "no" is certain (the file does not exist, nothing to read) and only "maybe" is checked on disk. A stat per
// record costs more than the crosswalk on a fresh harvest, where nearly every answer is "no".
// The ids are harvestedId()s: `<partner>.<16 base32 characters of a SHA-256>`, so their last characters are already
// uniformly distributed: the filter reads its three bit positions from them instead of hashing again.

/** 2^25 bits (4 MiB): at 1,000,000 records, three positions per id answer "maybe" wrongly for 0.06% of the others. */
export const defaultFilterBits = 25;

export interface IdFilter {
  add(id: string): void;
  /** False: no record with this id was added. True: maybe (read the file to know). */
  mayHave(id: string): boolean;
  /** Ids added so far. */
  readonly size: number;
}

// RFC 4648 §6 base32, lower case (crosswalks/common.ts); anything else counts as 0, which only costs precision.
function value(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  if (code >= 0x32 && code <= 0x37) return code - 0x32 + 26;
  return 0;
}

/**
 * A filter of 2^bits bits (default 2^25 = 4 MiB); bits from 5 (one 32-bit word) to 25 (three positions of five
 * base32 characters).
 */
export function createIdFilter(bits = defaultFilterBits): IdFilter {
  if (!Number.isInteger(bits) || bits < 5 || bits > 25)
    throw new RangeError(`createIdFilter: bits must be an integer from 5 to 25, not ${bits}`);
  const words = new Uint32Array(2 ** (bits - 5));
  const mask = 2 ** bits - 1;
  let size = 0;
  // Position k (0, 1, 2) comes from five characters ending 5k characters before the end of the id.
  const position = (id: string, k: number) => {
    let v = 0;
    const end = id.length - 5 * k;
    for (let i = Math.max(0, end - 5); i < end; i++) v = v * 32 + value(id.charCodeAt(i));
    return v & mask;
  };
  return {
    add(id) {
      for (let k = 0; k < 3; k++) {
        const p = position(id, k);
        words[p >>> 5] |= 1 << (p & 31);
      }
      size++;
    },
    mayHave(id) {
      for (let k = 0; k < 3; k++) {
        const p = position(id, k);
        if ((words[p >>> 5] & (1 << (p & 31))) === 0) return false;
      }
      return true;
    },
    get size() {
      return size;
    },
  };
}
