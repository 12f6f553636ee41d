/** Today's date in UTC as YYYY-MM-DD; `CATALOGUE_TODAY` overrides it (tests, reproducible builds). */
export function todayUtc(): string {
  const fixed = process.env.CATALOGUE_TODAY;
  if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed)) return fixed;
  return new Date().toISOString().slice(0, 10);
}
