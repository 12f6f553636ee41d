// The RO-Crate reader on hostile and broken files: each is refused with its own code before anything reads it,
// and any bytes at all give a crate or a CrateError, never another exception, within bounds of time.
import { readFileSync } from 'node:fs';
import { fc, it as fuzz } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CrateError, readCrate } from '../../harvester/ro-crate/read-crate.ts';
import { crateToHarvestedRecord } from '../../harvester/ro-crate/crosswalk.ts';
import { CrosswalkError } from '../../harvester/crosswalks/errors.ts';
import { harvestedFindings } from '../../catalog/validate.ts';

const valid = readFileSync(new URL('./fixtures/ro-crate/idr/idr0018-ro-crate-metadata.json', import.meta.url), 'utf8');
const codeOf = (input: string, options = {}) => {
  try {
    readCrate(input, options);
    return 'OK';
  } catch (error) {
    if (error instanceof CrateError) return error.code;
    throw error;
  }
};

describe('readCrate', () => {
  it('reads a real crate: the root Dataset and every entity', () => {
    const crate = readCrate(valid);
    expect(crate.root['@id']).toBe('https://idr.openmicroscopy.org/study/idr0018/');
    expect(crate.entities.size).toBe(13);
  });

  it.each([
    ['CRATE_TOO_LARGE', valid, { maxBytes: 1000 }],
    ['CRATE_TOO_DEEP', '['.repeat(100_000), {}],
    ['CRATE_TOO_DEEP', `{"@graph": [${'{"a":'.repeat(40)}1${'}'.repeat(40)}]}`, {}],
    [
      'CRATE_FORBIDDEN_KEY',
      valid.replace('"@type": "Dataset"', '"__proto__": {"polluted": 1}, "@type": "Dataset"'),
      {},
    ],
    ['CRATE_NOT_JSON', valid.slice(0, -20), {}],
    ['CRATE_NOT_JSON', '', {}],
    ['CRATE_NO_GRAPH', '{"@context": "https://w3id.org/ro/crate/1.2/context"}', {}],
    ['CRATE_NO_DESCRIPTOR', '{"@graph": [{"@id": "./", "@type": "Dataset"}]}', {}],
    ['CRATE_NO_ROOT', '{"@graph": [{"@id": "ro-crate-metadata.json", "about": {"@id": "./"}}]}', {}],
    [
      'CRATE_NO_ROOT',
      '{"@graph": [{"@id": "ro-crate-metadata.json", "about": {"@id": "./"}}, {"@id": "./", "@type": "Person"}]}',
      {},
    ],
  ])('refuses with %s', (code, input, options) => {
    expect(codeOf(input, options)).toBe(code);
  });

  it('does not count brackets inside strings towards the depth', () => {
    const deepText = valid.replace('"Histopathology of mouse knockouts"', JSON.stringify('['.repeat(1000)));
    expect(codeOf(deepText)).toBe('OK');
  });

  fuzz.prop([fc.string({ maxLength: 4000 })], { numRuns: 300 })('any text gives a crate or a CrateError', (text) => {
    expect(() => codeOf(text)).not.toThrow();
  });

  fuzz.prop([fc.json({ depthSize: 'medium' })], { numRuns: 300 })('any JSON gives a crate or a CrateError', (text) => {
    expect(() => codeOf(text)).not.toThrow();
  });

  fuzz.prop([fc.nat({ max: valid.length - 1 }), fc.nat({ max: 200 }), fc.string({ maxLength: 40 })], { numRuns: 300 })(
    'a real crate with a slice replaced gives a crate or a CrateError, and pollutes nothing',
    (at, cut, insert) => {
      const started = performance.now();
      expect(() => codeOf(valid.slice(0, at) + insert + valid.slice(at + cut))).not.toThrow();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  // Crates that read well but hold anything at all where the crosswalk looks: references to any entity, values of
  // every JSON type. The crosswalk gives a record (which the checks may then refuse) or a CrosswalkError.
  const ids = fc.constantFrom('./', '#a', '#b', 'obo:NCBITaxon_9606', 'http://purl.obolibrary.org/obo/FBbi_00000246');
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    ids.map((id) => ({ '@id': id })),
    fc.array(ids.map((id) => ({ '@id': id }))),
  );
  const properties = fc.dictionary(
    fc.constantFrom(
      'name',
      'description',
      'author',
      'affiliation',
      'about',
      'license',
      'measurementMethod',
      'measurementTechnique',
      'taxonomicRange',
      'scientificName',
      'size',
      'value',
      'unitCode',
      'hasPart',
      'identifier',
      'thumbnailUrl',
      'publisher',
      'url',
      'keywords',
      'datePublished',
      '@type',
    ),
    value,
  );
  fuzz.prop([properties, fc.array(fc.tuple(ids, properties), { maxLength: 6 })], { numRuns: 300 })(
    'any crate that reads well crosswalks to a record or a CrosswalkError',
    (rootProperties, others) => {
      const graph = [
        { '@id': 'ro-crate-metadata.json', about: { '@id': './' } },
        { ...rootProperties, '@id': './', '@type': 'Dataset' },
        ...others.map(([id, p]) => ({ ...p, '@id': id })),
      ];
      try {
        const crate = readCrate(JSON.stringify({ '@graph': graph }));
        const record = crateToHarvestedRecord(crate, {
          partner: 'p',
          crateUrl: 'https://x.org/ro-crate-metadata.json',
          harvestedAt: '2026-12-07T05:00:00Z',
        });
        expect(() => harvestedFindings(record)).not.toThrow();
      } catch (error) {
        // A generated value may hold a "__proto__" key, which the reader refuses before the crosswalk sees it.
        if (error instanceof CrateError) expect(error.code).toBe('CRATE_FORBIDDEN_KEY');
        else expect(error).toBeInstanceOf(CrosswalkError);
      }
    },
  );
});
