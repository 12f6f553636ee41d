// Property-based tests (fast-check) of what a partner controls: its XML pages (the OAI-PMH parser, the crosswalks
// and the checks of the records they make, fed arbitrary hostile XML and mutations of the real recorded pages) and
// the partners file. Whatever the input: no crash and no stack trace, only a coded harvester error, a quarantined
// record or a problem line; a record that is kept passes the catalogue's checks. Each property runs in seconds.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { isPublishableUrl } from '../../catalog/publishable-url.ts';
import { harvestedFindings } from '../../catalog/validate.ts';
import { CrosswalkError, harvestedId, toHarvestedRecord } from '../../harvester/crosswalks/index.ts';
import { HarvestError } from '../../harvester/errors.ts';
import { harvest } from '../../harvester/harvest.ts';
import { cleanMessage, cleanPartnerText } from '../../harvester/partner-text.ts';
import { defaultPartnersFile, partnerProblems } from '../../harvester/partners.ts';
import { parseOaiResponse } from '../../harvester/protocol.ts';
import { fixture, fixtures, startReplayServer } from './helpers/servers.ts';

/** Every recorded ListRecords/GetRecord page of the fixtures, as text. */
const pages = ['valid/oai', 'invalid', 'valid/synthetic']
  .flatMap((folder) =>
    readdirSync(join(fixtures, folder), { recursive: true, encoding: 'utf8' }).map((f) => `${folder}/${f}`),
  )
  .filter((f) => /\.xml$/.test(f) && /ListRecords|GetRecord|listrecords|getrecord|record/i.test(f))
  .map((f) => fixture(f));

const codePattern = /^(?:[A-Z][A-Z0-9_]+|[a-z][A-Za-z]+)$/;

/**
 * What the harvest does with one page (harvest.ts store and quarantine), without the disk: parse, crosswalk each
 * record, check it. Returns what became of the records; throws only what the harvest reports as a coded error.
 */
function processPage(text: string): { kept: number; quarantined: number } {
  let response;
  try {
    response = parseOaiResponse(text, 'http://127.0.0.1/oai');
  } catch (error) {
    expect(error).toBeInstanceOf(HarvestError);
    expect((error as HarvestError).code).toMatch(codePattern);
    return { kept: 0, quarantined: 0 };
  }
  let kept = 0;
  let quarantined = response.quarantined.length;
  for (const q of response.quarantined) expect(q.code).toMatch(codePattern);
  for (const record of response.records) {
    let harvested;
    try {
      harvested = toHarvestedRecord(record, {
        partner: 'fuzz',
        identifier: record.header.identifier,
        metadataPrefix: 'oai_dc',
        harvestedAt: '2026-01-01T00:00:00Z',
        id: harvestedId('fuzz', record.header.identifier),
      });
    } catch (error) {
      expect(error).toBeInstanceOf(CrosswalkError);
      quarantined++;
      continue;
    }
    const findings = harvestedFindings(harvested);
    for (const f of findings) expect(f.code).toMatch(codePattern);
    if (findings.some((f) => f.severity === 'error')) quarantined++;
    else {
      kept++;
      if (harvested.origin.url !== undefined) expect(isPublishableUrl(harvested.origin.url)).toBe(true);
    }
  }
  return { kept, quarantined };
}

