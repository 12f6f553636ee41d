// Whether a request's Accept-Encoding takes a content coding (RFC 9110 §12.5.3), for the servers of this project
// (the OAI-PMH provider, the static site server). A coding is acceptable when listed with a weight above 0, or,
// when not listed, if "*" is; "gzip;q=0" refuses gzip, and "x-gzip" is gzip (§8.4.1.3). No header, no coding.
export function acceptsEncoding(header: string | string[] | undefined, coding: 'gzip' | 'zstd'): boolean {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  let wildcard = false;
  for (const member of text.split(',')) {
    const [rawName, ...parameters] = member.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    const weight = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('q='));
    const acceptable = weight === undefined || Number(weight.slice(2)) > 0;
    if (name === coding || (coding === 'gzip' && name === 'x-gzip')) return acceptable;
    if (name === '*') wildcard = acceptable;
  }
  return wildcard;
}
