// Cross-references and annotations: checking compact identifiers against the Bioregistry patterns, and annotation
// paths against a large manifest (the check runs on every pull request that touches the entry).
import type { Entry, Manifest } from '../schemas/index.ts';
import { annotationManifestFindings } from '../catalog/checks/annotations.ts';
import { parseCompactIdentifier } from '../catalog/checks/bioregistry.ts';
import type { Benchmark, BenchRow } from './harness.ts';

const section = 'Cross-references and annotations';
const command = 'npm run bench -- --only cross-references';

/** Milliseconds of the fastest of `rounds` runs of `work`. */
function fastest(rounds: number, work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const benchmark: Benchmark = async ({ quick }) => {
  const rows: BenchRow[] = [];
  const ids = ['emdb:EMD-1234', 'empiar:10326', 'pdb:6xyz', 'uniprot:P12345', 'ensembl:ENSG00000139618', 'empair:1'];
  const count = quick ? 20_000 : 200_000;
  const curies = Array.from({ length: count }, (_, i) => ids[i % ids.length]);
  const parseMs = fastest(3, () => curies.forEach((curie) => parseCompactIdentifier(curie)));
  rows.push({
    section,
    what: `${count.toLocaleString('en')} compact identifiers checked (a sixth of them misspelt, with a suggestion)`,
    result: `${parseMs.toFixed(0)} ms (${((parseMs * 1000) / count).toFixed(2)} µs each)`,
    command,
  });

  const files = quick ? 10_000 : 100_000;
  const manifest = {
    files: Array.from({ length: files }, (_, i) => ({ path: `images/plate-${i % 100}/field-${i}.ome.tiff` })),
  } as unknown as Manifest;
  const references = Array.from({ length: 1000 }, (_, i) => `images/plate-${i % 100}/field-${i * 7}.ome.tiff`);
  const entry = {
    annotations: Array.from({ length: 10 }, (_, k) => ({
      id: `a${k}`,
      title: 'Masks',
      overview: 'Masks of every field',
      types: ['segmentation_mask'],
      files: [`images/plate-${k}/`],
      sourceImages: references,
    })),
  } as unknown as Entry;
  const checkMs = fastest(3, () => annotationManifestFindings(entry, manifest));
  rows.push({
    section,
    what: `annotation paths against a ${files.toLocaleString('en')}-file manifest (10 annotations, 10,010 paths)`,
    result: `${checkMs.toFixed(0)} ms`,
    command,
  });
  return rows;
};

export default benchmark;
