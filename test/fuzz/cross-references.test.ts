// Property-based tests of the readers this catalogue added for cross-references and annotations: a PageTab link of
// any text, and annotation paths of any text against a manifest. Each gives its result (or nothing) quickly, and
// every finding is one problem with a code, never an exception.
import { fc, it } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { annotationManifestFindings, omeZarrLabelsOf } from '../../catalog/checks/annotations.ts';
import { relatedFindings } from '../../catalog/checks/related.ts';
import { toRelatedFromLink } from '../../catalog/pagetab/annotations.ts';
import type { Entry, Manifest } from '../../schemas/index.ts';

const runs = { numRuns: Number(process.env.FUZZ_RUNS) || 200 };
const attribute = (name: string, value: string) => ({ name, value, reference: false, valqual: [] });

describe('cross-references and annotations, any input', () => {
  it.prop([fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 })], runs)(
    'a PageTab link becomes a compact identifier or stays a link',
    (url, type) => {
      const started = performance.now();
      const related = toRelatedFromLink({ url, attributes: [attribute('Type', type)] }, []);
      expect(performance.now() - started).toBeLessThan(50);
      if (related) expect(related.id).toMatch(/^(empiar|emdb|pdb|idr):/);
    },
  );

  it.prop([fc.array(fc.record({ id: fc.string({ maxLength: 200 }), relation: fc.string() }), { maxLength: 20 })], runs)(
    'study.related of any text gives findings with codes',
    (related) => {
      for (const finding of relatedFindings(related)) expect(finding.code).toMatch(/^XREF_[A-Z_]+$/);
    },
  );

  it.prop(
    [
      fc.array(fc.string({ maxLength: 120 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.string({ maxLength: 120 }), { maxLength: 8 }),
      fc.array(fc.string({ maxLength: 120 }), { maxLength: 30 }),
    ],
    runs,
  )('annotation paths of any text against any manifest give findings with codes', (files, sources, listed) => {
    const entry = {
      annotations: [
        { id: 'a', title: 'A', overview: 'Some annotations', types: ['other'], files, sourceImages: sources },
      ],
    } as unknown as Entry;
    const manifest = { files: listed.map((path) => ({ path })) } as unknown as Manifest;
    for (const finding of annotationManifestFindings(entry, manifest))
      expect(finding.code).toMatch(/^ANNOTATION_[A-Z_]+$/);
    for (const path of [...files, ...listed]) omeZarrLabelsOf(path);
  });
});
