// ROR ids: '0', six Crockford base32 characters, and two check digits computed with ISO/IEC 7064 MOD 97-10
// over the base32 number (https://ror.readme.io/docs/identifier).

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';
const rorPattern = /^(?:https:\/\/ror\.org\/)?0([0-9a-hjkmnp-tv-z]{6})(\d{2})$/;

export function rorChecksum(body: string): string {
  let n = 0n;
  for (const ch of body) n = n * 32n + BigInt(crockford.indexOf(ch));
  return String(98n - ((n * 100n) % 97n)).padStart(2, '0');
}

/** True when `ror` is well formed and its two check digits are right. */
export function isValidRor(ror: string): boolean {
  const match = rorPattern.exec(ror);
  return match !== null && rorChecksum(match[1]) === match[2];
}
