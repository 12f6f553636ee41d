// The harvested-id pattern the command line checks `--entry` against is the schema's own, not a copy of it.
import { describe, expect, it } from 'vitest';
import { harvestedIdPattern, schemas } from '../../schemas/index.ts';
import { harvestedId } from '../../harvester/crosswalks/common.ts';

describe('harvestedIdPattern', () => {
  it('is the pattern of `id` in harvested-record.schema.json', () => {
    expect(harvestedIdPattern.source).toBe(schemas['harvested-record'].properties.id.pattern);
  });
  it('accepts the ids the harvester makes', () => {
    for (const [partner, identifier] of [
      ['zenodo', 'oai:zenodo.org:1234567'],
      ['ebi-biostudies', 'oai:x:S-BIAD1'],
    ]) {
      expect(harvestedId(partner, identifier)).toMatch(harvestedIdPattern);
    }
  });
  it.each(['zenodo', 'Zenodo.k7f3q9xw2m4t', 'zenodo.k7f', 'zenodo.k7f3/q9', '1zenodo.k7f3q9xw2m4t', 'S-BIAD1'])(
    'refuses %s',
    (id) => expect(harvestedIdPattern.test(id)).toBe(false),
  );
});