// Pieces of hostile or broken XML, and of records that carry hostile values.
const snippets = [
  '<!DOCTYPE OAI-PMH [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '&x;',
  '&b;',
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<?xml version="1.0"?>',
  '<?pi data?>',
  '&#0;',
  '&#xD800;',
  '&#x110000;',
  '\u0000',
  '\uFFFE',
  '\uD800',
  '<record>',
  '</record>',
  '<header>',
  '</header>',
  '<header status="deleted">',
  '<identifier>',
  '</identifier>',
  '<identifier>oai:x:1</identifier>',
  '<datestamp>2025-01-01</datestamp>',
  '<datestamp>2025-13-45T99:99:99Z</datestamp>',
  '<metadata>',
  '</metadata>',
  '<resumptionToken>',
  '</resumptionToken>',
  '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
  '</oai_dc:dc>',
  '<dc:title>t</dc:title>',
  '<dc:identifier>javascript:alert(1)</dc:identifier>',
  '<dc:identifier>https://ok.example/1</dc:identifier>',
  '<dc:rights>&lt;script&gt;</dc:rights>',
  '<resource xmlns="http://datacite.org/schema/kernel-4">',
  '</resource>',
  '<identifier identifierType="DOI">javascript:alert(1)</identifier>',
  '<relatedIdentifier relatedIdentifierType="URL">data:text/html,x</relatedIdentifier>',
  '<alternateIdentifier>vbscript:x</alternateIdentifier>',
  '<bic:record xmlns:bic="https://bioimage-catalogue.org/oai/full/1/" ' +
    'kind="harvested"><bic:json>{"study":{"title":"t",' +
    '"identifiers":["javascript:x"]},"__proto__":{"polluted":1}}</bic:json>' +
    '</bic:record>',
  '<bic:record xmlns:bic="https://bioimage-catalogue.org/oai/full/1/" ' +
    'kind="entry"><bic:json>{"study":{"title":"t",' +
    '"links":[{"url":"javascript:x"}]}}</bic:json></bic:record>',
  '<a b="1" b="2">',
  '<a b=1>',
  '<a:b:c>',
  '</a>',
  '<',
  '>',
  '&',
  '"',
  "'",
  '\r\n',
  '\t',
  '<x xmlns:p="">',
  '<p:x>',
  'é',
  '\u202E',
  '<error code="badArgument">',
];

const hostileXml = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...snippets) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));
const envelope = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><OAI-PMH ` +
  `xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>` +
  `2026-01-01T00:00:00Z</responseDate><request verb="ListRecords">` +
  `http://x/oai</request><ListRecords>${inner}</ListRecords></OAI-PMH>`;

/** A mutation of a text: a slice removed, duplicated or replaced by a hostile snippet, or the text cut. */
const mutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'replace'),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 0, max: 400 }),
  snippet: fc.oneof(fc.constantFrom(...snippets), fc.string({ maxLength: 10 })),
});
interface Mutation {
  kind: string;
  /** Where, as a fraction of the text's length. */
  at: number;
  length: number;
  snippet: string;
}
function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.snippet + out.slice(at);
    else if (m.kind === 'duplicate')
      out = out.slice(0, at + m.length) + out.slice(at, at + m.length) + out.slice(at + m.length);
    else if (m.kind === 'truncate') out = out.slice(0, at);
    else out = out.slice(0, at) + m.snippet + out.slice(at + m.snippet.length);
  }
  return out;
}

