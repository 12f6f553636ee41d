// /stats/usage/report.json: the COUNTER Dataset Report (DSR) of the published entries, every mirror summed.
import { renderUsageReport } from '../../../../lib/usage-report.ts';
import { allRecords, siteSettings } from '../../../lib/data.ts';
import { usageCounts } from '../../../lib/usage.ts';

export async function GET(): Promise<Response> {
  const { info, today } = siteSettings();
  const report = renderUsageReport(await allRecords(), (await usageCounts()).counts, info, today);
  return new Response(JSON.stringify(report, null, 1) + '\n', { headers: { 'Content-Type': 'application/json' } });
}
