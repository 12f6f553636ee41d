// The Static Repository file: well-formed (xmllint), its embedded OAI-PMH parts valid against the official OAI-PMH
// schema and every metadata schema (xmllint, strict, offline), the restrictions of the static-repository guidelines
// held (no deleted records, no sets, day granularity, at most 5000 records), hostile text kept as text.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPublishedCatalogue } from '../../catalog/load.ts';
import type { CatalogueRecord } from '../../catalog/records.ts';
import { withdrawEntry } from '../../catalog/withdraw.ts';
import { HarvestError } from '../../harvester/errors.ts';
import { renderStaticRepository, StaticRepositoryError } from '../../harvester/static-repository.ts';
import { parseXml } from '../../harvester/xml.ts';
import { makeCatalogue } from './helpers/catalogue.ts';

const run = promisify(execFile);
const xsd = fileURLToPath(new URL('../../harvester/xsd/', import.meta.url));
const OAI = 'http://www.openarchives.org/OAI/2.0/';

let catalog: string;
let records: CatalogueRecord[];
let withdrawnId: string;
let dir: string;

beforeAll(async () => {
  catalog = await makeCatalogue(8);
  dir = await mkdtemp(join(tmpdir(), 'static-repository-'));
  withdrawnId = (await loadPublishedCatalogue(catalog, { today: '2026-01-10' })).records[2].summary.accession;
  await withdrawEntry(catalog, withdrawnId, {
    reason: "Withdrawn at the authors' request for testing.",
    date: '2026-01-02',
  });
  records = (await loadPublishedCatalogue(catalog, { today: '2026-01-10' })).records;
});
afterAll(async () => {
  await rm(catalog, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
});

/** One part of the file (Identify, ListMetadataFormats, one ListRecords) as the OAI-PMH response it stands for. */
function asResponse(xml: string, verb: string, open: string): string {
  const start = xml.indexOf(open) + open.length;
  const body = xml.slice(start, xml.indexOf(`</${verb}>`, start));
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="${OAI}" ` +
    `xmlns:oai="${OAI}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xsi:schemaLocation="${OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">` +
    `<responseDate>2026-01-10T00:00:00Z</responseDate><request>` +
    `https://gateway.example.org/oai</request><${verb}>${body}</${verb}>` +
    `</OAI-PMH>\n`
  );
}

async function xmllint(name: string, text: string, schema = true): Promise<void> {
  const file = join(dir, name);
  await writeFile(file, text);
  const args = schema
    ? ['--nonet', '--noout', '--schema', join(xsd, 'oai-pmh-strict.xsd'), file]
    : ['--nonet', '--noout', file];
  await run('xmllint', args, { env: { ...process.env, XML_CATALOG_FILES: join(xsd, 'catalog.xml') } });
}

describe('renderStaticRepository', () => {
  it(
    'writes a well-formed file whose Identify, ListMetadataFormats and ListRecords ' +
      'are valid OAI-PMH (xmllint, strict)',
    async () => {
      const result = renderStaticRepository(records, {
        url: 'https://bioimage-catalogue.org/oai/static-repository.xml',
        gatewayUrl: 'http://gateway.example.org/oai/',
        metadataPrefixes: ['oai_dc', 'oai_datacite', 'bic_full'],
      });
      expect(result.notices).toEqual([]);
      await xmllint('static.xml', result.xml, false);
      await xmllint('identify.xml', asResponse(result.xml, 'Identify', '<Identify>'));
      await xmllint('formats.xml', asResponse(result.xml, 'ListMetadataFormats', '<ListMetadataFormats>'));
      for (const prefix of ['oai_dc', 'oai_datacite', 'bic_full'])
        await xmllint(
          `${prefix}.xml`,
          asResponse(result.xml, 'ListRecords', `<ListRecords metadataPrefix="${prefix}">`),
        );
      // A schema-invalid part must fail, or the check above proves nothing.
      await expect(
        xmllint(
          'broken.xml',
          asResponse(
            result.xml.replace('<oai:datestamp>', '<oai:datestamp>not-a-date'),
            'ListRecords',
            '<ListRecords metadataPrefix="oai_dc">',
          ),
        ),
      ).rejects.toThrow();
    },
  );

  it("holds the guidelines' restrictions: no deleted records, no sets, day granularity, gateway baseURL", () => {
    const { xml, included } = renderStaticRepository(records, {
      url: 'https://bioimage-catalogue.org/oai/static.xml',
      gatewayUrl: 'http://gateway.example.org/oai',
    });
    const root = parseXml(xml).root;
    expect(root.name).toBe('Repository');
    expect(root.ns).toBe('http://www.openarchives.org/OAI/2.0/static-repository');
    expect(included).toBe(records.length - 1);
    expect(xml).not.toContain(withdrawnId);
    expect(xml).not.toContain('setSpec');
    expect(xml).not.toContain('status=');
    expect(xml).not.toContain('resumptionToken');
    expect(xml).not.toContain('compression');
    expect(xml).toContain('<oai:granularity>YYYY-MM-DD</oai:granularity>');
    expect(xml).toContain('<oai:deletedRecord>no</oai:deletedRecord>');
    expect(xml).toContain(
      '<oai:baseURL>http://gateway.example.org/oai/bioimage-catalogue.org/oai/static.xml</oai:baseURL>',
    );
    const datestamps = [...xml.matchAll(/<oai:datestamp>([^<]*)</g)].map((m) => m[1]);
    expect(datestamps).toHaveLength(included);
    for (const d of datestamps) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('writes the first records in accession order when over the limit, and says so', () => {
    const { xml, included, omitted, notices } = renderStaticRepository(records, {
      url: 'https://example.org/static.xml',
      maxRecords: 3,
    });
    const live = records
      .filter((r) => r.status === 'live')
      .map((r) => r.summary.accession)
      .sort();
    expect(included).toBe(3);
    expect(omitted).toBe(live.length - 3);
    for (const id of live.slice(0, 3)) expect(xml).toContain(`oai:bioimage-catalogue.org:${id}<`);
    for (const id of live.slice(3)) expect(xml).not.toContain(id);
    expect(notices[0]).toMatch(new RegExp(`holds at most 3, so the first 3 in accession order .* ${omitted} left out`));
    expect(notices[1]).toMatch(/no gatewayUrl/);
  });

  it('refuses options that cannot give a valid file', () => {
    expect(() => renderStaticRepository(records, { url: 'https://example.org/s.xml', maxRecords: 5001 })).toThrow(
      expect.objectContaining({ code: 'STATIC_LIMIT_INVALID' }),
    );
    expect(() => renderStaticRepository(records, { url: 'static.xml' })).toThrow(
      expect.objectContaining({ code: 'STATIC_URL_INVALID' }),
    );
    expect(() =>
      renderStaticRepository(records, { url: 'https://example.org/s.xml', metadataPrefixes: ['marc21'] }),
    ).toThrow(StaticRepositoryError);
    expect(() => renderStaticRepository(records, { url: 'static.xml' })).toThrow(HarvestError);
  });

  it('keeps hostile text as text', async () => {
    const hostile = records.find((r) => r.status === 'live' && r.kind === 'entry')!;
    const copy = structuredClone(hostile) as CatalogueRecord & { data: { study: { title: string } } };
    copy.data.study.title = 'A <script>alert(1)</script> ]]> &amp; title \u0001';
    const { xml } = renderStaticRepository([copy], {
      url: 'https://example.org/s.xml',
      gatewayUrl: 'https://g.example.org/',
    });
    await xmllint('hostile.xml', xml, false);
    const title = parseXml(xml)
      .root.children.find((c) => c.name === 'ListRecords')!
      .children[0].children[1].children[0].children.find((c) => c.name === 'title')!;
    expect(title.text).toBe('A <script>alert(1)</script> ]]> &amp; title ');
  });
});
