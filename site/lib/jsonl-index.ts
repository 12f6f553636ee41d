// Where each line of a JSON Lines file of records is, by accession, so that an incremental build can take the lines
// of unchanged records from the previous build's file without parsing it (about 5 KB a record, 500 MB at 100k).
// The files are our own: the snapshot ({"kind":…,"accession":…) and catalogue.jsonl ({"accession":…). JSON escapes
// every quote inside a string, so `"accession":"` can only be a key, and the first one on a line is the record's.

/** Byte ranges [start, end) of each line, without its newline, by the accession it holds. */
export function indexLinesByAccession(bytes: Buffer): Map<string, [number, number]> {
  const lines = new Map<string, [number, number]>();
  const marker = Buffer.from('"accession":"');
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const at = bytes.subarray(start, end).indexOf(marker);
    if (at >= 0) {
      const from = start + at + marker.length;
      const to = bytes.indexOf(34, from);
      if (to > from && to < end) lines.set(bytes.toString('latin1', from, to), [start, end]);
    }
    start = end + 1;
  }
  return lines;
}
