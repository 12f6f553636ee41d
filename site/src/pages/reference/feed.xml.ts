// /reference/feed.xml: Atom feed of the curation events of reference datasets (site/lib/reference-feed.ts).
import { renderReferenceFeed } from '../../../lib/reference-feed.ts';
import { allRecords, siteSettings } from '../../lib/data.ts';
import { catalogueLabels } from '../../lib/labels.ts';

export async function GET(): Promise<Response> {
  const labels = await catalogueLabels();
  const titles = new Map((await allRecords()).map((r) => [r.accession, r.summary.title]));
  const xml = renderReferenceFeed([...labels.reference.values()], titles, labels.criteria, siteSettings().info);
  return new Response(xml, { headers: { 'Content-Type': 'application/atom+xml' } });
}
