import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XmlError } from '../../harvester/errors.ts';
import { parseOaiResponse, readIdentify } from '../../harvester/protocol.ts';
import { toHarvestedRecord, CrosswalkError, harvestedId } from '../../harvester/crosswalks/index.ts';
import { harvestedFindings } from '../../catalog/validate.ts';
import { parseXml } from '../../harvester/xml.ts';
import { fixtures } from './helpers/servers.ts';

const read = (path: string) => readFileSync(fixtures + path, 'utf8');
const options = { partner: 'p', metadataPrefix: 'oai_dc', harvestedAt: '2026-01-01T00:00:00Z' };

describe('valid responses of eight server implementations', () => {
  const files = readdirSync(fixtures + 'valid/oai', { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.xml'),
  );
  // Formats this catalogue does not read (arXiv, MARC 21, DDI): every record of these files is reported as
  // CROSSWALK_UNKNOWN_FORMAT, never silently taken. Every record of every other file crosswalks.
  const unknownFormat = new Set([
    'arxiv-inspire/sample_arxiv_response_listrecords_cs.xml',
    'arxiv-inspire/sample_inspire_response_listrecords.xml',
    'cessda-data-archives/ddi_record_2305_fsd_repeat_abstract.xml',
    'cessda-data-archives/ddi_record_ukds_example.xml',
    'cessda-data-archives/oai-fsd_uta_fi-FSD3187.xml',
  ]);

  it('names only files that exist as holding formats it does not read', () => {
    expect(files).toEqual(expect.arrayContaining([...unknownFormat]));
  });

  it.each(files.filter((f) => !unknownFormat.has(f)))(
    '%s parses, and every record crosswalks into a valid harvested record',
    (file) => {
      const response = parseOaiResponse(read(`valid/oai/${file}`), file);
      expect(response.quarantined).toEqual([]);
      expect(response.body !== undefined || response.errors.length > 0).toBe(true);
      for (const record of response.records) {
        const harvested = toHarvestedRecord(record, { ...options, identifier: record.header.identifier });
        expect(harvestedFindings(harvested).filter((f) => f.severity === 'error')).toEqual([]);
        expect(harvested.id).toBe(harvestedId('p', record.header.identifier));
      }
    },
  );

  it.each([...unknownFormat])('%s parses, and every record is refused as CROSSWALK_UNKNOWN_FORMAT', (file) => {
    const response = parseOaiResponse(read(`valid/oai/${file}`), file);
    expect(response.quarantined).toEqual([]);
    expect(response.records.length).toBeGreaterThan(0);
    for (const record of response.records) {
      const crosswalk = () => toHarvestedRecord(record, { ...options, identifier: record.header.identifier });
      expect(crosswalk).toThrow(CrosswalkError);
      expect(crosswalk).toThrow(expect.objectContaining({ code: 'CROSSWALK_UNKNOWN_FORMAT' }));
    }
  });

  it('reads Zenodo oai_datacite with its token, cursor and completeListSize', () => {
    const page = parseOaiResponse(read('valid/oai/zenodo/ListRecords-oai_datacite-page1.xml'), 'zenodo');
    expect(page.records).toHaveLength(26);
    expect(page.resumptionToken).toEqual({
      value: '.resumption-token-to-page-2',
      cursor: 0,
      completeListSize: 51,
      expirationDate: '2024-02-08T17:40:07Z',
    });
    const record = toHarvestedRecord(page.records[0], {
      ...options,
      metadataPrefix: 'oai_datacite',
      identifier: page.records[0].header.identifier,
    });
    expect(record.study.title).toBe('Supplementary Figure 1');
    expect(record.study.identifiers).toContain('10.5281/zenodo.7961720');
    expect(record.origin.url).toBe('https://doi.org/10.5281/zenodo.7961720');
    expect(record.study.authors?.[0].name).toBe('Yoko Ito');
  });

  it('treats an empty token as the end of a list, and reads deleted headers', () => {
    const last = parseOaiResponse(read('valid/oai/dspace-mit/ListIdentifiers-page2-last-empty-token.xml'), 'mit');
    expect(last.resumptionToken?.value).toBe('');
    const deleted = parseOaiResponse(read('valid/oai/dspace-mit/ListRecords-deleted.xml'), 'mit');
    const record = toHarvestedRecord(deleted.records[0], {
      ...options,
      identifier: deleted.records[0].header.identifier,
    });
    expect(record.deleted).toEqual({ datestamp: '2017-12-14T15:03:59Z' });
    expect(harvestedFindings(record)).toEqual([]);
  });

  it('strips invalid XML characters and resolves namespaces whatever their prefixes', () => {
    const page = parseOaiResponse(read('valid/synthetic/ListRecords-invalid-chars-odd-prefixes.xml'), 'synthetic');
    expect(page.stripped).toBe(2);
    const record = toHarvestedRecord(page.records[0], { ...options, identifier: page.records[0].header.identifier });
    expect(record.study.title).toBe('Title with a control character and & entity');
    expect(record.study.license).toBe('CC-BY-4.0');
  });

  it('gives the same id for the same identifier, URL-safe, different for others', () => {
    const a = harvestedId('zenodo', 'oai:zenodo.org:1');
    expect(a).toBe(harvestedId('zenodo', 'oai:zenodo.org:1'));
    expect(a).not.toBe(harvestedId('zenodo', 'oai:zenodo.org:2'));
    expect(a).toMatch(/^zenodo\.[a-z2-7]{16}$/);
  });
});

describe('invalid responses produce the error they are named after', () => {
  const cases = readdirSync(fixtures + 'invalid');
  it.each(cases)('%s', (name) => {
    const folder = `${fixtures}invalid/${name}/`;
    expect(existsSync(folder + 'expected.json')).toBe(true);
    const expected = JSON.parse(readFileSync(folder + 'expected.json', 'utf8')) as {
      code: string;
      stage: string;
      kept?: number;
      quarantined?: number;
      identifier?: string;
    };
    const file = readdirSync(folder).find((f) => f.endsWith('.xml'))!;
    const text = readFileSync(folder + file, 'utf8');
    if (expected.stage === 'response') {
      expect(() => parseOaiResponse(text, file)).toThrow(expect.objectContaining({ code: expected.code }));
      return;
    }
    const response = parseOaiResponse(text, file);
    if (expected.stage === 'identify') {
      expect(() => readIdentify(response)).toThrow(expect.objectContaining({ code: expected.code }));
    } else if (expected.stage === 'record') {
      expect(response.records).toHaveLength(expected.kept!);
      expect(response.quarantined.map((q) => q.code)).toEqual([expected.code]);
      if (expected.identifier) expect(response.quarantined[0].identifier).toBe(expected.identifier);
    } else {
      expect(() =>
        toHarvestedRecord(response.records[0], { ...options, identifier: response.records[0].header.identifier }),
      ).toThrow(expect.objectContaining({ code: expected.code }));
    }
  });

  it('never expands entities: the DOCTYPE is refused before parsing', () => {
    expect(() => parseXml(read('invalid/xml-doctype/entity-bomb.xml'))).toThrow(XmlError);
  });

  it('refuses a response above the size limit', () => {
    expect(() => parseXml('<a>' + 'x'.repeat(2000) + '</a>', { maxBytes: 1000 })).toThrow(
      expect.objectContaining({ code: 'XML_TOO_LARGE' }),
    );
  });
});