describe('partner XML pages', () => {
  test.prop([hostileXml], { numRuns: 1000 })(
    'arbitrary hostile XML: a coded error, a quarantine or a valid record, never a crash',
    (xml) => {
      processPage(xml);
      processPage(envelope(xml));
    },
  );

  test.prop([fc.constantFrom(...pages.keys()), fc.array(mutation, { minLength: 1, maxLength: 4 })], { numRuns: 600 })(
    'mutations of the recorded partner pages: the same',
    (index, mutations) => {
      processPage(mutate(pages[index], mutations));
    },
  );

  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const zenodo = fixture('valid/oai/zenodo/ListRecords-oai_datacite-page2-last.xml');
  const identify = fixture('valid/oai/sickle/Identify.xml');
  test.prop([fc.array(mutation, { minLength: 1, maxLength: 3 })], { numRuns: 20 })(
    'a harvest of a mutated page ends with valid files or a coded error, and every problem names a code',
    async (mutations) => {
      const page = mutate(zenodo, mutations);
      const server = await startReplayServer((q) => (q.get('verb') === 'Identify' ? identify : page));
      const catalog = await mkdtemp(join(tmpdir(), 'harvest-fuzz-'));
      dirs.push(catalog);
      try {
        const summary = await harvest({
          catalog,
          target: { partner: 'zenodo', baseUrl: server.url, metadataPrefix: 'oai_datacite' },
          writerMode: 'inline',
          clientOptions: { malformedAttempts: 1 },
        });
        for (const p of summary.problems) expect(p.code).toMatch(codePattern);
        const folder = join(catalog, 'harvested', 'zenodo');
        for (const file of (await readdir(folder)).filter((f) => f.endsWith('.json'))) {
          const findings = harvestedFindings(JSON.parse(await readFile(join(folder, file), 'utf8')));
          expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(HarvestError);
        expect((error as HarvestError).code).toMatch(codePattern);
      } finally {
        await server.close();
      }
    },
  );
});

describe('harvester/partners.yaml', () => {
  const registry = readFileSync(defaultPartnersFile, 'utf8');
  const yamlSnippets = [
    '\n  - id: x\n',
    '\n    baseUrl: javascript:alert(1)\n',
    '\n    allowPrivateNetwork: "yes"\n',
    '\n    schedule: "* * *"\n',
    '\t',
    ': ',
    '- ',
    '&a ',
    '*a',
    '<<: *a\n',
    '!!js/function "function(){}"',
    '!!binary AAAA',
    '%YAML 1.1\n',
    '---\n',
    '...\n',
    '? ',
    '{',
    '}',
    '[',
    ']',
    '"',
    "'",
    '#',
    '\u0000',
    '\uFEFF',
    'id: zenodo\n',
    'a: &a [x, x, x, x, x, x, x, x, x]\n' +
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n' +
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n' +
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    '__proto__: {polluted: 1}\n',
    'constructor: {prototype: {polluted: 1}}\n',
  ];
  const yamlMutation = fc.record({
    kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate', 'replace'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 0, max: 60 }),
    snippet: fc.oneof(fc.constantFrom(...yamlSnippets), fc.string({ maxLength: 8 })),
  });

  const check = (text: string) => {
    const { partners, problems } = partnerProblems('harvester/partners.yaml', text);
    if (!partners) expect(problems.filter((p) => p.severity === 'error').length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p.file).toBe('harvester/partners.yaml');
      expect(p.code).toMatch(codePattern);
      expect(p.message).not.toMatch(/\n\s+at /);
      if (p.line !== undefined) expect(p.line).toBeGreaterThanOrEqual(1);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  };

  test.prop([fc.array(yamlMutation, { minLength: 1, maxLength: 4 })], { numRuns: 1000 })(
    'mutations of the real file: partners or problem lines, never a crash',
    (mutations) => {
      check(mutate(registry, mutations));
    },
  );

  test.prop([fc.string({ maxLength: 200 })], { numRuns: 500 })('arbitrary text: the same', (text) => check(text));
});

describe('partner text and URLs', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 1, max: 300 })], { numRuns: 500 })(
    'cleanPartnerText and cleanMessage never keep markup or control characters, nor more than asked',
    (text, max) => {
      for (const cleaned of [cleanPartnerText(text, max), cleanMessage(text, max)]) {
        expect(cleaned).not.toMatch(/[<>\p{Cc}\p{Cf}\u2028\u2029]/u);
        expect([...cleaned].length).toBeLessThanOrEqual(max);
      }
    },
  );

  test.prop(
    [
      fc.oneof(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc
          .constantFrom('javascript:', 'data:', 'vbscript:', 'https://')
          .chain((s) => fc.string({ maxLength: 30 }).map((t) => s + t)),
      ),
    ],
    { numRuns: 500 },
  )('isPublishableUrl accepts only what a browser reads as http(s)', (value) => {
    if (isPublishableUrl(value)) expect(['http:', 'https:']).toContain(new URL(value).protocol);
  });
});
