// Pagefind 1.5 writes its filter files from hash maps: the values of a filter come out in a different order from
// one build to the next, so the filter files, the meta file that names them and pagefind-entry.json differ although
// nothing changed (Pagefind issue #638: fragments were made stable in 1.3, "other files will still change"). A
// mirror would then download them again on every publish, and two builds could not be compared byte for byte.
// This puts each filter's values in order and names the rewritten files by their content, as Pagefind does.
// Formats (Pagefind 1.5.2, read from its output): a compressed file is gzip of `pagefind_dcd` + CBOR; a filter file
// is [name, [[value, [page numbers]]...]]; the meta file is [version, pages, index chunks, [[filter, hash]...],
// sorts, filter names]; pagefind-entry.json names the meta file by `languages.<lang>.hash`.
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decode, encode } from 'cbor2';

export interface BundleFile {
  path: string;
  content: Uint8Array;
}

const signature = Buffer.from('pagefind_dcd', 'latin1');

function unpack(content: Uint8Array): unknown {
  const bytes = gunzipSync(content);
  if (!bytes.subarray(0, signature.length).equals(signature)) throw new Error('not a Pagefind file');
  return decode(bytes.subarray(signature.length));
}

/** gzip as Node writes it: no file name, modification time 0, so the same input gives the same bytes. */
function pack(value: unknown): Buffer {
  return gzipSync(Buffer.concat([signature, encode(value)]), { level: 9 });
}

const hex = (content: Uint8Array, length: number) =>
  createHash('sha256').update(content).digest('hex').slice(0, length);
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type FilterFile = [name: string, values: [value: string, pages: number[]][]];
type MetaFile = [version: string, pages: unknown, chunks: unknown, filters: [string, string][], ...rest: unknown[]];

/** The bundle with its filter files in a stable order and renamed by content; other files unchanged. */
export function makeBundleDeterministic(files: readonly BundleFile[]): BundleFile[] {
  const renamed = new Map<string, string>();
  const out: BundleFile[] = [];
  for (const file of files) {
    const match = /^filter\/(\w+?)_(\w+)\.pf_filter$/.exec(file.path);
    if (!match) continue;
    const filter = unpack(file.content) as FilterFile;
    const values = [...filter[1]]
      .map(([value, pages]) => [value, [...pages].sort((a, b) => a - b)] as [string, number[]])
      .sort(([a], [b]) => byCodeUnits(a, b));
    const content = pack([filter[0], values]);
    const hash = `${match[1]}_${hex(content, 7)}`;
    renamed.set(`${match[1]}_${match[2]}`, hash);
    out.push({ path: `filter/${hash}.pf_filter`, content });
  }
  const metaNames = new Map<string, string>();
  for (const file of files) {
    const match = /^pagefind\.(\w+?)_(\w+)\.pf_meta$/.exec(file.path);
    if (!match) continue;
    const meta = unpack(file.content) as MetaFile;
    meta[3] = meta[3]
      .map(([name, hash]) => [name, renamed.get(hash) ?? hash] as [string, string])
      .sort(([a], [b]) => byCodeUnits(a, b));
    const content = pack(meta);
    const hash = `${match[1]}_${hex(content, 10)}`;
    metaNames.set(`${match[1]}_${match[2]}`, hash);
    out.push({ path: `pagefind.${hash}.pf_meta`, content });
  }
  for (const file of files) {
    if (/^filter\/.*\.pf_filter$/.test(file.path) || /^pagefind\..*\.pf_meta$/.test(file.path)) continue;
    if (file.path !== 'pagefind-entry.json') {
      out.push(file);
      continue;
    }
    const entry = JSON.parse(Buffer.from(file.content).toString('utf8')) as {
      languages: Record<string, { hash: string }>;
    };
    for (const language of Object.values(entry.languages))
      language.hash = metaNames.get(language.hash) ?? language.hash;
    out.push({ path: file.path, content: Buffer.from(JSON.stringify(entry)) });
  }
  return out;
}
