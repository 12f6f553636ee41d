// Accessions: "BIC", a six-digit serial and one Damm check digit, e.g. BIC0000015.
// The Damm algorithm (H. M. Damm, 2004) detects every single-digit error and every transposition of two
// adjacent digits, so a mistyped or swapped character never resolves to another entry.

const prefix = 'BIC';
export const accessionPattern = /^BIC\d{7}$/;

// Totally anti-symmetric quasigroup of order 10 (Damm 2004, table 5.2).
const damm = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export function dammDigit(digits: string): number {
  let interim = 0;
  for (const d of digits) interim = damm[interim][Number(d)];
  return interim;
}

/** Largest serial the six-digit form holds. */
export const maxSerial = 999_999;

/** The accession for a serial number (1 to 999,999). */
export function formatAccession(serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > maxSerial)
    throw new RangeError(`accession serial out of range: ${serial}`);
  const digits = String(serial).padStart(6, '0');
  return `${prefix}${digits}${dammDigit(digits)}`;
}

/** True when the accession is well formed and its check digit is right. */
export function isValidAccession(accession: string): boolean {
  return accessionPattern.test(accession) && dammDigit(accession.slice(3)) === 0;
}

/** The serial of a valid accession. */
export function accessionSerial(accession: string): number {
  if (!isValidAccession(accession)) throw new RangeError(`not a valid accession: ${accession}`);
  return Number(accession.slice(3, 9));
}
