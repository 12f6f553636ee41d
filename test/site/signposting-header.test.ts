// The Link header of `catalogue serve` is read from the linkset.json beside a page. Whatever that file holds
// (any bytes, any JSON, a valid linkset with hostile targets, a huge file), the reader gives a header that
// http-link-header parses, or none, and never throws.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, it } from '@fast-check/vitest';
import LinkHeader from 'http-link-header';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { toLinkset } from '../../catalog/exports/linkset.ts';
import { signpostingHeader, typeOfSiteFile } from '../../site/lib/signposting-header.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 150 };
const anchor = 'https://data.example.org/bic/entries/BIC0000013/';
let dir: string;
const page = () => join(dir, 'index.html');
const linksetFile = () => join(dir, 'linkset.json');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signposting-header-'));
  await writeFile(page(), '<!doctype html>');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The header parses, and every link in it has a target and a relation. */
function expectWellFormed(header: string | undefined) {
  if (header === undefined) return;
  const refs = LinkHeader.parse(header).refs;
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    expect(URL.canParse(ref.uri)).toBe(true);
    expect(ref.rel).toMatch(/\S/);
  }
  // Node refuses a header value with anything but visible ASCII and space (and the response would be a 500).
  expect(header).toMatch(/^[\x20-\x7e]*$/);
}

describe('signpostingHeader', () => {
  it('gives the page links of a linkset this build wrote, and the link to the linkset', async () => {
    await writeFile(linksetFile(), JSON.stringify(toLinkset(anchor, [{ rel: 'cite-as', href: anchor }])));
    const refs = LinkHeader.parse((await signpostingHeader(page()))!).refs;
    expect(refs.map((r) => [r.rel, r.uri])).toEqual([
      ['cite-as', anchor],
      ['linkset', `${anchor}linkset.json`],
    ]);
    expect(await signpostingHeader(join(dir, 'other.html'))).toBeUndefined();
  });

  it('gives no header for an anchor that is no page address (found by the fuzz test)', async () => {
    for (const bad of ['A:', 'mailto:x@example.org', '/entries/BIC0000013/', ''])
      for (const document of [{ linkset: [{ anchor: bad, 'cite-as': [{ href: anchor }] }] }]) {
        await writeFile(linksetFile(), JSON.stringify(document));
        expect(await signpostingHeader(page()), bad).toBeUndefined();
      }
  });

  it('gives no header for a file larger than a linkset can be', async () => {
    await writeFile(linksetFile(), JSON.stringify(toLinkset(anchor, [{ rel: 'cite-as', href: anchor }])));
    await truncate(linksetFile(), 2 * 1024 * 1024);
    expect(await signpostingHeader(page())).toBeUndefined();
  });

  it.prop([fc.uint8Array({ maxLength: 2000 })], runs)('any bytes: a well-formed header or none', async (bytes) => {
    await writeFile(linksetFile(), bytes);
    expectWellFormed(await signpostingHeader(page()));
  });

  it.prop(
    [
      fc.oneof(
        fc.jsonValue(),
        fc.record({
          linkset: fc.array(
            fc.record({
              anchor: fc.oneof(fc.constant(anchor), fc.string()),
              item: fc.array(
                fc.record({
                  href: fc.oneof(fc.webUrl(), fc.string()),
                  type: fc.string(),
                  profile: fc.array(fc.string()),
                }),
              ),
              'cite-as': fc.array(fc.record({ href: fc.string() })),
              'bad "rel\r\n': fc.array(fc.record({ href: fc.webUrl() })),
            }),
          ),
        }),
      ),
    ],
    runs,
  )('any JSON, or a linkset with any targets: a well-formed header or none', async (value) => {
    await writeFile(linksetFile(), JSON.stringify(value));
    expectWellFormed(await signpostingHeader(page()));
  });

  it('names linkset.json, the RO-Crate and DataCite XML by their registered types', () => {
    expect(typeOfSiteFile('/x/entries/A/linkset.json')).toBe('application/linkset+json');
    expect(typeOfSiteFile('/x/entries/A/ro-crate-metadata.json')).toBe('application/ld+json');
    expect(typeOfSiteFile('/x/entries/A/datacite.xml')).toBe('application/vnd.datacite.datacite+xml');
    expect(typeOfSiteFile('/x/entries/A/constructor')).toBeUndefined();
    expect(typeOfSiteFile('/x/entries/A.json')).toBeUndefined();
  });
});
