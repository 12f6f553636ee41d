// ORCID iDs end with an ISO/IEC 7064 MOD 11-2 check character
// (https://support.orcid.org/hc/en-us/articles/360006897674).

const orcidPattern = /^(?:https:\/\/orcid\.org\/)?(\d{4})-(\d{4})-(\d{4})-(\d{3}[\dX])$/;

/** The MOD 11-2 check character for the first 15 digits of an ORCID iD. */
export function orcidCheckCharacter(baseDigits: string): string {
  let total = 0;
  for (const digit of baseDigits) total = (total + Number(digit)) * 2;
  const result = (12 - (total % 11)) % 11;
  return result === 10 ? 'X' : String(result);
}

/** True when `orcid` is well formed and its check character is right. */
export function isValidOrcid(orcid: string): boolean {
  const match = orcidPattern.exec(orcid);
  if (!match) return false;
  const digits = match.slice(1).join('');
  return orcidCheckCharacter(digits.slice(0, 15)) === digits[15];
}
